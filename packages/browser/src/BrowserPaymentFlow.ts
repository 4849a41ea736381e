/**
 * The PaymentFlow client for browsers, as an Effect service over `fetch`.
 *
 * A browser holds a publishable key (`pk_…`). The merchant's server creates the payment with its
 * secret key and hands the payment's `client_secret` to the page; the page retrieves and confirms
 * that one payment with it: `payments.retrieve(clientSecret)`,
 * `payments.confirm(clientSecret, { paymentMethod })` (the payment's id is the secret's prefix; a
 * malformed secret fails with `ValidationError` field `client_secret`, nothing sent). The
 * service's type has exactly what a publishable key may call (the rows whose `access` admits
 * one), so `payments.create`, or anything else that needs a secret key, does not compile; a
 * secret key (`sk_…`) is refused with `AuthenticationError` `secret_key_in_browser` before any
 * request is made.
 *
 * @example
 * ```ts
 * import { BrowserPaymentFlow } from "@paymentflow/browser"
 * import { PaymentFlow } from "@paymentflow/core"
 * import { Sandbox } from "@paymentflow/sandbox"
 * import { Effect, Layer } from "effect"
 *
 * const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
 * // the page: it holds the publishable key and the client secret its server handed it
 * const checkout = (clientSecret: string) =>
 *   Effect.gen(function*() {
 *     const pf = yield* BrowserPaymentFlow
 *     return yield* pf.payments.confirm(clientSecret, { paymentMethod: { card } })
 *   })
 * // the merchant's server: it prices the order and creates the payment with its secret key
 * const server = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   return payment.clientSecret
 * })
 *
 * // on a page: Effect.provide(BrowserPaymentFlow.layer({ apiKey: "pk_test_..." })) (over fetch);
 * // here one in-process sandbox serves both
 * const program = Effect.flatMap(server, checkout).pipe(
 *   Effect.provide(Layer.mergeAll(
 *     PaymentFlow.layer({ apiKey: "sk_test_0123456789abcdef" }),
 *     BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: "pk_test_0123456789abcdef" })
 *   )),
 *   Effect.provide(Sandbox.layer())
 * )
 * Effect.runPromise(program).then((payment) => {
 *   console.log(payment.status) // succeeded
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as ApiKey from "@paymentflow/core/ApiKey"
import {
  fromPublishableOperations,
  makePublishableSubset,
  type Options as CoreOptions,
  type PublishableKey,
  publishableKeys,
  type PublishableServiceOf
} from "@paymentflow/core/PaymentFlow"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { refuseSecretKey } from "./internal/guard.js"

/**
 * The operations a publishable key may call: the rows whose `access` admits one
 * (`Endpoint.Publishable`).
 *
 * @since 0.1.0
 * @category Models
 */
export type PublishableOperation = PublishableKey

/**
 * The operations a publishable key may call, as a list (selected from the rows by `access`).
 * Read from the user's rows only, so the bundle carries none of the sandbox's rows.
 *
 * @since 0.1.0
 * @category Constants
 */
export const PUBLISHABLE_OPERATIONS: ReadonlyArray<PublishableOperation> = publishableKeys

/**
 * Options of the browser client (declared as `BrowserPaymentFlow.Options`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Options = BrowserPaymentFlow.Options

/**
 * The browser client (declared as `BrowserPaymentFlow.Service`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Service = BrowserPaymentFlow.Service

/**
 * Builds the client on the `HttpClient` of the environment. Nothing fails here: a secret key
 * (and, as in core, a malformed key, an environment mismatch or an insecure base URL) makes every
 * operation fail with a typed `AuthenticationError`, before any request.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient | Scope.Scope> => {
  const refusal = refuseSecretKey(ApiKey.value(options.apiKey))
  if (refusal !== undefined) {
    // The secret key goes no further: no operation is built with it, so none can send it.
    const refused = Effect.fail(refusal)
    return Effect.succeed(fromPublishableOperations(PUBLISHABLE_OPERATIONS, () => () => refused))
  }
  return makePublishableSubset(options, PUBLISHABLE_OPERATIONS)
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category Tags
 */
export class BrowserPaymentFlow extends Context.Tag("@paymentflow/browser/BrowserPaymentFlow")<BrowserPaymentFlow, Service>() {
  /**
   * @since 0.1.0
   * @category Constructors
   */
  static readonly make = make
  /**
   * The client over the browser's `fetch` (`@effect/platform`'s `FetchHttpClient`).
   * Interrupting an operation aborts its request.
   *
   * @since 0.1.0
   * @category Layers
   */
  static readonly layer = (options: Options): Layer.Layer<BrowserPaymentFlow> =>
    Layer.scoped(BrowserPaymentFlow, make(options)).pipe(Layer.provide(FetchHttpClient.layer))
  /**
   * The client over an `HttpClient` you provide (a `FetchHttpClient` with custom `RequestInit`,
   * a test client).
   *
   * @since 0.1.0
   * @category Layers
   */
  static readonly layerWithoutHttpClient = (options: Options): Layer.Layer<BrowserPaymentFlow, never, HttpClient.HttpClient> =>
    Layer.scoped(BrowserPaymentFlow, make(options))
}

/**
 * The client's types, declared here and aliased at the top level (a namespace member written as
 * `import("./BrowserPaymentFlow.js").Service` would become `type Service = Service`, i.e. `any`,
 * once the declarations are bundled).
 *
 * @since 0.1.0
 */
export declare namespace BrowserPaymentFlow {
  /**
   * Options of the browser client: core's client options. `apiKey` must be a publishable key: a
   * secret key is always refused here (`secret_key_in_browser`), so core's
   * `dangerouslyAllowBrowser` has no meaning in this package and is not offered.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface Options extends Omit<CoreOptions, "dangerouslyAllowBrowser"> {}
  /**
   * The browser client: what a publishable key may do, and nothing else — the rows whose
   * `access` admits a publishable key, grouped and named as in core's client; a row whose access
   * asks for the object's client secret (`{ publishable: "with_client_secret" }`) takes that
   * secret in place of the id.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface Service extends PublishableServiceOf<PublishableOperation> {}
}
