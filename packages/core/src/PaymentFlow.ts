/**
 * The PaymentFlow client as an Effect service. It interprets the endpoint table of `Api.ts` on
 * whatever `HttpClient` the environment provides (undici in `@paymentflow/node`, fetch in the
 * browser, a scripted client or the in-process sandbox in tests), and never imports
 * `@effect/platform/HttpApi*`, which would drag the server router into browser bundles.
 *
 * Over 300 lines for one reason: the service's type is derived here from the rows (`Derive`,
 * `ServiceOf`, the argument lists a row implies) beside the walk that builds it (`fromOperations`),
 * so the two that must mirror each other are read together; the options carry a JSDoc line each.
 *
 * @example
 * ```ts
 * import { PaymentFlow } from "@paymentflow/core"
 * import { Sandbox } from "@paymentflow/sandbox"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   return yield* pf.payments.retrieve(payment.id)
 * }).pipe(Effect.catchTag("NotFoundError", () => Effect.succeed(undefined)))
 *
 * // PaymentFlow.layer needs an HttpClient: NodePaymentFlow.layer (undici) or
 * // BrowserPaymentFlow.layer (fetch) bring theirs; here the in-process sandbox serves the calls
 * const PaymentFlowTest = PaymentFlow.layer({ apiKey: Redacted.make("sk_test_0123456789abcdef") }).pipe(
 *   Layer.provide(Sandbox.layer())
 * )
 *
 * Effect.runPromise(program.pipe(Effect.provide(PaymentFlowTest))).then((payment) => {
 *   console.log(payment?.status) // pending
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as LogLevel from "effect/LogLevel"
import type * as RateLimiter from "effect/RateLimiter"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as Api from "./Api.js"
import type * as ApiKey from "./ApiKey.js"
import * as Endpoint from "./Endpoint.js"
import type * as Errors from "./Errors.js"
import * as internal from "./internal/client.js"
import { clientEndpoints } from "./internal/clientRows.js"
import * as List from "./List.js"
import type { Page } from "./List.js"
import type * as Retry from "./Retry.js"

/**
 * Options of a client (declared as `PaymentFlow.Options`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Options = PaymentFlow.Options

/**
 * Options of one call (declared as `PaymentFlow.RequestOptions`).
 *
 * @since 0.1.0
 * @category Models
 */
export type RequestOptions = PaymentFlow.RequestOptions

type Row<K extends Api.EndpointKey> = Api.Endpoints[K]

/**
 * The error channel of an endpoint: its own error classes plus the common ones.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorOf<K extends Api.EndpointKey> = ErrorByTag[Endpoint.ErrorsOf<Row<K>>]

/**
 * Each error class's instances by tag. An error channel is an indexed access into it, so that
 * where it is written inline (in {@link Operation}) an editor shows the union of the class names
 * (`ValidationError | NotFoundError | …`), not the name of an alias.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorByTag = { readonly [T in keyof typeof Errors.ErrorClasses]: InstanceType<(typeof Errors.ErrorClasses)[T]> }

/**
 * What an endpoint returns.
 *
 * @since 0.1.0
 * @category Models
 */
export type SuccessOf<K extends Api.EndpointKey> = Schema.Schema.Type<Row<K>["success"]>

/**
 * The parameters of an endpoint (camelCase), `never` when it takes none.
 *
 * @since 0.1.0
 * @category Models
 */
export type ParamsOf<K extends Api.EndpointKey> = Row<K>["params"] extends Schema.Schema.AnyNoContext
  ? Schema.Schema.Type<Row<K>["params"]>
  : never

/**
 * The id type of an endpoint's path (`PaymentId`, ...), `never` when it has none.
 *
 * @since 0.1.0
 * @category Models
 */
export type IdOf<K extends Api.EndpointKey> = Row<K>["id"] extends Schema.Schema.AnyNoContext
  ? Schema.Schema.Type<Row<K>["id"]>
  : never

