/**
 * The Promise facade over {@link PaymentFlow}, for code that does not use Effect.
 *
 * ```ts
 * const client = new PaymentFlowClient({ apiKey: process.env.PAYMENTFLOW_API_KEY! })
 * try {
 *   const payment = await client.payments.create({ amount: 2500, currency: "USD" }, { idempotencyKey })
 * } catch (err) {
 *   if (err instanceof ValidationError) console.log(err.field)
 * }
 * for await (const payment of client.payments.listAll()) { ... }
 * await client.close()
 * ```
 *
 * Rejections are the SDK's own error classes (`err instanceof ValidationError`), never Effect
 * wrappers. Ids are plain strings, validated before sending. Each client holds one
 * `ManagedRuntime`; `close()` releases it. Effect tracing is off unless `tracing: true` (it
 * would also add `traceparent` headers to every request).
 *
 * This class is platform-neutral and uses `fetch` unless given another `HttpClient` layer;
 * `@paymentflow/node` exports a subclass on a pooled undici client.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Brand from "effect/Brand"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import * as Api from "./Api.js"
import * as ApiKey from "./ApiKey.js"
import type * as Endpoint from "./Endpoint.js"
import { type PaymentFlowError, ValidationError } from "./Errors.js"
import type { Page } from "./List.js"
import {
  PaymentFlow,
  type ItemOf,
  type Options as PaymentFlowOptions,
  type ParamsOf,
  type RequestOptions,
  type Service,
  type SuccessOf
} from "./PaymentFlow.js"
import * as Rule from "./Rule.js"

/**
 * A type with every branded id loosened to `string`: the facade validates ids at run time.
 *
 * @since 0.1.0
 * @category Models
 */
export type Loose<T> = T extends string & { readonly [Brand.BrandTypeId]: unknown } ? string
  : T extends ReadonlyArray<infer A> ? ReadonlyArray<Loose<A>>
  : T extends object ? { readonly [K in keyof T]: Loose<T[K]> }
  : T

/**
 * Options of the facade: the client's options, plus the HTTP layer and tracing.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options extends PaymentFlowOptions {
  /** The `HttpClient` to send requests with (default: `fetch`). */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
  /**
   * Turns Effect tracing on (default off): a span per operation, and `traceparent`/`b3`
   * headers on requests. Provide a tracer with `layer` to export the spans.
   */
  readonly tracing?: boolean | undefined
  /** Extra services for the client's runtime (a `Tracer` or `Logger` layer, say). */
  readonly layer?: Layer.Layer<never> | undefined
}

/**
 * Options of one call: the Effect client's, plus an `AbortSignal` that cancels the call and
 * aborts its HTTP request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface CallOptions extends RequestOptions {
  readonly signal?: AbortSignal | undefined
}

type P<K extends Api.EndpointKey> = Loose<ParamsOf<K>>

/**
 * Turns a failed `Exit` into what a Promise user expects to catch: the SDK error itself, the
 * signal's reason when the call was aborted, or the defect.
 *
 * @since 0.1.0
 * @category Utils
 */
export const squash = (cause: Cause.Cause<unknown>, signal?: AbortSignal): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  if (signal?.aborted === true && Cause.isInterruptedOnly(cause)) return signal.reason
  return Cause.squash(cause)
}

const idCheckers = (() => {
  const out = new Map<string, (id: unknown) => ValidationError | undefined>()
  const rows: ReadonlyArray<readonly [string, Endpoint.Any]> = Object.entries(Api.endpoints)
  for (const [key, endpoint] of rows) {
    if (endpoint.id === undefined) continue
    const decode = Schema.decodeUnknownEither(endpoint.id)
    out.set(key, (id) => {
      const result = decode(id)
      return Either.isLeft(result)
        ? new ValidationError({ code: "parameter_invalid", field: "id", message: `id: ${Rule.violation(result.left.issue).message}` })
        : undefined
    })
  }
  return out
})()

type Untyped = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, PaymentFlowError>

const operationOf = (service: Service, key: Api.EndpointKey): Untyped => {
  const endpoint = Api.endpoints[key]
  const group: Record<string, unknown> = service[endpoint.group]
  // Every row of the table is an operation of its group; the facade passes loose arguments and
  // lets the operation validate them, so it calls them untyped.
  return group[endpoint.name] as Untyped
}

