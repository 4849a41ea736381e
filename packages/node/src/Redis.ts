/**
 * (Over 300 lines: the module is the one Redis entry point of `@paymentflow/node`, with its own
 * `browser` condition — the shared budget and the inbox store share its ioredis dependency and
 * connection options; most of the length is the documentation of their sizing and failure rules.)
 *
 * One request budget for every process that shares an API key: the client's `rateLimit` on a
 * Redis store, built on Effect's own `@effect/experimental` `RateLimiter` and its ioredis store.
 *
 * ```ts
 * import { NodePaymentFlow } from "@paymentflow/node"
 * import * as Redis from "@paymentflow/node/Redis"
 *
 * // The server allows 100 requests per 60 s sliding window, per key, across all processes.
 * const layer = NodePaymentFlow.layer({
 *   apiKey: process.env["PAYMENTFLOW_API_KEY"] ?? "",
 *   rateLimit: Redis.rateLimit({ redis: { host: "127.0.0.1", port: 6379 }, limit: 9, window: "6 seconds" })
 * })
 * ```
 *
 * **Sizing.** Neither algorithm is the server's sliding window, and the bucket bounds when tokens
 * are *taken* while the server counts when requests *arrive*. A request arrives up to a `jitter`
 * after its token (connection setup, event-loop stalls, timer lateness), so the arrivals in one
 * server window of length `W` took their tokens in a span of `W + jitter`. For no window to pass
 * more than the server's limit `S` less a margin `m`, choose
 * `limit × (1 + (W + jitter) / window) ≤ S − m`: the bucket's capacity (`limit`) plus what it
 * refills over `W + jitter` (`limit` per `window`). Above, with a jitter of 0.5 s and `m = 0`,
 * `9 × (1 + 60.5 / 6) ≈ 99.75 ≤ 100` (`limit: 10` would give 111: too many). The same bound holds
 * for `"fixed-window"` as `@effect/experimental` implements it (each request is due
 * `window / limit` after the previous one, a window's worth at a time). A small `limit` with a
 * short `window` flows smoothly; `limit: S / 2, window: W` allows bursts of `S / 2`.
 * {@link budgetFor} computes a `limit` and `window` (jitter 500 ms, margin 10 % by default: a
 * bench of processes all starting at once on a loaded 2-core machine saw arrivals spread about
 * 0.4 s past their tokens; measure your own and raise `jitter` for TLS to a distant server).
 *
 * ioredis prints `[ioredis] Unhandled error event` lines while the limiter's connection cannot
 * reach Redis: `@effect/experimental`'s store opens that connection itself and neither takes nor
 * exposes a client, so no `error` listener can be attached to it (the inbox's connection has one).
 *
 * **Keys.** Every attempt (retries included) takes one token from the key's budget, stored under
 * `<prefix><digest>` (and `<prefix><digest>:refill` for the token bucket), where the digest is
 * the first 16 hex characters of the key's SHA-256 ({@link keyDigest}): the key itself never
 * reaches Redis. The token bucket reads each process's clock: keep the fleet's clocks in sync (NTP).
 *
 * **Redis unreachable: fail open.** When the store does not answer within `storeTimeout` (default
 * 1 s) or answers with an error, the attempt goes out unlimited and one warning is logged
 * (`Effect.logWarning`) until the store answers again (then one info line). The reason: the
 * limiter only spares the key 429s; the server stays the authority, and its 429s are typed
 * `RateLimitError`s the retry policy already handles. Failing closed would turn a cache outage
 * into a payments outage. ioredis reconnects by itself.
 *
 * **The webhook inbox on Redis.** {@link inboxStore} is a `WebhookInbox.Store` every receiver of
 * a fleet shares: a claim is `SET <prefix><event id> claim:<token> NX PX <lease>`, the done mark
 * `SET <prefix><event id> done PX <ttl>`, renewal and release compare the token first (a Lua
 * script), so a delivery never drops another's claim. Keys carry the event id only (no secret).
 * The inbox fails closed while Redis is unreachable (`503`, the sender retries): see
 * `WebhookInbox`. The done marks are as durable as the Redis: run it with persistence (AOF) if a
 * restart must not forget them, or keep them in your database (the README's inbox table).
 *
 * @since 0.1.0
 */
