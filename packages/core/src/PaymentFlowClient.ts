/**
 * The Promise facade over {@link PaymentFlow}, for code that does not use Effect.
 *
 * Rejections are the SDK's own error classes (`err instanceof ValidationError`), never Effect
 * wrappers. Ids are plain strings, validated before sending. Each client holds one
 * `ManagedRuntime`; `close()` releases it. Effect tracing is off unless `tracing: true` (it
 * would also add `traceparent` headers to every request).
 *
 * This class is platform-neutral and uses `fetch` unless given another `HttpClient` layer;
 * `@paymentflow/node` exports a subclass on a pooled undici client. Both, and the browser's
 * publishable-key client, are instances of one facade, {@link PromiseFacade}, whose members are
 * derived from the endpoint rows as the Effect client's are ({@link PromiseService}). (Over 300
 * lines because the facade's machinery and its derived types belong together, as in `PaymentFlow.ts`.)
 *
 * @example
 * ```ts
 * import { PaymentFlowClient, ValidationError } from "@paymentflow/core"
 * import { Sandbox } from "@paymentflow/sandbox"
 *
 * // `fetch` unless given an HttpClient layer: here the in-process sandbox
 * const client = new PaymentFlowClient({ apiKey: "sk_test_0123456789abcdef", httpClient: Sandbox.layer() })
 * try {
 *   await client.payments.create({ amount: 2500, currency: "USD" }, { idempotencyKey: "order-1" })
 *   await client.payments.create({ amount: 0, currency: "USD" })
 * } catch (err) {
 *   if (err instanceof ValidationError) console.log(err.code, err.field) // parameter_invalid amount
 * }
 * for await (const payment of client.payments.listAll()) console.log(payment.id, payment.amount)
 * await client.close()
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Brand from "effect/Brand"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import type * as Fiber from "effect/Fiber"
import * as FiberRefs from "effect/FiberRefs"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as Api from "./Api.js"
import * as ApiKey from "./ApiKey.js"
import type * as Endpoint from "./Endpoint.js"
import type { PaymentFlowError } from "./Errors.js"
import * as internal from "./internal/client.js"
import { clientEndpoints } from "./internal/clientRows.js"
import * as List from "./List.js"
import type { Page } from "./List.js"
import {
  type Derive,
  type Interpretation,
  type ItemOf,
  listAllName,
  type ListSignature,
  type Options as PaymentFlowOptions,
  type ParamsOf,
  PaymentFlow,
  type PublishableSignature,
  type RequestOptions,
  type Signature,
  type SuccessOf,
  type WithResponse
} from "./PaymentFlow.js"

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
  /**
   * Where each attempt's line goes: `logger.info(fields, message)` once per attempt, with
   * `fields` = `{ method, path, status, requestId, attempt, durationMs, apiKey }` (the key
   * masked). pino's and `console`'s shapes both fit. Never the body, never the key.
   */
  readonly logger?: PromiseLogger | undefined
}

/**
 * A logger the Promise clients can write to: pino's, `console`, or anything with an `info` that
 * takes an object then a message.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PromiseLogger {
  readonly info: (fields: LogFields, message: string) => void
}

/**
 * What each attempt's log line says, as fields.
 *
 * @since 0.1.0
 * @category Models
 */
export interface LogFields {
  readonly method: string
  readonly path: string
  /** `null` when no response came (a connection failure, a timeout). */
  readonly status: number | null
  readonly requestId: string | null
  readonly attempt: number
  readonly durationMs: number
  /** The masked key (`sk_test...1234`). */
  readonly apiKey: string
}

const field = (annotations: HashMap.HashMap<string, unknown>, key: string): unknown =>
  Option.getOrUndefined(HashMap.get(annotations, key))

const numberOr = <A>(value: unknown, fallback: A): number | A => typeof value === "number" ? value : fallback
const stringOr = <A>(value: unknown, fallback: A): string | A => typeof value === "string" ? value : fallback

/**
 * The runtime layer that sends the SDK's per-attempt lines (and only those) to `logger.info`,
 * whatever the line's own level; other lines are dropped, and nothing reaches the console.
 *
 * @since 0.1.0
 * @category Layers
 */
