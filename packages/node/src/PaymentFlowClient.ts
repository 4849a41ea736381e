/**
 * The Promise client for Node: core's facade on the pooled undici `HttpClient`, with webhook
 * verification on `node:crypto`.
 *
 * @example
 * ```ts
 * import { PaymentFlowClient, ValidationError } from "@paymentflow/node"
 * import { SandboxServer } from "@paymentflow/sandbox/server"
 *
 * // a local sandbox server on 127.0.0.1 (from a shell: `npx paymentflow-sandbox`, port 12111)
 * const server = await SandboxServer.start({ port: 0 })
 * const client = new PaymentFlowClient({ apiKey: "sk_test_0123456789abcdef", baseUrl: server.url })
 *
 * const payment = await client.payments.create({ amount: 2500, currency: "USD" }, { idempotencyKey: "order-1" })
 * console.log(payment.status) // pending
 * try {
 *   await client.payments.retrieve("not-an-id")
 * } catch (err) {
 *   if (err instanceof ValidationError) console.log(err.field) // id
 * }
 *
 * // webhooks: verify the raw body, e.g. in an express.raw() route
 * const onWebhook = (rawBody: Buffer, signature: string | undefined, secret: string) =>
 *   client.webhooks.constructEvent(rawBody, signature, secret)
 * console.log(typeof onWebhook) // function
 *
 * await client.close()
 * await server.close()
 * ```
 *
 * @since 0.1.0
 */
import type { Event } from "@paymentflow/core/Event"
import * as Core from "@paymentflow/core/PaymentFlowClient"
import * as Webhook from "@paymentflow/core/Webhook"
import * as NodeHmac from "./NodeHmac.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface Options extends Core.Options {}

/**
 * @since 0.1.0
 * @category Constructors
 */
export class PaymentFlowClient extends Core.PaymentFlowClient {
  constructor(options: Options) {
    super({ ...options, httpClient: options.httpClient ?? UndiciHttpClient.layer })
  }

  /**
   * Webhook verification on `node:crypto` (synchronous).
   *
   * @since 0.1.0
   */
  readonly webhooks = {
    /**
     * Verifies the `PaymentFlow-Signature` header over the raw body and returns the event, or
     * throws `SignatureVerificationError` / `WebhookPayloadError`.
     */
    constructEvent: (
      payload: Webhook.Payload,
      signatureHeader: Webhook.SignatureHeader,
      secret: Webhook.Secret,
      options?: Webhook.VerifyOptions
    ): Event => Webhook.constructEventSync(payload, signatureHeader, secret, { ...options, hmac: NodeHmac.hmac }),
    /** A signature header for tests of your own webhook handler. */
    generateTestHeader: (options: Webhook.TestHeaderOptions): string =>
      Webhook.generateTestHeaderSync({ ...options, hmac: NodeHmac.hmac })
  }
}