import type * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import { InboxStoreError } from "@paymentflow/core/WebhookInbox"
import * as ExperimentalRateLimiter from "@effect/experimental/RateLimiter"
import * as RedisStore from "@effect/experimental/RateLimiter/Redis"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as RateLimiter from "effect/RateLimiter"
import type * as Scope from "effect/Scope"
import { Redis as IORedis } from "ioredis"
import { createHash } from "node:crypto"

/**
 * ioredis options, as `@effect/experimental`'s store takes them.
 *
 * @since 0.1.0
 * @category Models
 */
export type RedisOptions = Omit<Parameters<typeof RedisStore.make>[0], "prefix">

/**
 * Options of {@link rateLimit}.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** How to reach Redis (ioredis options: `host`, `port`, `password`, `tls`, …). */
  readonly redis?: RedisOptions | undefined
  /** The bucket's capacity, refilled at `limit` per `window` (see the module's sizing rule). */
  readonly limit: number
  readonly window: Duration.DurationInput
  /** Default `"token-bucket"`. */
  readonly algorithm?: "token-bucket" | "fixed-window" | undefined
  /** Prefix of the Redis keys (default `"paymentflow:ratelimit:"`). */
  readonly prefix?: string | undefined
  /** How long an attempt waits for the store before going out unlimited (default 1 s). */
  readonly storeTimeout?: Duration.DurationInput | undefined
}

/**
 * The value of the client's `rateLimit` option.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SharedRateLimit {
  readonly make: (apiKey: string) => Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope>
}

/**
 * How Redis names an API key: the first 16 hex characters of its SHA-256.
 *
 * @since 0.1.0
 * @category Utils
 */
export const keyDigest = (apiKey: string): string => createHash("sha256").update(apiKey, "utf8").digest("hex").slice(0, 16)

/**
 * A `limit` and `window` under which no window of `serverWindow` sees more than `serverLimit`
 * arrivals, `burst` requests at once, by the module's sizing rule:
 * `limit × (1 + (serverWindow + jitter) / window) ≤ serverLimit − margin`.
 *
 * The bucket bounds when tokens are taken; the server counts when requests arrive. `jitter` is the
 * most a request may arrive after its token (connection setup, event-loop stalls, timer lateness;
 * default 500 ms): the arrivals in one server window took their tokens in a span of
 * `serverWindow + jitter`. `margin` (default 10 % of `serverLimit`, at least 1) is kept back
 * besides. Throws a `RangeError` when the inputs leave no budget.
 *
 * @example
 * ```ts
 * import * as Redis from "@paymentflow/node/Redis"
 * import * as Duration from "effect/Duration"
 *
 * // 200 per 2 s: 10 at once, then one 10 every 148 ms, at most 180 tokens in any 2.5 s
 * const { limit, window } = Redis.budgetFor({ serverLimit: 200, serverWindow: "2 seconds", burst: 10 })
 * console.log(limit, Duration.toMillis(window)) // 10 148
 * ```
 *
 * @since 0.1.0
 * @category Utils
 */