export const loggerLayer = (logger: PromiseLogger): Layer.Layer<never> =>
  Layer.merge(
    Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ annotations, message }) => {
        if (field(annotations, internal.LOG_MARKER) !== true) return
        const fields: LogFields = {
          method: stringOr(field(annotations, "method"), ""),
          path: stringOr(field(annotations, "path"), ""),
          status: numberOr(field(annotations, "status"), null),
          requestId: stringOr(field(annotations, "requestId"), null),
          attempt: numberOr(field(annotations, "attempt"), 0),
          durationMs: numberOr(field(annotations, "durationMs"), 0),
          apiKey: stringOr(field(annotations, "apiKey"), "")
        }
        logger.info(fields, Array.isArray(message) ? message.map(String).join(" ") : String(message))
      })
    ),
    Logger.minimumLogLevel(LogLevel.All)
  )

/**
 * What a Promise operation returns: a `Promise` of the result (`await` it as ever) that also
 * has `.withResponse()`, resolving the result together with its response's metadata (as
 * openai-node's `APIPromise`). The call runs once, whichever is read.
 *
 * @since 0.1.0
 * @category Models
 */
export class PaymentFlowPromise<T> extends Promise<T> {
  /** @internal */
  readonly #metadata: () => WithResponse<T>["response"] | undefined
  /** @internal */
  #full: Promise<WithResponse<T>> | undefined

  /**
   * The promise is the call's result itself, settled by the call; `metadata` builds the
   * response's metadata, called only when `withResponse()` asks (most callers never do). (Public
   * types only here: an internal type in this signature would pull core's internals into the
   * declarations this module shares with `PaymentFlow`.)
   *
   * @internal
   */
  constructor(
    executor: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void,
    metadata: () => WithResponse<T>["response"] | undefined
  ) {
    super(executor)
    this.#metadata = metadata
  }

  /** Derived promises are plain `Promise`s. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise
  }

  /**
   * The result with its response's metadata: `{ data, response: { requestId, statusCode,
   * idempotentReplayed, rateLimit, attempts, headers } }`.
   *
   * @since 0.1.0
   */
  withResponse(): Promise<WithResponse<T>> {
    this.#full ??= this.then((data) => {
      const response = this.#metadata()
      if (response === undefined) throw new Error(internal.NO_RESPONSE)
      return { data, response }
    })
    return this.#full
  }
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

/**
 * What a Promise operation resolves to: the row's success (a list's as a `Page`).
 *
 * @since 0.1.0
 * @category Models
 */
export type PromiseResultOf<K extends Api.EndpointKey> = SuccessOf<K> extends Page<unknown> ? Page<ItemOf<K>> : SuccessOf<K>

/**
 * One operation as a Promise: the row's arguments, ids as plain strings.
 *
 * @since 0.1.0
 * @category Models
 */
export type PromiseOperation<K extends Api.EndpointKey> = Signature<
  K,
  string,
  Loose<ParamsOf<K>>,
  CallOptions,
  PaymentFlowPromise<PromiseResultOf<K>>
>

/**
 * A list row's `listAll` as an async iterable that fetches the next page as it is iterated.
 *
 * @since 0.1.0
 * @category Models
 */
export type PromiseListAll<K extends Api.EndpointKey> = ListSignature<
  K,
  string,
  Loose<ParamsOf<K>>,
  CallOptions,
  AsyncIterable<ItemOf<K>>
>

/**
 * The Promise facade's interpretation of a row.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PromiseInterpretation extends Interpretation {
  readonly operation: PromiseOperation<this["key"]>
  readonly listAll: PromiseListAll<this["key"]>
}

/**
 * The Promise members derived from rows `K`, grouped as the Effect client's are.
 *
 * @since 0.1.0
 * @category Models
 */
export type PromiseService<K extends Api.EndpointKey> = Derive<K, PromiseInterpretation>

/**
 * One Promise operation of a publishable client (the browser's): by the client secret where the
 * row's access asks for one (`PublishableSignature`).
 *
 * @since 0.1.0
 * @category Models
 */
export type PromisePublishableOperation<K extends Api.EndpointKey> = PublishableSignature<
  K,
  string,
  Loose<ParamsOf<K>>,
  CallOptions,
  PaymentFlowPromise<PromiseResultOf<K>>
>

/**
 * The Promise interpretation of a publishable client's row.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PromisePublishableInterpretation extends Interpretation {
  readonly operation: PromisePublishableOperation<this["key"]>
  readonly listAll: PromiseListAll<this["key"]>
}

/**
 * The Promise members of a publishable client, derived from rows `K`.
 *
 * @since 0.1.0
 * @category Models
 */
