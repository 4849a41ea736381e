/**
 * (Over 300 lines for one reason: the kit is one layer whose controls — faults, the stalled-retry
 * watchdog, the request record, signed delivery — share its one instance; their bodies live in
 * `internal/{deliver,recorder,faults}.ts`, what stays here is the public surface and its wiring.)
 *
 * A test kit for your code: `PaymentFlowTest.layer()` gives a test the `PaymentFlow` service served
 * by a fresh in-process sandbox (no port, no socket) and typed controls over it — the clock,
 * faults for the next calls, what was created and sent, and webhook events delivered, signed, to
 * your own receiver. Nothing else in your environment is replaced: the kit's client has its own
 * `HttpClient`, so your app's `HttpClient` keeps reaching its other hosts.
 *
 * Defaults chosen for tests: processing and refund delays 0, rate limit off, client retries without
 * backoff (a `Retry-After` is still waited on the clock). The `TestClock`
 * (inside `it.effect`) is set to the real time when the layer is built, so `created` timestamps
 * and webhook signatures look like production's. When a test sets `rateLimit` and exceeds it, the
 * client's retry waits on the `TestClock` (`Retry-After`): advance it (`test.advance`, or
 * `TestClock.adjust` from another fiber). A retry whose wait nothing advances for
 * `stalledRetryTimeout` of real time (default 2 s) dies with a message saying so, instead of
 * hanging until the runner's timeout.
 *
 * @example
 * ```ts
 * import { PaymentFlow } from "@paymentflow/core"
 * import { PaymentFlowTest } from "@paymentflow/sandbox/PaymentFlowTest"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   const test = yield* PaymentFlowTest
 *   yield* test.fault("payments.create", 503, { times: 2 }) // the client retries twice, then succeeds
 *   const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   const requests = yield* test.requests
 *   console.log(payment.status, requests.map((r) => r.status)) // pending [ 503, 503, 200 ]
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(PaymentFlowTest.layer())))
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as Api from "@paymentflow/core/Api"
import type { Event } from "@paymentflow/core/Event"
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import * as Retry from "@paymentflow/core/Retry"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as Deliver from "./internal/deliver.js"
import * as Engine from "./internal/engine.js"
import type * as Faults from "./internal/faults.js"
import * as InProcess from "./internal/inProcess.js"
import * as Recorder from "./internal/recorder.js"
import * as Service from "./internal/service.js"
import { Sandbox, type SandboxService } from "./Sandbox.js"
import type { SandboxOptions } from "./SandboxOptions.js"

/**
 * The client's options, less what the kit sets (the key and where requests go).
 *
 * @since 0.1.0
 * @category Models
 */
export type ClientOptions = Omit<PaymentFlow.Options, "apiKey" | "baseUrl">

/**
 * @since 0.1.0
 * @category Models
 */
export interface PaymentFlowTestOptions extends SandboxOptions {
  /** The client's secret key. Default {@link DEFAULT_API_KEY}. */
  readonly apiKey?: string | Redacted.Redacted<string> | undefined
  /** The client's other options (retries, timeout, …). */
  readonly client?: ClientOptions | undefined
  /** The secret events are signed with by `deliver`. Default {@link DEFAULT_WEBHOOK_SECRET}. */
  readonly webhookSecret?: string | Redacted.Redacted<string> | undefined
  /**
   * Real time a client retry may wait on a `TestClock` that nothing advances before the call dies
   * saying so (instead of hanging). Default 2 seconds.
   */
  readonly stalledRetryTimeout?: Duration.DurationInput | undefined
}

/**
 * A fault for the next matching calls: an answer at once with no side effect (`500`, `503` and
 * `429` with the contract's envelope and no `Retry-After`, so the client retries at once;
 * `{ status, retryAfter }` sends one, which the client then waits on the `TestClock`;
 * `"html-502"` a proxy's page), the change applied but the connection dropped
 * (`"drop-after-commit"`) or the body cut (`"truncate"`), or a delay on the sandbox's clock
 * before the change (`{ delay }`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Fault =
  | 500
  | 503
  | 429
  | "html-502"
  | "drop-after-commit"
  | "truncate"
  | { readonly delay: Duration.DurationInput }
  | { readonly status: 503 | 429; readonly retryAfter: Duration.DurationInput }

/**
 * @since 0.1.0
 * @category Models
 */
