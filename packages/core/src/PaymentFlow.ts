/**
 * The PaymentFlow client as an Effect service. It interprets the endpoint table of `Api.ts` on
 * whatever `HttpClient` the environment provides (undici in `@paymentflow/node`, fetch in the
 * browser, a scripted client or the in-process sandbox in tests), and never imports
 * `@effect/platform/HttpApi*`, which would drag the server router into browser bundles.
 *
 * ```ts
 * import { PaymentFlow } from "@paymentflow/core"
 *
 * const program = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   return yield* pf.payments.retrieve(payment.id)
 * }).pipe(Effect.catchTag("NotFoundError", () => Effect.succeed(undefined)))
 *
 * program.pipe(Effect.provide(PaymentFlow.layer({ apiKey: Redacted.make("sk_test_...") })), ...)
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
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as Api from "./Api.js"
import type * as ApiKey from "./ApiKey.js"
import type * as Endpoint from "./Endpoint.js"
import type * as Errors from "./Errors.js"
import * as internal from "./internal/client.js"
import type * as Retry from "./Retry.js"

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
   * before anything is sent.
   */
  readonly apiKey: string | Redacted.Redacted<string>
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
  /** A client-side limit on requests (each attempt counts), using Effect's `RateLimiter`. */
  readonly rateLimit?: { readonly limit: number; readonly interval: Duration.DurationInput } | undefined
  /** Middleware for the underlying `HttpClient` (logging, proxies, extra headers). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** Overrides the `PaymentFlow-Client` telemetry header (wrappers may name themselves). */
  readonly userAgent?: string | undefined
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

type Row<K extends Api.EndpointKey> = Api.Endpoints[K]

/**
 * The error channel of an endpoint: its own error classes plus the common ones.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorOf<K extends Api.EndpointKey> = Errors.ErrorOf<Endpoint.ErrorsOf<Row<K>>>

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

type Result<K extends Api.EndpointKey> = Effect.Effect<SuccessOf<K>, ErrorOf<K>>

/**
 * One operation, its arguments in the order the table row implies: `(id, params, options)`,
 * with whatever the row lacks left out; params that are all optional may be omitted.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operation<K extends Api.EndpointKey> = [IdOf<K>] extends [never]
  ? [ParamsOf<K>] extends [never] ? (options?: RequestOptions) => Result<K>
  : {} extends ParamsOf<K> ? (params?: ParamsOf<K>, options?: RequestOptions) => Result<K>
  : (params: ParamsOf<K>, options?: RequestOptions) => Result<K>
  : [ParamsOf<K>] extends [never] ? (id: IdOf<K>, options?: RequestOptions) => Result<K>
  : (id: IdOf<K>, params: ParamsOf<K>, options?: RequestOptions) => Result<K>

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
export type ListAll<K extends Api.EndpointKey> = (
  params?: ParamsOf<K>,
  options?: RequestOptions
) => Stream.Stream<ItemOf<K>, ErrorOf<K>>

/**
 * The client.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  readonly payments: {
    /** `POST /v1/payments`. */
    readonly create: Operation<"payments.create">
    /** `GET /v1/payments/{id}`. */
    readonly retrieve: Operation<"payments.retrieve">
    /** `GET /v1/payments`: one page. */
    readonly list: Operation<"payments.list">
    /** Every payment matching the filters, page after page. */
    readonly listAll: ListAll<"payments.list">
    /** `POST /v1/payments/{id}/confirm`. */
    readonly confirm: Operation<"payments.confirm">
    /** `POST /v1/payments/{id}/cancel`. */
    readonly cancel: Operation<"payments.cancel">
  }
  readonly refunds: {
    /** `POST /v1/refunds`. */
    readonly create: Operation<"refunds.create">
    /** `GET /v1/refunds/{id}`. */
    readonly retrieve: Operation<"refunds.retrieve">
    /** `GET /v1/refunds`: one page. */
    readonly list: Operation<"refunds.list">
    /** Every refund matching the filters, page after page. */
    readonly listAll: ListAll<"refunds.list">
  }
  readonly customers: {
    /** `POST /v1/customers`. */
    readonly create: Operation<"customers.create">
    /** `GET /v1/customers/{id}`. */
    readonly retrieve: Operation<"customers.retrieve">
    /** `PATCH /v1/customers/{id}`. */
    readonly update: Operation<"customers.update">
    /** `DELETE /v1/customers/{id}`. */
    readonly delete: Operation<"customers.delete">
    /** `GET /v1/customers`: one page. */
    readonly list: Operation<"customers.list">
    /** Every customer matching the filters, page after page. */
    readonly listAll: ListAll<"customers.list">
  }
}