export const budgetFor = (options: {
  readonly serverLimit: number
  readonly serverWindow: Duration.DurationInput
  readonly burst: number
  /** Requests of `serverLimit` kept back (default 10 %, at least 1). */
  readonly margin?: number | undefined
  /** The most a request arrives after taking its token (default 500 ms). */
  readonly jitter?: Duration.DurationInput | undefined
}): { readonly limit: number; readonly window: Duration.Duration } => {
  const { burst, serverLimit } = options
  const serverWindowMs = Duration.toMillis(options.serverWindow)
  const jitterMs = Duration.toMillis(options.jitter ?? "500 millis")
  const margin = options.margin ?? Math.max(1, Math.ceil(serverLimit / 10))
  if (!(Number.isInteger(serverLimit) && serverLimit >= 1)) {
    throw new RangeError(`budgetFor: serverLimit must be a whole number ≥ 1, got ${serverLimit}`)
  }
  if (!(Number.isFinite(serverWindowMs) && serverWindowMs > 0)) {
    throw new RangeError(`budgetFor: serverWindow must be finite and longer than zero, got ${serverWindowMs} ms`)
  }
  if (!(Number.isInteger(burst) && burst >= 1)) {
    throw new RangeError(`budgetFor: burst must be a whole number ≥ 1, got ${burst}`)
  }
  if (!(Number.isFinite(margin) && margin >= 0)) {
    throw new RangeError(`budgetFor: margin must be ≥ 0, got ${margin}`)
  }
  if (!Number.isFinite(jitterMs)) {
    throw new RangeError(`budgetFor: jitter must be finite, got ${jitterMs} ms`)
  }
  const refilled = serverLimit - margin - burst
  if (refilled < 1) {
    throw new RangeError(
      `budgetFor: a burst of ${burst} and a margin of ${margin} leave nothing of the server's ${serverLimit} to refill`
    )
  }
  // burst × (serverWindow + jitter) / window ≤ refilled
  const window = Duration.millis(Math.ceil((serverWindowMs + jitterMs) * burst / refilled))
  return { limit: burst, window }
}