/**
 * The argument list a row implies, for any client: `(id, params, options)` with whatever the row
 * lacks left out. Params that are all optional may be omitted, except on a write with an id
 * (`confirm`, `update`), where they say what to do. `Id`, `Params`, `Options` and `R` are the
 * client's own types for them (the Promise clients take ids as plain strings).
 *
 * @since 0.1.0
 * @category Models
 */
export type Signature<K extends Api.EndpointKey, Id, Params, Options, R> = [IdOf<K>] extends [never]
  ? [ParamsOf<K>] extends [never] ? (options?: Options) => R
  : {} extends ParamsOf<K> ? (params?: Params, options?: Options) => R
  : (params: Params, options?: Options) => R
  : [ParamsOf<K>] extends [never] ? (id: Id, options?: Options) => R
  : Row<K>["method"] extends "GET" ? {} extends ParamsOf<K> ? (id: Id, params?: Params, options?: Options) => R
    : (id: Id, params: Params, options?: Options) => R
  : (id: Id, params: Params, options?: Options) => R

/**
 * The argument list of a row a publishable client calls by the object's client secret (access
 * {@link Endpoint.WithClientSecret}): `(clientSecret, params, options)`, the secret in place of
 * the id (the id is its prefix), params as {@link Signature} takes them.
 *
 * @since 0.1.0
 * @category Models
 */
export type ClientSecretSignature<K extends Api.EndpointKey, Params, Options, R> = [ParamsOf<K>] extends [never]
  ? (clientSecret: string, options?: Options) => R
  : Row<K>["method"] extends "GET" ? {} extends ParamsOf<K> ? (clientSecret: string, params?: Params, options?: Options) => R
    : (clientSecret: string, params: Params, options?: Options) => R
  : (clientSecret: string, params: Params, options?: Options) => R

/**
 * The argument list of a row in a publishable client (the browser's): by the client secret
 * ({@link ClientSecretSignature}) where the row's access asks for one, else {@link Signature}.
 *
 * @since 0.1.0
 * @category Models
 */
export type PublishableSignature<K extends Api.EndpointKey, Id, Params, Options, R> = Row<K>["access"] extends
  Endpoint.WithClientSecret ? ClientSecretSignature<K, Params, Options, R>
  : Signature<K, Id, Params, Options, R>

/**
 * The argument list of a row's `listAll`: the list's own, params always optional.
 *
 * @since 0.1.0
 * @category Models
 */
export type ListSignature<K extends Api.EndpointKey, Id, Params, Options, R> = [IdOf<K>] extends [never]
  ? (params?: Params, options?: Options) => R
  : (id: Id, params?: Params, options?: Options) => R

/**
 * One operation, its arguments in the order the table row implies: `(id, params, options)`,
 * with whatever the row lacks left out; params that are all optional may be omitted. The id is
 * a plain `string` (a route's parameter, a database column): it is checked with the row's id
 * schema before sending, and a malformed one fails with `ValidationError` field `id`, nothing
 * sent. Results keep branded ids (`PaymentId`, assignable to `string`).
 *
 * The result is written as `Effect.Effect<…>` itself, not through an alias, so that an editor's
 * hover shows `Effect<Payment, ValidationError | … | ApiError>` rather than an alias's name.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operation<K extends Api.EndpointKey> = Signature<
  K,
  string,
  ParamsOf<K>,
  RequestOptions,
  Effect.Effect<SuccessOf<K>, ErrorByTag[Endpoint.ErrorsOf<Row<K>>]>
>

/**
 * One operation of a publishable client ({@link PublishableSignature}), typed as {@link Operation}.
 *
 * @since 0.1.0
 * @category Models
 */
export type PublishableOperation<K extends Api.EndpointKey> = PublishableSignature<
  K,
  string,
  ParamsOf<K>,
  RequestOptions,
  Effect.Effect<SuccessOf<K>, ErrorByTag[Endpoint.ErrorsOf<Row<K>>]>
>

/**
 * The item type of a list endpoint.
 *
 * @since 0.1.0
 * @category Models
 */
