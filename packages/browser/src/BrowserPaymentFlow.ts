/**
 * The PaymentFlow client for browsers, as an Effect service over `fetch`.
 *
 * A browser holds a publishable key (`pk_…`), and a publishable key may only create, retrieve
 * and confirm payments. The service's type has exactly those three operations, so code that
 * would need a secret key does not compile; a secret key (`sk_…`) is refused with
 * `AuthenticationError` `secret_key_in_browser` before any request is made.
 *
 * @example
 * ```ts
 * import { BrowserPaymentFlow } from "@paymentflow/browser"
 * import { Sandbox } from "@paymentflow/sandbox"
 * import { Effect, Layer } from "effect"
 *
 * const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
 * const program = Effect.gen(function*() {
 *   const pf = yield* BrowserPaymentFlow
 *   const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   return yield* pf.payments.confirm(payment.id, { paymentMethod: { card } })
 * })
 *
 * // on a page: Effect.provide(BrowserPaymentFlow.layer({ apiKey: "pk_test_..." })) (over fetch);
 * // here the in-process sandbox serves the calls
 * const BrowserPaymentFlowTest = BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: "pk_test_0123456789abcdef" }).pipe(
 *   Layer.provide(Sandbox.layer())
 * )
 * Effect.runPromise(program.pipe(Effect.provide(BrowserPaymentFlowTest))).then((payment) => {
 *   console.log(payment.status) // succeeded
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Api from "@paymentflow/core/Api"
import * as ApiKey from "@paymentflow/core/ApiKey"
import * as Endpoint from "@paymentflow/core/Endpoint"
import {
  fromOperations,
  makeSubset,
  type Options as CoreOptions,
  type ServiceOf
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
export type PublishableOperation = {
  readonly [K in Api.ClientKey]: Api.Endpoints[K]["access"] extends Endpoint.Publishable ? K : never
}[Api.ClientKey]

// The guard reads the very field `PublishableOperation` is computed from.
const isPublishable = (key: Api.ClientKey): key is PublishableOperation =>
  Endpoint.allowsPublishable(Api.endpoints[key].access)

/**
 * The operations a publishable key may call, as a list (selected from the rows by `access`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const PUBLISHABLE_OPERATIONS: ReadonlyArray<PublishableOperation> = Api.clientKeys.filter(isPublishable)

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
    return Effect.succeed(fromOperations(PUBLISHABLE_OPERATIONS, () => () => refused))
  }
  return makeSubset(options, PUBLISHABLE_OPERATIONS)
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
   * `access` admits a publishable key, grouped and named as in core's client.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface Service extends ServiceOf<PublishableOperation> {}
}