/**
 * A subset of operations keyed `group.name`, for clients that need only some (the browser's
 * publishable-key client picks `payments.create`, `payments.retrieve`, `payments.confirm`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Operations<K extends Api.EndpointKey> = { readonly [P in K]: Operation<P> }

// The interpreter is generic over the table; each operation's type is derived from the very
// row it was built from, which is what makes this the one place a cast is needed.
const typed = <K extends Api.EndpointKey>(_key: K, op: internal.AnyOperation): Operation<K> =>
  op as unknown as Operation<K>
const typedListAll = <K extends Api.EndpointKey>(_key: K, op: internal.AnyOperation): ListAll<K> =>
  internal.makeListAll(op) as unknown as ListAll<K>

/**
 * Builds some operations only. The browser package uses this so that its bundle holds no
 * more of the client than it needs.
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
 * Builds the client. Nothing fails here: a bad key, environment or base URL makes each
 * operation fail with a typed `AuthenticationError`, before any request.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(internal.makeContext(options), (ctx): Service => {
    const op = (key: Api.EndpointKey) => internal.makeOperation(ctx, Api.endpoints[key])
    const paymentsList = op("payments.list")
    const refundsList = op("refunds.list")
    const customersList = op("customers.list")
    return {
      payments: {
        create: typed("payments.create", op("payments.create")),
        retrieve: typed("payments.retrieve", op("payments.retrieve")),
        list: typed("payments.list", paymentsList),
        listAll: typedListAll("payments.list", paymentsList),
        confirm: typed("payments.confirm", op("payments.confirm")),
        cancel: typed("payments.cancel", op("payments.cancel"))
      },
      refunds: {
        create: typed("refunds.create", op("refunds.create")),
        retrieve: typed("refunds.retrieve", op("refunds.retrieve")),
        list: typed("refunds.list", refundsList),
        listAll: typedListAll("refunds.list", refundsList)
      },
      customers: {
        create: typed("customers.create", op("customers.create")),
        retrieve: typed("customers.retrieve", op("customers.retrieve")),
        update: typed("customers.update", op("customers.update")),
        delete: typed("customers.delete", op("customers.delete")),
        list: typed("customers.list", customersList),
        listAll: typedListAll("customers.list", customersList)
      }
    }
  })

/**
 * Config for {@link layerConfig}: every option may come from `Config`.
 *
 * @since 0.1.0
 * @category Models
 */
export type ConfigOptions = {
  readonly [K in keyof Options]: Options[K] | Config.Config<Options[K]>
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category Tags
 */
export class PaymentFlow extends Context.Tag("@paymentflow/core/PaymentFlow")<PaymentFlow, Service>() {
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
 * @since 0.1.0
 */
export declare namespace PaymentFlow {
  /**
   * @since 0.1.0
   * @category Models
   */
  export type Service = import("./PaymentFlow.js").Service
  /**
   * @since 0.1.0
   * @category Models
   */
  export type Options = import("./PaymentFlow.js").Options
  /**
   * @since 0.1.0
   * @category Models
   */
  export type RequestOptions = import("./PaymentFlow.js").RequestOptions
  /**
   * @since 0.1.0
   * @category Models
   */
  export type ConfigOptions = import("./PaymentFlow.js").ConfigOptions
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