export type ItemOf<K extends Api.EndpointKey> = SuccessOf<K> extends { readonly data: ReadonlyArray<infer A> } ? A
  : never

/**
 * Every object of a list, newest first, as a `Stream` that fetches the next page (with
 * `startingAfter` = the last id) only when it is pulled, so memory stays at one page.
 *
 * @since 0.1.0
 * @category Models
 */
export type ListAll<K extends Api.EndpointKey> = ListSignature<
  K,
  string,
  ParamsOf<K>,
  RequestOptions,
  Stream.Stream<ItemOf<K>, ErrorOf<K>>
>

/**
 * The list rows among `K`: those whose success is a `List(...)` page.
 *
 * @since 0.1.0
 * @category Models
 */
export type ListKey<K extends Api.EndpointKey> = K extends Api.EndpointKey ? SuccessOf<K> extends Page<unknown> ? K : never
  : never

/**
 * The name of a list row's `listAll`: `list` → `listAll`, `listPaymentMethods` →
 * `listAllPaymentMethods`, any other name `n` → `nAll`.
 *
 * @since 0.1.0
 * @category Models
 */
export type ListAllName<Name extends string> = Name extends `list${infer Rest}` ? `listAll${Rest}` : `${Name}All`

/**
 * {@link ListAllName} at run time, the one place both clients (Effect and Promise) name a
 * list row's `listAll` member.
 *
 * @since 0.1.0
 * @category Utils
 */
export const listAllName = <Name extends string>(name: Name): ListAllName<Name> =>
  // The cast restates the type's two branches, taken by the same test on the same string.
  (name.startsWith("list") ? `listAll${name.slice(4)}` : `${name}All`) as ListAllName<Name>

/**
 * How a client types each member it derives from a row: `operation` and `listAll` read
 * `this["key"]` (a type-level function, as Effect's `TypeLambda`s are). The Effect client's is
 * {@link EffectInterpretation}; the Promise facade has its own.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Interpretation {
  readonly key: Api.EndpointKey
  readonly operation: unknown
  readonly listAll: unknown
}

/**
 * The Effect client's interpretation of a row.
 *
 * @since 0.1.0
 * @category Models
 */
export interface EffectInterpretation extends Interpretation {
  readonly operation: Operation<this["key"]>
  readonly listAll: ListAll<this["key"]>
}

type Apply<F extends Interpretation, K extends Api.EndpointKey> = F & { readonly key: K }
type ListAllMember<K extends string> = `${K}:listAll`
type Member<K extends Api.EndpointKey> = K | ListAllMember<ListKey<K>>
type RowOfMember<M> = M extends ListAllMember<infer K extends Api.EndpointKey> ? K : M & Api.EndpointKey
type NameOfMember<M> = M extends ListAllMember<infer K extends Api.EndpointKey> ? ListAllName<Row<K>["name"]>
  : Row<M & Api.EndpointKey>["name"]

/**
 * The client derived from rows `K` as `F` types them: one member per group (`payments`, ...),
 * in it one operation per row (named by the row's `name`) and a `listAll` per list row.
 *
 * @since 0.1.0
 * @category Models
 */
export type Derive<K extends Api.EndpointKey, F extends Interpretation> = {
  readonly [G in Row<K>["group"]]: {
    readonly [M in Member<K> as Row<RowOfMember<M>>["group"] extends G ? NameOfMember<M> : never]: M extends
      ListAllMember<infer L extends Api.EndpointKey> ? Apply<F, L>["listAll"]
      : Apply<F, M & Api.EndpointKey>["operation"]
  }
}

/**
 * A publishable Effect client's interpretation of a row ({@link PublishableOperation}).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PublishableInterpretation extends Interpretation {
  readonly operation: PublishableOperation<this["key"]>
  readonly listAll: ListAll<this["key"]>
}

/**
 * The publishable Effect client of rows `K` (the browser's): rows whose access asks for a
 * client secret take it in place of the id.
 *
 * @since 0.1.0
 * @category Models
 */
export type PublishableServiceOf<K extends Api.EndpointKey> = Derive<K, PublishableInterpretation>