export interface FaultOptions {
  /** How many matching calls get the fault (each retry is a call). Default 1. */
  readonly times?: number | undefined
}

/**
 * One request the kit's client sent, as a test reads it. Card numbers keep their last four
 * digits, CVCs and secrets read `[redacted]`; the API key is never recorded.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RecordedRequest {
  /** The row it named (`payments.create`), if any. */
  readonly operation: Api.EndpointKey | undefined
  readonly method: string
  readonly path: string
  readonly idempotencyKey: string | undefined
  /** The JSON body (POST, PATCH) or the query (GET, DELETE), redacted. */
  readonly params: unknown
  /** The answer's status; `undefined` when none arrived (a dropped connection). */
  readonly status: number | undefined
  readonly requestId: string | undefined
  /** Whether the answer was an idempotent replay. */
  readonly replayed: boolean
}

/**
 * A receiver of webhook deliveries: your Effect endpoint as an `HttpApp` (run in the test's
 * runtime), or a web handler (`Request` in, `Response` out) such as a Promise app's.
 *
 * @since 0.1.0
 * @category Models
 */
export type WebhookReceiver<E = never, R = never> =
  | HttpApp.Default<E, R>
  | ((request: Request) => Promise<Response> | Response)

/**
 * @since 0.1.0
 * @category Models
 */
export interface DeliverOptions {
  /** The URL the receiver is called with (its path is what a router matches). Default `http://localhost/webhooks`. */
  readonly url?: string | undefined
  /** The secret to sign with. Default the kit's `webhookSecret`. */
  readonly secret?: string | Redacted.Redacted<string> | undefined
}

/**
 * One event delivered, and what the receiver answered.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Delivered {
  readonly eventId: string
  readonly eventType: string
  readonly status: number
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface PaymentFlowTestService
  extends Pick<SandboxService, "payments" | "refunds" | "customers" | "paymentMethods" | "deliveries">
{
  /** The sandbox behind the client (its state, `seed`, its `handler`). */
  readonly sandbox: SandboxService
  /** The key the client uses. */
  readonly apiKey: Redacted.Redacted<string>
  /** The secret `deliver` signs with. */
  readonly webhookSecret: Redacted.Redacted<string>
  /** Moves the `TestClock` (and so processing and refund delays, idempotency expiry, rate-limit windows). */
  readonly advance: (duration: Duration.DurationInput) => Effect.Effect<void>
  /**
   * Gives the next `times` calls of `operation` (`"any"`: of every operation) made with the kit's
   * key the fault(s) — several faults at once combine (`["delay…", "drop-after-commit"]`).
   */
  readonly fault: (
    operation: Api.ClientKey | "any",
    fault: Fault | ReadonlyArray<Fault>,
    options?: FaultOptions
  ) => Effect.Effect<void>
  // payments, refunds, customers, paymentMethods, deliveries: the sandbox's readers (newest first)
  /** Every event emitted, oldest first (the sandbox's own reader gives them newest first). */
  readonly events: Effect.Effect<ReadonlyArray<Event>>
  /** Every request the client sent, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * Delivers every event not yet delivered by this call to `receiver`, oldest first, signed (see
   * the module's notes on the timestamp), and gives what the receiver answered for each.
   */
  readonly deliver: <E = never, R = never>(
    receiver: WebhookReceiver<E, R>,
    options?: DeliverOptions
  ) => Effect.Effect<ReadonlyArray<Delivered>, never, Exclude<R, HttpServerRequest.HttpServerRequest>>
}

/**
 * The client's key unless given: a well-formed secret sandbox key.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_API_KEY = "sk_test_paymentflowtestkit0000"

/**
 * The signing secret of `deliver` unless given.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_WEBHOOK_SECRET = "whsec_paymentflowtestkit0000"

const reveal = (s: string | Redacted.Redacted<string>): string => (Redacted.isRedacted(s) ? Redacted.value(s) : s)

const faultsOf = (faults: ReadonlyArray<Fault>): Faults.Faults => {
  let out: { -readonly [K in keyof Faults.Faults]: Faults.Faults[K] } = {}
  for (const f of faults) {
    if (f === 500 || f === 503 || f === 429) out = { ...out, status: f, retryAfter: 0 }
    else if (f === "html-502") out = { ...out, status: 502 }
    else if (f === "drop-after-commit") out = { ...out, drop: true }
    else if (f === "truncate") out = { ...out, truncate: true }
    else if ("delay" in f) out = { ...out, delayMillis: Duration.toMillis(Duration.decode(f.delay)) }
    else out = { ...out, status: f.status, retryAfter: Math.max(1, Math.ceil(Duration.toSeconds(Duration.decode(f.retryAfter)))) }
  }
  return out
}

/** A `TestClock` fresh from `it.effect` reads the epoch: such a clock is set to the real time. */
const EPOCH_2000 = 946_684_800_000