export type PromisePublishableService<K extends Api.EndpointKey> = Derive<K, PromisePublishableInterpretation>

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

type Untyped = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, PaymentFlowError>

/** The client's runtime once built: how to start a fiber in it, and each row's operation. */
interface Ready<I> {
  readonly runFork: <A, E>(effect: Effect.Effect<A, E, I>, options?: Runtime.RunForkOptions) => Fiber.RuntimeFiber<A, E>
  readonly operations: ReadonlyMap<Endpoint.Any, Untyped>
}

/**
 * One row as the facade calls it: the row itself. (Its arguments, the id included, are checked
 * by the row's operation, as in the Effect client: one answer for one mistake, whichever client.)
 */
type Row = Endpoint.Any

/**
 * What a {@link PromiseFacade} is made of: the runtime's layer, the tag of the Effect service it
 * provides (grouped as `Derive` groups rows), the rows to offer, and the key (for masking).
 *
 * @since 0.1.0
 * @category Models
 */
export interface FacadeConfig<I, S> {
  readonly layer: Layer.Layer<I>
  readonly tag: Context.Tag<I, S>
  /**
   * The rows to offer (the user's rows, or a subset: the publishable ones for the browser, the
   * sandbox-only ones for its control client). The facade reads them and nothing else of the
   * table, so a bundle of a subset carries only that subset's schemas.
   */
  readonly rows: ReadonlyArray<Endpoint.Any>
  readonly apiKey: PaymentFlowOptions["apiKey"]
  /** Where each attempt's line goes (see {@link loggerLayer}). */
  readonly logger?: PromiseLogger | undefined
}

/**
 * The one Promise facade: one `ManagedRuntime` per client, calls settled by the fiber's observer,
 * `AbortSignal`s, ids checked before sending, rejections with the SDK's own errors, `listAll` as
 * an async iterable, and the key masked in `toString`/`toJSON`/`inspect`. Its members (`payments`,
 * ...) are built by walking the rows of `keys`; a subclass declares their types by merging an
 * interface that extends {@link PromiseService} of the same rows (as `PaymentFlowClient` does).
 *
 * @since 0.1.0
 * @category Constructors
 */
export class PromiseFacade<I, S> {
  /** @internal */
  readonly #runtime: ManagedRuntime.ManagedRuntime<I, never>
  /** @internal */
  readonly #tag: Context.Tag<I, S>
  /** @internal */
  readonly #rows: ReadonlyArray<Endpoint.Any>
  /** @internal */
  readonly #masked: string
  /** @internal */
  #ready: Ready<I> | undefined

  constructor(config: FacadeConfig<I, S>) {
    this.#masked = ApiKey.maskApiKey(config.apiKey)
    this.#runtime = ManagedRuntime.make(
      config.logger === undefined ? config.layer : Layer.provideMerge(config.layer, loggerLayer(config.logger))
    )
    this.#tag = config.tag
    this.#rows = config.rows
    Object.assign(this, this.#members(config.rows))
  }