/**
 * The Effect client of rows `K`.
 *
 * @since 0.1.0
 * @category Models
 */
export type ServiceOf<K extends Api.EndpointKey> = Derive<K, EffectInterpretation>

/**
 * The client: every row of the user's API (`Api.ClientKey`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Service = PaymentFlow.Service

/**
 * A subset of operations keyed `group.name`, for clients that need only some.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operations<K extends Api.EndpointKey> = { readonly [P in K]: Operation<P> }

/** A member of a derived client, untyped: an operation or a `listAll`. */
type AnyMember = (...args: ReadonlyArray<never>) => unknown

const listAllOf = (endpoint: Endpoint.Any, list: internal.AnyOperation): AnyMember | undefined => {
  if (!List.isList(endpoint.success)) return undefined
  if (endpoint.id === undefined) return internal.makeListAll(list)
  // A list under an id (`/v1/customers/:id/payment_methods`): the id is fixed for every page.
  return (id: unknown, params?: unknown, options?: RequestOptions) =>
    internal.makeListAll((...rest) => list(id, ...rest))(params, options)
}

/**
 * Builds the client of rows `keys` by walking the rows: `build` makes each row's operation, and
 * each list row gets its `listAll` over it. `make` uses it with the table's interpreter; the
 * browser also uses it for a client that refuses every call.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const fromOperations = <K extends Api.EndpointKey>(
  keys: ReadonlyArray<K>,
  build: (endpoint: Endpoint.Any, key: K) => internal.AnyOperation
): ServiceOf<K> =>
  // The one cast: the interpreter is untyped and generic over the table, and each member was
  // built from the very row its type in `ServiceOf` is derived from (`Derive` mirrors `walk`:
  // group, name, and `listAllName` for a row whose success is a `List`).
  walk(Api.endpoints, keys, build) as unknown as ServiceOf<K>

/**
 * The keys of the user's rows a publishable (`pk_`) key may call: those whose `access` admits
 * one (`Endpoint.Publishable`). What the browser's client is made of.
 *
 * @since 0.1.0
 * @category Models
 */
export type PublishableKey = {
  readonly [K in Api.ClientKey]: Row<K>["access"] extends Endpoint.Publishable ? K : never
}[Api.ClientKey]

// The guard reads the very field `PublishableKey` is computed from.
const isPublishable = (key: Api.ClientKey): key is PublishableKey => Endpoint.allowsPublishable(clientEndpoints[key].access)

/**
 * {@link PublishableKey} as a list, in the order of the rows (selected from the rows by `access`).
 *
 * The publishable client reads the user's rows (`surface: "client"`) and not the whole table
 * (`Api.endpoints`, the sandbox's own rows included): a publishable row is always a user's row,
 * and a browser bundle then carries no sandbox row and none of its schemas.
 *
 * @since 0.1.0
 * @category Constants
 */
export const publishableKeys: ReadonlyArray<PublishableKey> = /*#__PURE__*/ (
  // The keys of the object literal `clientEndpoints`: exactly `Api.ClientKey`.
  Object.keys(clientEndpoints) as ReadonlyArray<Api.ClientKey>
).filter(isPublishable)

/**
 * The rows of {@link publishableKeys}: what the browser's Promise client offers.
 *
 * @since 0.1.0
 * @category Constants
 */
export const publishableRows: ReadonlyArray<Endpoint.Any> = /*#__PURE__*/ publishableKeys.map((key) => clientEndpoints[key])