/** A timer on real time, whatever `Clock` the fiber has. */
const realSleep = (millis: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * `policy`, whose every wait runs on the `Clock` and dies with a clear message when the clock
 * stays still for `stall` of real time (a `TestClock` nothing advances).
 */
const watched = (policy: Retry.Policy, stall: number, limit: string): Retry.Policy =>
  Schedule.modifyDelayEffect(policy, (_, delay) => {
    const millis = Duration.toMillis(delay)
    if (millis <= 0) return Effect.succeed(delay)
    const message = `PaymentFlowTest: the client is retrying after ${Duration.format(delay)} ` +
      `(${limit}), waiting on the Clock, and nothing moved it for ${stall} ms of real time: a TestClock ` +
      `nobody advances. Advance it from another fiber (test.advance / TestClock.adjust), ` +
      `or leave the rate limit off, or give the call maxRetries: 0 to see the typed error.`
    const watch = (last: number): Effect.Effect<never> =>
      Effect.flatMap(realSleep(stall), () =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => (now === last ? Effect.dieMessage(message) : watch(now))))
    return Effect.as(
      Effect.flatMap(Clock.currentTimeMillis, (start) => Effect.raceFirst(Effect.sleep(delay), watch(start))),
      Duration.zero
    )
  })

/**
 * The client's policy: `retry` as given, else the default one without backoff (a test need not
 * move the clock for a retry), still waiting any `Retry-After` the sandbox sends (its rate limit).
 */
const clientPolicy = (client: ClientOptions | undefined): Retry.Policy | undefined => {
  if (client?.retry !== undefined) return client.retry
  const maxRetries = client?.maxRetries ?? Retry.DEFAULT_MAX_RETRIES
  return maxRetries <= 0 ? undefined : Retry.make({ maxRetries, initialDelay: 0 })
}

let fetchClient: HttpClient.HttpClient | undefined
/**
 * An `HttpClient` whose requests `fetch` serves: `FetchHttpClient`'s, built once per process,
 * reading its `Fetch` from the context each request runs in (building its layer per test cost
 * more than the fresh sandbox).
 */
const clientOf = (fetch: typeof globalThis.fetch): Effect.Effect<HttpClient.HttpClient> =>
  Effect.sync(() => {
    fetchClient ??= Effect.runSync(Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer))
    return HttpClient.transformResponse(fetchClient, Effect.provideService(FetchHttpClient.Fetch, fetch))
  })