  /**
   * The groups of members, built by walking the rows (the subclass's merged interface types them).
   *
   * @internal
   */
  #members(rows: ReadonlyArray<Endpoint.Any>): Record<string, Record<string, unknown>> {
    const groups: Record<string, Record<string, unknown>> = {}
    for (const endpoint of rows) {
      const group = groups[endpoint.group] ??= {}
      const row: Row = endpoint
      const hasId = endpoint.id !== undefined
      const hasParams = endpoint.params !== undefined
      group[endpoint.name] = hasId && hasParams
        ? (id: unknown, params: unknown, options?: CallOptions) => this.#call(row, [id, params], options)
        : hasId || hasParams
        ? (arg: unknown, options?: CallOptions) => this.#call(row, [arg], options)
        : (options?: CallOptions) => this.#call(row, [], options)
      if (!List.isList(endpoint.success)) continue
      group[listAllName(endpoint.name)] = hasId
        ? (id: unknown, params?: object, options?: CallOptions) => this.#listAll(row, [id], params, options)
        : (params?: object, options?: CallOptions) => this.#listAll(row, [], params, options)
    }
    return groups
  }

  /** @internal */
  #prepare(runtime: Runtime.Runtime<I>): Ready<I> {
    const service: unknown = Context.get(runtime.context, this.#tag)
    const operations = new Map<Endpoint.Any, Untyped>()
    for (const endpoint of this.#rows) {
      // The service is grouped as `Derive` groups the rows, so each row is the operation at
      // `service[group][name]`; the facade passes loose arguments and lets the operation
      // validate them, so it calls them untyped.
      const groups = service as Record<string, Record<string, Untyped>>
      const operation = groups[endpoint.group]?.[endpoint.name]
      if (operation !== undefined) operations.set(endpoint, operation)
    }
    return { runFork: Runtime.runFork(runtime), operations }
  }

  /**
   * One call: no `async` wrapper and no `runPromiseExit` (its Promise, then a second one from
   * `.then`): the fiber's observer settles the caller's Promise directly.
   *
   * @internal
   */
  #call(row: Row, args: ReadonlyArray<unknown>, options: CallOptions | undefined): PaymentFlowPromise<unknown> {
    const ready = this.#ready
    const cell = internal.makeMetadataCell()
    return new PaymentFlowPromise((resolve, reject) => {
      if (ready !== undefined) return this.#start(ready, row, args, options, cell, resolve, reject)
      this.#runtime.runtime().then(
        (runtime) => this.#start(this.#ready ??= this.#prepare(runtime), row, args, options, cell, resolve, reject),
        reject
      )
    }, () => internal.readMetadata(cell))
  }

  /** @internal */
  #start(
    ready: Ready<I>,
    row: Row,
    args: ReadonlyArray<unknown>,
    options: CallOptions | undefined,
    cell: internal.MetadataCell,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void
  ): void {
    let effect: Effect.Effect<unknown, PaymentFlowError>
    try {
      const operation = ready.operations.get(row)
      if (operation === undefined) return reject(new Error(`PaymentFlowClient: no operation ${row.group}.${row.name}`))
      effect = operation(...args, options)
    } catch (error) {
      return reject(error)
    }
    const signal = options?.signal
    // The operation leaves its last response in the cell (`withResponse()` builds the metadata):
    // the fiber is the call's own, so the cell is set as it starts (no `Effect.locally`, whose
    // set and restore cost two copies of the fiber's refs and an uninterruptible region).
    const fiber = ready.runFork(effect, {
      updateRefs: (refs, fiberId) => FiberRefs.updateAs(refs, { fiberId, fiberRef: internal.currentMetadataCell, value: cell })
    })
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
  }

  /** @internal */
  async *#listAll(row: Row, id: ReadonlyArray<unknown>, params: object | undefined, options: CallOptions | undefined): AsyncGenerator<unknown> {
    const base: Record<string, unknown> = { ...params }
    for (;;) {
      const page = await this.#call(row, [...id, base], options)
      const data = typeof page === "object" && page !== null && "data" in page && Array.isArray(page.data) ? page.data : []
      for (const item of data) yield item
      const last: unknown = data[data.length - 1]
      const more = typeof page === "object" && page !== null && "hasMore" in page && page.hasMore === true
      if (!more || typeof last !== "object" || last === null || !("id" in last)) return
      base["startingAfter"] = last.id
    }
  }

  /**
   * Runs an Effect program against this client's service (for code that mixes styles).
   *
   * @since 0.1.0
   */
  runPromise<A, E>(effect: Effect.Effect<A, E, I>, options?: { readonly signal?: AbortSignal | undefined }): Promise<A> {
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

/**
 * The Promise client: every row of the user's API (its members are typed by this interface,
 * which merges with the class below; the facade builds them from the same rows).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentFlowClient extends PromiseService<Api.ClientKey> {}

/**
 * The Promise client.
 *
 * @since 0.1.0
 * @category Constructors
 */
export class PaymentFlowClient extends PromiseFacade<PaymentFlow, PaymentFlow.Service> {
  constructor(options: Options) {
    const { httpClient, layer, logger, tracing, ...clientOptions } = options
    const base = PaymentFlow.layer(clientOptions).pipe(Layer.provide(httpClient ?? FetchHttpClient.layer))
    const extra = Layer.merge(Layer.setTracerEnabled(tracing === true), layer ?? Layer.empty)
    super({ layer: Layer.provideMerge(base, extra), tag: PaymentFlow, rows: Object.values(clientEndpoints), apiKey: options.apiKey, logger })
  }
}