/**
 * {@link fromOperations} for a publishable client: `build` makes each row's operation taking the
 * client secret where the row's access asks for one, as {@link PublishableServiceOf} types it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const fromPublishableOperations = <K extends Api.ClientKey>(
  keys: ReadonlyArray<K>,
  build: (endpoint: Endpoint.Any, key: K) => internal.AnyOperation
): PublishableServiceOf<K> =>
  // The cast of `fromOperations`, with `PublishableInterpretation`: the operations `build` makes
  // for a publishable client take what `PublishableSignature` says.
  walk(clientEndpoints, keys, build) as unknown as PublishableServiceOf<K>

const walk = <K extends string>(
  table: { readonly [P in K]: Endpoint.Any },
  keys: ReadonlyArray<K>,
  build: (endpoint: Endpoint.Any, key: K) => internal.AnyOperation
): Record<string, Record<string, AnyMember>> => {
  const groups: Record<string, Record<string, AnyMember>> = {}
  for (const key of keys) {
    const endpoint: Endpoint.Any = table[key]
    const group = groups[endpoint.group] ??= {}
    const operation = build(endpoint, key)
    group[endpoint.name] = operation
    const listAll = listAllOf(endpoint, operation)
    if (listAll !== undefined) group[listAllName(endpoint.name)] = listAll
  }
  return groups
}

/**
 * Builds some operations only, keyed `group.name`.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeOperations = <const K extends Api.EndpointKey>(
  options: Options,
  keys: ReadonlyArray<K>
): Effect.Effect<Operations<K>, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(internal.makeContext(options), (ctx) => {
    const out: Partial<Record<Api.EndpointKey, internal.AnyOperation>> = {}
    for (const key of keys) out[key] = internal.makeOperation(ctx, Api.endpoints[key])
    // Every requested key was filled just above.
    return out as unknown as Operations<K>
  })

/**
 * Builds the client of some rows only, grouped as the full client is. The browser package uses
 * this with the publishable rows.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeSubset = <const K extends Api.EndpointKey>(
  options: Options,
  keys: ReadonlyArray<K>
): Effect.Effect<ServiceOf<K>, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(internal.makeContext(options), (ctx) => fromOperations(keys, (endpoint) => internal.makeOperation(ctx, endpoint)))

/**
 * Builds the publishable client of some rows (the browser's): a row whose access asks for the
 * object's client secret takes that secret in place of the id ({@link PublishableSignature}).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makePublishableSubset = <const K extends Api.ClientKey>(
  options: Options,
  keys: ReadonlyArray<K>
): Effect.Effect<PublishableServiceOf<K>, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(internal.makeContext(options), (ctx) =>
    fromPublishableOperations(
      keys,
      (endpoint) => internal.makeOperation(ctx, endpoint, Endpoint.takesClientSecret(endpoint.access))
    ))

/**
 * Builds the client. Nothing fails here: a bad key, environment or base URL makes each
 * operation fail with a typed `AuthenticationError`, before any request.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient | Scope.Scope> =>
  makeSubset(options, Api.clientKeys)

/**
 * What a call learned from its last response (declared as `PaymentFlow.ResponseMetadata`).
 *
 * @since 0.1.0
 * @category Models
 */
export type ResponseMetadata = PaymentFlow.ResponseMetadata

/**
 * A result with its response's metadata (declared as `PaymentFlow.WithResponse`).
 *
 * @since 0.1.0
 * @category Models
 */
export type WithResponse<A> = PaymentFlow.WithResponse<A>

/**
 * Runs an operation and gives its typed result together with its response's metadata:
 * `pf.payments.create(params).pipe(PaymentFlow.withResponse)` is an
 * `Effect<{ data: Payment, response: ResponseMetadata }, …the same errors…>`.
 *
 * Why a combinator rather than a second, derived client (`pf.withResponse.payments.create`): it
 * keeps every type exactly as the operation's (success, errors, requirements — generic, with no
 * second derivation of the rows to keep in step), and it composes with whatever the user pipes.
 * The metadata is that of the last operation the effect completed with a response (one
 * operation: its own); an effect that ran none dies with a defect saying so. A failed call's
 * error carries `requestId`, `statusCode` and `attempts` itself.
 *
 * @since 0.1.0
 * @category Combinators
 */
export const withResponse = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<WithResponse<A>, E, R> =>
  Effect.suspend(() => {
    const cell = internal.makeMetadataCell()
    return Effect.flatMap(Effect.locally(self, internal.currentMetadataCell, cell), (data) => {
      const response = internal.readMetadata(cell)
      return response === undefined
        ? Effect.dieMessage(internal.NO_RESPONSE)
        : Effect.succeed({ data, response })
    })
  })