/**
 * Builds the kit on the current scope: a fresh sandbox, its recorded client and the controls.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (
  options: PaymentFlowTestOptions = {}
): Effect.Effect<{ readonly test: PaymentFlowTestService; readonly client: PaymentFlow.Service }, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { apiKey: key, client: clientOptions, stalledRetryTimeout, webhookSecret: secret, ...sandboxOptions } = options
    if ((yield* Clock.currentTimeMillis) < EPOCH_2000) yield* TestClock.setTime(Date.now())
    const instance = yield* Engine.make({ ...sandboxOptions, rateLimit: sandboxOptions.rateLimit ?? false })
    const sandbox = Service.of(instance, yield* InProcess.handlerOf(instance.app))
    const recorder = Recorder.make()
    const apiKey = Redacted.make(reveal(key ?? DEFAULT_API_KEY))
    const webhookSecret = Redacted.make(reveal(secret ?? DEFAULT_WEBHOOK_SECRET))
    const stall = Duration.toMillis(Duration.decode(stalledRetryTimeout ?? "2 seconds"))
    const limit = instance.config.rateLimit === false
      ? "rate limit off"
      : `rate limit ${instance.config.rateLimit} per ${Duration.format(instance.config.rateLimitWindow)}`
    const policy = clientPolicy(clientOptions)
    const http = yield* clientOf(InProcess.fetchOf(recorder.wrap(sandbox.handler)))
    const client = yield* PaymentFlow.make({
      ...clientOptions,
      apiKey,
      ...(policy === undefined ? { maxRetries: 0, retry: undefined } : { retry: watched(policy, stall, limit) })
    }).pipe(Effect.provideService(HttpClient.HttpClient, http))
    const payload = Deliver.payloadOf(instance.config)
    let delivered = 0
    const test: PaymentFlowTestService = {
      sandbox,
      apiKey,
      webhookSecret,
      advance: (duration) => TestClock.adjust(duration),
      fault: (operation, fault, faultOptions) =>
        Effect.sync(() =>
          instance.faults.push({
            apiKey: Redacted.value(apiKey),
            operation: operation === "any" ? undefined : operation,
            faults: faultsOf(Array.isArray(fault) ? fault : [fault as Fault]),
            remaining: faultOptions?.times ?? 1
          })
        ),
      payments: sandbox.payments,
      refunds: sandbox.refunds,
      customers: sandbox.customers,
      paymentMethods: sandbox.paymentMethods,
      events: Effect.map(sandbox.events, (events) => events.slice().reverse()),
      requests: Effect.sync(recorder.requests),
      deliveries: sandbox.deliveries,
      deliver: (receiver, deliverOptions) =>
        Effect.suspend(() => {
          const events = instance.state.snapshot.events
          return Effect.flatMap(events, (newestFirst) => {
            const pending = newestFirst.slice(0, newestFirst.length - delivered).reverse()
            delivered = newestFirst.length
            return Deliver.deliverAll(
              receiver,
              deliverOptions?.url ?? "http://localhost/webhooks",
              reveal(deliverOptions?.secret ?? webhookSecret),
              payload,
              pending
            )
          })
        })
    }
    return { test, client }
  })

/**
 * Your `HttpApi` served in process, in the test's runtime (so `TestClock` and the test's services
 * reach its handlers): its `HttpApp` (a webhook receiver for `deliver`), an `HttpClient` that sends
 * every request to it whatever the URL (for `HttpApiClient.make(api, { baseUrl: "http://app" })`),
 * and a web handler.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InProcessApp {
  readonly app: HttpApp.Default
  readonly client: HttpClient.HttpClient
  readonly handler: (request: Request) => Promise<Response>
}

/**
 * Serves an `HttpApi` in process on the current scope (example: the `examples/testing` recipes).
 * `apiLayer` is what `HttpApiBuilder.serve` would take: `HttpApiBuilder.api(MyApi)` with its groups.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const serveApi = <E, R>(apiLayer: Layer.Layer<HttpApi.Api, E, R>): Effect.Effect<InProcessApp, E, R | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(
      Layer.mergeAll(apiLayer, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, HttpServer.layerContext)
    )
    const app: HttpApp.Default = Effect.provide(yield* Effect.provide(HttpApiBuilder.httpApp, context), context)
    const handler = yield* InProcess.handlerOf(app)
    return { app, handler, client: yield* clientOf(InProcess.fetchOf(handler)) }
  })

/**
 * The kit's service: the controls (example: the module's).
 *
 * @since 0.1.0
 * @category Tags
 */
export class PaymentFlowTest extends Context.Tag("@paymentflow/sandbox/PaymentFlowTest")<PaymentFlowTest, PaymentFlowTestService>() {
  /**
   * A fresh sandbox for each build (each test that provides it): provides `PaymentFlow` (served
   * in process), the controls (`PaymentFlowTest`) and `Sandbox`. It provides no `HttpClient`.
   *
   * @since 0.1.0
   */
  static layer(options?: PaymentFlowTestOptions): Layer.Layer<PaymentFlow | PaymentFlowTest | Sandbox> {
    return Layer.scopedContext(Effect.map(make(options), ({ client, test }) =>
      Context.make(PaymentFlow, client).pipe(Context.add(PaymentFlowTest, test), Context.add(Sandbox, test.sandbox))))
  }

  /**
   * @since 0.1.0
   */
  static readonly serveApi = serveApi
}