/**
 * A `rateLimit` for the client whose budget lives in Redis, shared by every process using the same
 * key and Redis. The connection is opened with the client and closed with its scope.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const rateLimit = (options: Options): SharedRateLimit => ({
  make: (apiKey) =>
    Effect.gen(function*() {
      const store = yield* RedisStore.make({
        ...options.redis,
        // a command fails after one failed reconnection, instead of waiting in the offline queue
        maxRetriesPerRequest: options.redis?.maxRetriesPerRequest ?? 1,
        retryStrategy: options.redis?.retryStrategy ?? ((times: number) => Math.min(times * 100, 1000)),
        prefix: options.prefix ?? "paymentflow:ratelimit:"
      })
      const limiter = yield* Effect.provideService(ExperimentalRateLimiter.make, ExperimentalRateLimiter.RateLimiterStore, store)
      return make(limiter, { ...options, key: keyDigest(apiKey) })
    })
})

/**
 * A client limiter over any `@effect/experimental` `RateLimiter` (its Redis store, its memory
 * store, one of the user's), failing open as the module says.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (
  limiter: ExperimentalRateLimiter.RateLimiter,
  options: {
    readonly key: string
    readonly limit: number
    readonly window: Duration.DurationInput
    readonly algorithm?: "token-bucket" | "fixed-window" | undefined
    readonly storeTimeout?: Duration.DurationInput | undefined
  }
): RateLimiter.RateLimiter => {
  const timeout = Duration.decode(options.storeTimeout ?? "1 second")
  const consume = limiter.consume({
    algorithm: options.algorithm ?? "token-bucket",
    onExceeded: "delay",
    limit: options.limit,
    window: options.window,
    key: options.key
  }).pipe(
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`no answer within ${Duration.format(timeout)}`) })
  )
  let degraded = false
  const failedOpen = (error: unknown) =>
    Effect.suspend(() => {
      if (degraded) return Effect.void
      degraded = true
      const reason = error instanceof Error ? error.message : String(error)
      return Effect.logWarning(
        `PaymentFlow rate limit store unreachable (key ${options.key}): ${reason}; ` +
          `attempts go out unlimited until it answers again`
      )
    })
  const recovered = Effect.suspend(() => {
    if (!degraded) return Effect.void
    degraded = false
    return Effect.logInfo(`PaymentFlow rate limit store answers again (key ${options.key})`)
  })
  return <A, E, R>(task: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.matchEffect(consume, {
      onFailure: (error) => Effect.zipRight(failedOpen(error), task),
      onSuccess: ({ delay }) => Effect.zipRight(recovered, Duration.isZero(delay) ? task : Effect.delay(task, delay))
    })
}

const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`

/**
 * A `WebhookInbox.Store` on a Redis connection you own (`new Redis(...)` from ioredis; attach
 * your `error` listener to it). Keys are `<prefix><event id>` (default prefix `"paymentflow:inbox:"`).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const inboxStore = (client: IORedis, options: { readonly prefix?: string | undefined } = {}): WebhookInbox.Store => {
  const prefix = options.prefix ?? "paymentflow:inbox:"
  const call = <A>(what: string, f: () => Promise<A>): Effect.Effect<A, InboxStoreError> =>
    Effect.tryPromise({
      try: f,
      catch: (cause) =>
        new InboxStoreError({ message: `Redis ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause })
    })
  const millis = (d: Duration.Duration) => Math.max(1, Math.ceil(Duration.toMillis(d)))
  return {
    claim: (id, lease) =>
      Effect.gen(function*() {
        const key = prefix + id
        const token = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 12)}`
        const set = yield* call("claim", () => client.set(key, `claim:${token}`, "PX", millis(lease), "NX"))
        if (set === "OK") return { _tag: "Claimed", token } as const
        const [value, ttl] = yield* call("claim", async () => {
          const results = await client.multi().get(key).pttl(key).exec()
          return [results?.[0]?.[1], results?.[1]?.[1]] as const
        })
        if (value === "done") return { _tag: "Done" } as const
        // expired between the two commands (value gone): busy for a moment, the retry claims it
        return { _tag: "Busy", retryAfter: Duration.millis(typeof ttl === "number" && ttl > 0 ? ttl : 1) } as const
      }),
    renew: (id, token, lease) => Effect.asVoid(call("renewal", () => client.eval(RENEW, 1, prefix + id, `claim:${token}`, millis(lease)))),
    complete: (id, _token, ttl) => Effect.asVoid(call("done mark", () => client.set(prefix + id, "done", "PX", millis(ttl)))),
    release: (id, token) => Effect.asVoid(call("release", () => client.eval(RELEASE, 1, prefix + id, `claim:${token}`)))
  }
}

/**
 * {@link inboxStore} on a connection opened here and closed with the scope. A command fails
 * after one failed reconnection rather than waiting, so the inbox answers 503 promptly while Redis
 * is down.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeInboxStore = (
  options: { readonly redis?: RedisOptions | undefined; readonly prefix?: string | undefined } = {}
): Effect.Effect<WebhookInbox.Store, never, Scope.Scope> =>
  Effect.map(Effect.acquireRelease(Effect.sync(() => connectInbox(options)), (inbox) => Effect.promise(inbox.close)), (inbox) => inbox.store)

/**
 * {@link inboxStore} on a connection opened here, for code without Effect: `close()` ends it.
 *
 * @example
 * ```ts
 * import { WebhookInbox } from "@paymentflow/core"
 * import * as Redis from "@paymentflow/node/Redis"
 *
 * const redis = Redis.connectInbox({ redis: { host: "127.0.0.1", port: 6379, lazyConnect: true } })
 * const inbox = WebhookInbox.makePromise({ store: redis.store })
 * // inbox.run(event.id, () => fulfil(event)) in the request handler
 * redis.close().then(() => console.log(typeof inbox.run))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const connectInbox = (
  options: { readonly redis?: RedisOptions | undefined; readonly prefix?: string | undefined } = {}
): { readonly store: WebhookInbox.Store; readonly close: () => Promise<void> } => {
  const client = new IORedis({
    ...options.redis,
    maxRetriesPerRequest: options.redis?.maxRetriesPerRequest ?? 1,
    retryStrategy: options.redis?.retryStrategy ?? ((times: number) => Math.min(times * 100, 1000))
  })
  client.on("error", () => {})
  return {
    store: inboxStore(client, { prefix: options.prefix }),
    // quit lets pending commands finish; a connection that is not up is just dropped
    close: () => client.status === "ready" ? client.quit().then(() => undefined, () => client.disconnect()) : Promise.resolve(client.disconnect())
  }
}
