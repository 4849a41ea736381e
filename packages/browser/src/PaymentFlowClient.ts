/**
 * The browser client as Promises, for pages that do not use Effect.
 *
 * Rejections are the SDK's own error classes (`error instanceof ValidationError`,
 * `error._tag`, `error.code`), never Effect wrappers. Passing `{ signal }` aborts the call and
 * its request.
 *
 * @example
 * ```ts
 * import { PaymentFlowClient, isPaymentFlowError } from "@paymentflow/browser"
 *
 * const client = new PaymentFlowClient({ apiKey: "pk_test_0123456789abcdef" })
 *
 * // e.g. on the checkout form's submit, with the client secret the merchant's server handed the
 * // page (it created the payment with its secret key)
 * export const pay = async (
 *   clientSecret: string,
 *   card: { number: string; expMonth: number; expYear: number; cvc: string }
 * ) => {
 *   try {
 *     const confirmed = await client.payments.confirm(clientSecret, { paymentMethod: { card } })
 *     return confirmed.status
 *   } catch (error) {
 *     if (isPaymentFlowError(error)) return `${error._tag} ${error.code}: ${error.message}`
 *     throw error
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 */
import {
  type Loose,
  type CallOptions as CoreCallOptions,
  PromiseFacade,
  type PromiseLogger,
  type PromisePublishableService
} from "@paymentflow/core/PaymentFlowClient"
import { type ParamsOf, publishableRows } from "@paymentflow/core/PaymentFlow"
import * as Webhook from "@paymentflow/core/Webhook"
import type { Event } from "@paymentflow/core/Event"
import * as Layer from "effect/Layer"
import {
  BrowserPaymentFlow,
  type Options as BrowserOptions,
  type PublishableOperation
} from "./BrowserPaymentFlow.js"

/**
 * Options of the Promise client.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options extends BrowserOptions {
  /**
   * Turns Effect tracing on (default off). Off, requests carry no `traceparent`/`b3` headers,
   * which keeps CORS preflights simple.
   */
  readonly tracing?: boolean | undefined
  /**
   * Where each attempt's line goes: `logger.info(fields, message)` (method, path, status,
   * request id, attempt, duration, masked key); `console` fits. Never the body, never the key.
   */
  readonly logger?: PromiseLogger | undefined
}

/**
 * Options of one call: the Effect client's, plus an `AbortSignal` that cancels the call and
 * aborts its request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface CallOptions extends CoreCallOptions {}

/**
 * The parameters of an operation, ids loosened to `string` (they are checked before sending).
 *
 * @since 0.1.0
 * @category Models
 */
export type Params<K extends PublishableOperation> = Loose<ParamsOf<K>>

/**
 * The Promise client's operations: the publishable rows, as core's facade types them (its
 * members are typed by this interface, which merges with the class below).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentFlowClient extends PromisePublishableService<PublishableOperation> {}

/**
 * The Promise client: `payments.retrieve(clientSecret)` and
 * `payments.confirm(clientSecret, { paymentMethod })` with a publishable key (the rows whose
 * `access` admits one; by the client secret where the row asks for it), and webhook verification
 * (Web Crypto).
 * It is core's one Promise facade over the browser's service.
 *
 * @since 0.1.0
 * @category Constructors
 */
export class PaymentFlowClient extends PromiseFacade<BrowserPaymentFlow, BrowserPaymentFlow.Service> {
  constructor(options: Options) {
    const { logger, tracing, ...clientOptions } = options
    super({
      layer: BrowserPaymentFlow.layer(clientOptions).pipe(Layer.provideMerge(Layer.setTracerEnabled(tracing === true))),
      tag: BrowserPaymentFlow,
      rows: publishableRows,
      apiKey: options.apiKey,
      logger
    })
  }

  /**
   * Webhook verification with Web Crypto: checks the `PaymentFlow-Signature` header on the raw
   * body, then decodes the event. Rejects with `SignatureVerificationError` or
   * `WebhookPayloadError`.
   *
   * @since 0.1.0
   */
  readonly webhooks = {
    /** See `Webhook.constructEventPromise` in `@paymentflow/core`. */
    constructEvent: (
      payload: Webhook.Payload,
      signatureHeader: Webhook.SignatureHeader,
      secret: Webhook.Secret,
      options?: Webhook.PromiseVerifyOptions
    ): Promise<Event> => Webhook.constructEventPromise(payload, signatureHeader, secret, options)
  }
}