/** The client's runtime once built: how to start a fiber in it, and the service. */
interface Ready {
  readonly runFork: <A, E>(effect: Effect.Effect<A, E, PaymentFlow>) => Fiber.RuntimeFiber<A, E>
  readonly service: Service
}

/**
 * The Promise client.
 *
 * @since 0.1.0
 * @category Constructors
 */
export class PaymentFlowClient {
  readonly #runtime: ManagedRuntime.ManagedRuntime<PaymentFlow, never>
  readonly #masked: string
  #ready: Ready | undefined

  constructor(options: Options) {
    const { httpClient, layer, tracing, ...clientOptions } = options
    this.#masked = ApiKey.maskApiKey(options.apiKey)
    const base = PaymentFlow.layer(clientOptions).pipe(Layer.provide(httpClient ?? FetchHttpClient.layer))
    const extra = Layer.merge(Layer.setTracerEnabled(tracing === true), layer ?? Layer.empty)
    this.#runtime = ManagedRuntime.make(Layer.provideMerge(base, extra))
  }

  /**
   * One call: no `async` wrapper and no `runPromiseExit` (its Promise, then a second one from
   * `.then`): the fiber's observer settles the caller's Promise directly.
   */
  #call(key: Api.EndpointKey, args: ReadonlyArray<unknown>, options: CallOptions | undefined): Promise<unknown> {
    const ready = this.#ready
    if (ready !== undefined) return this.#start(ready, key, args, options)
    return this.#runtime.runtime().then((runtime) => {
      const made = this.#ready ??= { runFork: Runtime.runFork(runtime), service: Context.get(runtime.context, PaymentFlow) }
      return this.#start(made, key, args, options)
    })
  }

  #start(ready: Ready, key: Api.EndpointKey, args: ReadonlyArray<unknown>, options: CallOptions | undefined): Promise<unknown> {
    let effect: Effect.Effect<unknown, PaymentFlowError>
    try {
      const check = idCheckers.get(key)
      if (check !== undefined) {
        const error = check(args[0])
        if (error !== undefined) return Promise.reject(error)
      }
      effect = operationOf(ready.service, key)(...args, options)
    } catch (error) {
      return Promise.reject(error)
    }
    const signal = options?.signal
    return new Promise((resolve, reject) => {
      const fiber = ready.runFork(effect)
      fiber.addObserver((exit) => {
        if (Exit.isSuccess(exit)) resolve(exit.value)
        else reject(squash(exit.cause, signal))
      })
      if (signal === undefined) return
      if (signal.aborted) {
        fiber.unsafeInterruptAsFork(fiber.id())
        return
      }
      const onAbort = () => fiber.unsafeInterruptAsFork(fiber.id())
      signal.addEventListener("abort", onAbort, { once: true })
      fiber.addObserver(() => signal.removeEventListener("abort", onAbort))
    })
  }

  async *#listAll(key: "payments.list" | "refunds.list" | "customers.list", params: object | undefined, options: CallOptions | undefined): AsyncGenerator<unknown> {
    const base: Record<string, unknown> = { ...params }
    for (;;) {
      const page = await this.#call(key, [base], options)
      const data = typeof page === "object" && page !== null && "data" in page && Array.isArray(page.data) ? page.data : []
      for (const item of data) yield item
      const last: unknown = data[data.length - 1]
      const more = typeof page === "object" && page !== null && "hasMore" in page && page.hasMore === true
      if (!more || typeof last !== "object" || last === null || !("id" in last)) return
      base["startingAfter"] = last.id
    }
  }

  /**
   * Payments.
   *
   * @since 0.1.0
   */
  readonly payments = {
    create: (params: P<"payments.create">, options?: CallOptions): Promise<SuccessOf<"payments.create">> =>
      this.#call("payments.create", [params], options) as Promise<SuccessOf<"payments.create">>,
    retrieve: (id: string, options?: CallOptions): Promise<SuccessOf<"payments.retrieve">> =>
      this.#call("payments.retrieve", [id], options) as Promise<SuccessOf<"payments.retrieve">>,
    list: (params?: P<"payments.list">, options?: CallOptions): Promise<Page<ItemOf<"payments.list">>> =>
      this.#call("payments.list", [params], options) as Promise<Page<ItemOf<"payments.list">>>,
    listAll: (params?: P<"payments.list">, options?: CallOptions): AsyncIterable<ItemOf<"payments.list">> =>
      this.#listAll("payments.list", params, options) as AsyncIterable<ItemOf<"payments.list">>,
    confirm: (id: string, params: P<"payments.confirm">, options?: CallOptions): Promise<SuccessOf<"payments.confirm">> =>
      this.#call("payments.confirm", [id, params], options) as Promise<SuccessOf<"payments.confirm">>,
    cancel: (id: string, options?: CallOptions): Promise<SuccessOf<"payments.cancel">> =>
      this.#call("payments.cancel", [id], options) as Promise<SuccessOf<"payments.cancel">>
  }

  /**
   * Refunds.
   *
   * @since 0.1.0
   */
  readonly refunds = {
    create: (params: P<"refunds.create">, options?: CallOptions): Promise<SuccessOf<"refunds.create">> =>
      this.#call("refunds.create", [params], options) as Promise<SuccessOf<"refunds.create">>,
    retrieve: (id: string, options?: CallOptions): Promise<SuccessOf<"refunds.retrieve">> =>
      this.#call("refunds.retrieve", [id], options) as Promise<SuccessOf<"refunds.retrieve">>,
    list: (params?: P<"refunds.list">, options?: CallOptions): Promise<Page<ItemOf<"refunds.list">>> =>
      this.#call("refunds.list", [params], options) as Promise<Page<ItemOf<"refunds.list">>>,
    listAll: (params?: P<"refunds.list">, options?: CallOptions): AsyncIterable<ItemOf<"refunds.list">> =>
      this.#listAll("refunds.list", params, options) as AsyncIterable<ItemOf<"refunds.list">>
  }

  /**
   * Customers.
   *
   * @since 0.1.0
   */
  readonly customers = {
    create: (params: P<"customers.create">, options?: CallOptions): Promise<SuccessOf<"customers.create">> =>
      this.#call("customers.create", [params], options) as Promise<SuccessOf<"customers.create">>,
    retrieve: (id: string, options?: CallOptions): Promise<SuccessOf<"customers.retrieve">> =>
      this.#call("customers.retrieve", [id], options) as Promise<SuccessOf<"customers.retrieve">>,
    update: (id: string, params: P<"customers.update">, options?: CallOptions): Promise<SuccessOf<"customers.update">> =>
      this.#call("customers.update", [id, params], options) as Promise<SuccessOf<"customers.update">>,
    delete: (id: string, options?: CallOptions): Promise<SuccessOf<"customers.delete">> =>
      this.#call("customers.delete", [id], options) as Promise<SuccessOf<"customers.delete">>,
    list: (params?: P<"customers.list">, options?: CallOptions): Promise<Page<ItemOf<"customers.list">>> =>
      this.#call("customers.list", [params], options) as Promise<Page<ItemOf<"customers.list">>>,
    listAll: (params?: P<"customers.list">, options?: CallOptions): AsyncIterable<ItemOf<"customers.list">> =>
      this.#listAll("customers.list", params, options) as AsyncIterable<ItemOf<"customers.list">>
  }

  /**
   * Runs an Effect program against this client's service (for code that mixes styles).
   *
   * @since 0.1.0
   */
  runPromise<A, E>(effect: Effect.Effect<A, E, PaymentFlow>, options?: { readonly signal?: AbortSignal | undefined }): Promise<A> {
    return this.#runtime.runPromiseExit(effect, options).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      throw squash(exit.cause, options?.signal)
    })
  }

  /**
   * Releases the client's runtime (its connection pool, with the Node HTTP layer).
   *
   * @since 0.1.0
   */
  close(): Promise<void> {
    return this.#runtime.dispose()
  }

  /** @since 0.1.0 */
  toString(): string {
    return `PaymentFlowClient(${this.#masked})`
  }

  /** @since 0.1.0 */
  toJSON(): unknown {
    return { _id: "PaymentFlowClient", apiKey: this.#masked }
  }

  /** @since 0.1.0 */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString()
  }
}
