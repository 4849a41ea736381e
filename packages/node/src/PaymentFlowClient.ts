/**
 * The Promise client for Node: core's facade on the pooled undici `HttpClient`, with webhook
 * verification on `node:crypto`.
 *
 * ```ts
 * import { PaymentFlowClient, ValidationError } from "@paymentflow/node"
 *
 * const client = new PaymentFlowClient({ apiKey: process.env.PAYMENTFLOW_API_KEY! })
 * const payment = await client.payments.create({ amount: 2500, currency: "USD" }, { idempotencyKey })
 * const event = client.webhooks.constructEvent(rawBody, req.headers["paymentflow-signature"], secret)
 * await client.close()
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