/**
 * Config for `PaymentFlow.layerConfig` (declared as `PaymentFlow.ConfigOptions`).
 *
 * @since 0.1.0
 * @category Models
 */
export type ConfigOptions = PaymentFlow.ConfigOptions

// Pure: a bundle that uses only the functions above (the browser's) leaves the tag, its `make` and
// with them the whole table out.
/**
 * The service tag.
 *
 * @since 0.1.0
 * @category Tags
 */
export class PaymentFlow extends /*#__PURE__*/ Context.Tag("@paymentflow/core/PaymentFlow")<PaymentFlow, Service>() {
  /**
   * @since 0.1.0
   * @category Constructors
   */
  static readonly make = make
  /**
   * @since 0.1.0
   * @category Constructors
   */
  static readonly makeOperations = makeOperations
  /**
   * @since 0.1.0
   * @category Combinators
   */
  static readonly withResponse = withResponse
  /**
   * @since 0.1.0
   * @category Layers
   */
  static readonly layer = (options: Options): Layer.Layer<PaymentFlow, never, HttpClient.HttpClient> =>
    Layer.scoped(PaymentFlow, make(options))
  /**
   * Options from `Config`, e.g. `{ apiKey: Config.redacted("PAYMENTFLOW_API_KEY") }`. Plain
   * values are taken as they are.
   *
   * @since 0.1.0
   * @category Layers
   */
  static readonly layerConfig = (
    options: ConfigOptions
  ): Layer.Layer<PaymentFlow, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.scoped(PaymentFlow, Effect.flatMap(resolveConfig(options), make))
}

/**
 * The client's types. They are declared here, in the namespace, and aliased at the top level
 * (not the other way round): a namespace member written as `import("./PaymentFlow.js").Service`
 * becomes `type Service = Service` once the declarations are bundled, i.e. `any` for users.
 *
 * @since 0.1.0
 */
