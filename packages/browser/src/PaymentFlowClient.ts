/**
 * The browser client as Promises, for pages that do not use Effect.
 *
 * ```ts
 * import { PaymentFlowClient, isPaymentFlowError } from "@paymentflow/browser"
 *
 * const client = new PaymentFlowClient({ apiKey: "pk_test_..." })
 * try {
 *   const payment = await client.payments.create({ amount: 2500, currency: "USD" })
 *   const confirmed = await client.payments.confirm(payment.id, { paymentMethod: { card } })
 * } catch (error) {
 *   if (isPaymentFlowError(error)) show(error.message)
 * }
 * ```
 *
 * Rejections are the SDK's own error classes (`error instanceof ValidationError`,
 * `error._tag`, `error.code`), never Effect wrappers. Passing `{ signal }` aborts the call and
 * its request.
 *
 * @since 0.1.0
 */
import type { Loose } from "@paymentflow/core/PaymentFlowClient"
import { type PaymentFlowError, ValidationError } from "@paymentflow/core/Errors"
import { PaymentId } from "@paymentflow/core/Fields"
import * as Rule from "@paymentflow/core/Rule"
import type { Payment } from "@paymentflow/core/Payment"
import type { ParamsOf, RequestOptions } from "@paymentflow/core/PaymentFlow"
import * as Webhook from "@paymentflow/core/Webhook"
import type { Event } from "@paymentflow/core/Event"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import { BrowserPaymentFlow, type Options as BrowserOptions } from "./BrowserPaymentFlow.js"

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
}

/**
 * Options of one call: the Effect client's, plus an `AbortSignal` that cancels the call and
 * aborts its request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface CallOptions extends RequestOptions {
  readonly signal?: AbortSignal | undefined
}

/**
 * The parameters of an operation, ids loosened to `string` (they are checked before sending).
 *
 * @since 0.1.0
 * @category Models
 */
export type Params<K extends "payments.create" | "payments.confirm"> = Loose<ParamsOf<K>>

const decodePaymentId = Schema.decodeUnknownEither(PaymentId)

/**
 * A page's id, checked as core's Promise client checks it: a malformed id is a
 * `ValidationError` on field `id`, before anything is sent.
 */
const paymentId = (id: string): Effect.Effect<PaymentId, ValidationError> => {
  const decoded = decodePaymentId(id)
  return Either.isRight(decoded)
    ? Effect.succeed(decoded.right)
    : Effect.fail(new ValidationError({ code: "parameter_invalid", field: "id", message: `id: ${Rule.violation(decoded.left.issue).message}` }))
}

const rejection = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  if (signal?.aborted === true && Cause.isInterruptedOnly(cause)) return signal.reason
  return Cause.squash(cause)
}

/**
 * The Promise client: `payments.create`, `payments.retrieve`, `payments.confirm` with a
 * publishable key, and webhook verification (Web Crypto).
 *
 * @since 0.1.0
 * @category Constructors
 */
export class PaymentFlowClient {
  readonly #runtime: ManagedRuntime.ManagedRuntime<BrowserPaymentFlow, never>

  constructor(options: Options) {
    const { tracing, ...clientOptions } = options
    this.#runtime = ManagedRuntime.make(
      BrowserPaymentFlow.layer(clientOptions).pipe(Layer.provideMerge(Layer.setTracerEnabled(tracing === true)))
    )
  }

  #call<A>(
    operation: (service: BrowserPaymentFlow.Service, options: RequestOptions | undefined) => Effect.Effect<A, PaymentFlowError>,
    options: CallOptions | undefined
  ): Promise<A> {
    const { signal, ...requestOptions } = options ?? {}
    return this.#runtime.runPromiseExit(
      Effect.flatMap(BrowserPaymentFlow, (service) => operation(service, options === undefined ? undefined : requestOptions)),
      signal === undefined ? undefined : { signal }
    ).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      throw rejection(exit.cause, signal)
    })
  }

  // Params arrive loose (ids as plain strings, as a page has them); the operation checks them
  // against the very schema whose brands the assertion below names, before anything is sent.

  /**
   * Payments, as far as a publishable key may go.
   *
   * @since 0.1.0
   */
  readonly payments = {
    /** `POST /v1/payments`. */
    create: (params: Params<"payments.create">, options?: CallOptions): Promise<Payment> =>
      this.#call((pf, o) => pf.payments.create(params as ParamsOf<"payments.create">, o), options),
    /** `GET /v1/payments/{id}`. */
    retrieve: (id: string, options?: CallOptions): Promise<Payment> =>
      this.#call((pf, o) => Effect.flatMap(paymentId(id), (checked) => pf.payments.retrieve(checked, o)), options),
    /** `POST /v1/payments/{id}/confirm`. */
    confirm: (id: string, params: Params<"payments.confirm">, options?: CallOptions): Promise<Payment> =>
      this.#call((pf, o) => Effect.flatMap(paymentId(id), (checked) => pf.payments.confirm(checked, params, o)), options)
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

  /**
   * Releases the client's runtime.
   *
   * @since 0.1.0
   */
  close(): Promise<void> {
    return this.#runtime.dispose()
  }

  /** @since 0.1.0 */
  toString(): string {
    return "PaymentFlowClient(browser)"
  }
}