export declare namespace PaymentFlow {
  /**
   * Options of a client.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface Options {
    /**
     * A `pk_…` or `sk_…` key. Prefer `Redacted` (`Config.redacted("PAYMENTFLOW_API_KEY")`). A
     * malformed key makes every operation fail with `AuthenticationError` `api_key_invalid`
     * before anything is sent; a missing one (`undefined`, as `process.env.X` is when unset, `""`
     * or a wiped `Redacted`) with `api_key_missing`. Building the client never throws.
     */
    readonly apiKey: string | Redacted.Redacted<string> | undefined
    /**
     * In a browser (`window` and `document` both defined) a secret key (`sk_…`) is refused: every
     * operation fails with `AuthenticationError` `secret_key_in_browser` before any request, as
     * anyone who opens the page could read the key. `true` lets it through — for jsdom or
     * happy-dom tests, never for a real page (which should use `@paymentflow/browser` and a `pk_`
     * key). Default `false`.
     */
    readonly dangerouslyAllowBrowser?: boolean | undefined
    /**
     * `sandbox` or `production`. Omitted: inferred from the key (`*_test_*` → sandbox, `*_live_*`
     * → production). Given and contradicting the key: every operation fails with
     * `AuthenticationError` `api_key_environment_mismatch` before anything is sent.
     */
    readonly environment?: ApiKey.Environment | undefined
    /**
     * Overrides the environment's base URL (the local sandbox server, a proxy). It must be `https`
     * unless its host is loopback (`localhost`, `127.0.0.0/8`, `[::1]`); otherwise every operation
     * fails with `AuthenticationError` `insecure_base_url` and the key is never sent.
     */
    readonly baseUrl?: string | undefined
    /**
     * Retries after the first attempt, with the policy of `Retry.make` (default 2). `0` means
     * exactly one attempt. Ignored when `retry` is given.
     */
    readonly maxRetries?: number | undefined
    /** A full retry policy (a `Schedule` over the failed attempt's error); see `Retry`. */
    readonly retry?: Retry.Policy | undefined
    /**
     * The longest one attempt may take, from sending to reading the whole body (default 30 s).
     * Past it the request is aborted and the attempt fails with `NetworkError` `timeout`.
     * `Duration.infinity` turns the per-attempt timer off. On Node's undici client the timer lives
     * inside the request; on other `HttpClient`s it is an `Effect.timeout` (two fibers per attempt).
     */
    readonly timeout?: Duration.DurationInput | undefined
    /**
     * A client-side limit on requests: every attempt (retries included) waits for its turn.
     *
     * - `{ limit, interval }`: a token bucket in this process's memory (Effect's `RateLimiter`):
     *   `limit` attempts at once, refilled at `limit` per `interval`.
     * - `{ make }`: a limiter built once per client from its API key, for a budget shared by
     *   several processes — `RedisRateLimit.rateLimit(...)` of `@paymentflow/node/Redis`. `make`
     *   receives the raw key; an implementation must name it only by a digest in any store.
     *
     * Neither is the server's sliding window: for no window of the server's length `W` to pass more
     * than the server's limit `S`, choose `limit × (1 + W / interval) ≤ S` (the bucket's capacity
     * plus its refill over `W`), e.g. `{ limit: 10, interval: W }`, or a smaller `limit` with a
     * shorter `interval` for a smoother flow. Leave a margin for network jitter.
     */
    readonly rateLimit?:
      | { readonly limit: number; readonly interval: Duration.DurationInput }
      | { readonly make: (apiKey: string) => Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope> }
      | undefined
    /** Middleware for the underlying `HttpClient` (logging, proxies, extra headers). */
    readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
    /** Overrides the `PaymentFlow-Client` telemetry header (wrappers may name themselves). */
    readonly userAgent?: string | undefined
    /**
     * The level of the line logged after each attempt through Effect's `Logger` (default
     * `"Debug"`, below Effect's default minimum, so silent until asked): method, path, status,
     * request id, attempt and masked key in the message, and as annotations (`method`, `path`,
     * `status`, `requestId`, `attempt`, `durationMs`, `apiKey`, `paymentflow.attempt: true`).
     * `"Info"` shows it under the default minimum level; never the body, never the key.
     */
    readonly logLevel?: LogLevel.Literal | undefined
  }

  /**
   * Options of one call.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface RequestOptions {
    /**
     * The `Idempotency-Key` of a POST (1–255 printable ASCII characters). Omitted: the client
     * generates one for the call. Either way every retry of the call reuses it. Ignored by
     * GET, PATCH and DELETE.
     */
    readonly idempotencyKey?: string | undefined
    /** Overrides the client's per-attempt `timeout`. */
    readonly timeout?: Duration.DurationInput | undefined
    /** Overrides the client's `maxRetries` (`0`: exactly one attempt). */
    readonly maxRetries?: number | undefined
    /** Overrides the client's retry policy. */
    readonly retry?: Retry.Policy | undefined
  }

  /**
   * The client: every row of the user's API (`Api.ClientKey`), grouped by `group`, one operation
   * per row named by its `name`, and a `listAll` per list row.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface Service extends ServiceOf<Api.ClientKey> {}

  /**
   * What a call learned from its last response.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface ResponseMetadata extends internal.Metadata {}

  /**
   * A result with its response's metadata.
   *
   * @since 0.1.0
   * @category Models
   */
  export interface WithResponse<A> {
    readonly data: A
    readonly response: ResponseMetadata
  }

  /**
   * Config for {@link layerConfig}: every option may come from `Config`.
   *
   * @since 0.1.0
   * @category Models
   */
  export type ConfigOptions = {
    readonly [K in keyof Options]: Options[K] | Config.Config<Options[K]>
  }
}

const resolveConfig = (options: ConfigOptions): Effect.Effect<Options, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(options)) {
      out[key] = Config.isConfig(value) ? yield* value : value
    }
    // Each entry is either the option itself or a Config of exactly that option's type.
    return out as unknown as Options
  })
