/**
 * The sandbox in process: `Sandbox.layer(options)` provides an `HttpClient` that serves every
 * request with the simulator itself — no socket, no port — running in the caller's runtime, so
 * `TestClock` drives processing delays, idempotency expiry and webhook retries. The `Sandbox`
 * service inspects the state.
 *
 * @example
 * ```ts
 * import { PaymentFlow } from "@paymentflow/core"
 * import { Sandbox } from "@paymentflow/sandbox"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   const sandbox = yield* Sandbox
 *   // many objects fast: no HTTP request, no event, no webhook
 *   yield* sandbox.seed.payments(1_000, (i) => ({ amount: 100 + (i % 1000), currency: "USD" }))
 *   yield* pf.payments.create({ amount: 2500, currency: "USD" })
 *   const payments = yield* sandbox.payments
 *   console.log(payments.length) // 1001
 * })
 *
 * const TestLayer = PaymentFlow.layer({ apiKey: "sk_test_0123456789abcdef" }).pipe(
 *   Layer.provideMerge(Sandbox.layer({ processingDelay: "2 seconds" }))
 * )
 * Effect.runPromise(program.pipe(Effect.provide(TestLayer)))
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Customer } from "@paymentflow/core/Customer"
import type { Event } from "@paymentflow/core/Event"
import type { Payment } from "@paymentflow/core/Payment"
import type { PaymentMethod } from "@paymentflow/core/PaymentMethod"
import type { Refund } from "@paymentflow/core/Refund"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type * as ParseResult from "effect/ParseResult"
import * as Engine from "./internal/engine.js"
import type { SeedPayment } from "./internal/state.js"
import { Transport } from "./internal/faults.js"
import type { SandboxOptions } from "./SandboxOptions.js"
import type { WebhookDelivery } from "./WebhookDelivery.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface SandboxService {
  /** The whole simulator as an `HttpApp` (serve it with any `HttpServer`). */
  readonly app: HttpApp.Default
  /**
   * A web handler: a `Request` in, a `Response` out. A `drop-after-commit` fault rejects it.
   * `signal` (default: the request's own) interrupts the request when it aborts.
   */
  readonly handler: (request: Request, signal?: AbortSignal | null) => Promise<Response>
  /** Every payment, newest first. */
  readonly payments: Effect.Effect<ReadonlyArray<Payment>>
  /** Every refund, newest first. */
  readonly refunds: Effect.Effect<ReadonlyArray<Refund>>
  /** Every customer not deleted, newest first. */
  readonly customers: Effect.Effect<ReadonlyArray<Customer>>
  /** Every payment method (unattached, used, attached or detached), newest first. */
  readonly paymentMethods: Effect.Effect<ReadonlyArray<PaymentMethod>>
  /** Every event published, newest first. */
  readonly events: Effect.Effect<ReadonlyArray<Event>>
  /** Every webhook delivery with its attempts, newest first. */
  readonly deliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
  /**
   * Sandbox-only helpers that write the state directly, for tests and benchmarks that need many
   * objects fast (not part of the PaymentFlow API; no HTTP request, no event, no webhook).
   */
  readonly seed: {
    /**
     * Inserts `n` payments (default template: 1 000 USD cents, pending), as if created one after
     * the other now: ids from the sandbox's monotonic sequence, `created` from the Clock, so they
     * list newest first like created ones. `template` may depend on the index (0 = oldest).
     * Every payment is checked against core's `Payment` schema before any is stored; a bad one
     * fails with its `ParseError` and stores nothing. Succeeds with `n` (example: the module's).
     */
    readonly payments: (
      n: number,
      template?: SeedPayment | ((index: number) => SeedPayment)
    ) => Effect.Effect<number, ParseResult.ParseError>
  }
}

export type {
  /**
   * A payment to seed (sandbox-only): what `POST /v1/payments` would take, plus the status it has
   * reached (`pending` unless given). `failed` payments carry `card_declined`.
   *
   * @since 0.1.0
   * @category Models
   */
  SeedPayment
} from "./internal/state.js"

/**
 * The error a `drop-after-commit` fault turns an in-process request into: the change is applied
 * but no response arrives, as when a connection is reset.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConnectionDropped extends TypeError {
  constructor() {
    super("fetch failed: the sandbox dropped the connection after committing the request (fault drop-after-commit)")
    this.name = "ConnectionDropped"
  }
}

const DEFAULT_SEED: SeedPayment = { amount: 1000, currency: "USD" }

/** Where the in-process handler puts a request's answer (one slot per request, never shared). */
interface Pending {
  response: HttpServerResponse.HttpServerResponse | undefined
}

/**
 * The web handler of the in-process sandbox: a `Request` in, a `Response` out, the app running in
 * `runtime` (the caller's, so `TestClock` drives it).
 *
 * Not `HttpApp.toWebHandlerRuntime`: that one adds an `abort` listener to every request's signal
 * and never removes it. The signal `FetchHttpClient` passes belongs to an `AbortController` that
 * `HttpClient` keeps (a `FinalizationRegistry` held value) until the response object is collected,
 * and the listener holds the finished request fiber — its context, the request, the response —
 * so every in-process request kept ~11 KB alive. Here the listener is removed as soon as the
 * fiber ends, and the request's context is a fresh one (no shared mutable runtime).
 *
 * `signal` (default: the request's own) is the one whose abort interrupts the request. The fetch
 * bridge passes the client's signal here and builds its `Request` without one: a web `Request`
 * made with a signal follows it through listeners and finalization-registry entries of its own,
 * which `HttpClient`'s long-lived `AbortController` would keep alive too.
 */
const webHandler = (runtime: Runtime.Runtime<never>, app: HttpApp.Default) => {
  const run = Runtime.runFork(runtime)
  // `toHandled`: the same request scope, error answers and server tracing as every `HttpServer`
  const handled = HttpApp.toHandled(app, (request, response) =>
    Effect.sync(() => {
      pendingOf.get(request)!.response = response
    }))
  const pendingOf = new WeakMap<HttpServerRequest.HttpServerRequest, Pending>()
  return (request: Request, signal: AbortSignal | null | undefined = request.signal): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      // the `drop-after-commit` fault's Transport (see internal/faults.ts): the request fails as a reset connection would
      let dropped = false
      const transport = Transport.of({
        drop: Effect.sync(() => {
          dropped = true
        })
      })
      const serverRequest = HttpServerRequest.fromWeb(request)
      const pending: Pending = { response: undefined }
      pendingOf.set(serverRequest, pending)
      const fiber = run(handled.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, serverRequest),
        Effect.provideService(Transport, transport)
      ))
      const onAbort = () => fiber.unsafeInterruptAsFork(HttpServerError.clientAbortFiberId)
      signal?.addEventListener("abort", onAbort, { once: true })
      fiber.addObserver(() => {
        signal?.removeEventListener("abort", onAbort)
        const response = pending.response
        if (dropped) {
          reject(new ConnectionDropped())
        } else if (response === undefined) {
          // interrupted before an answer (the client went away): what a reset connection gives
          reject(new TypeError("fetch failed: the request was aborted"))
        } else {
          resolve(HttpServerResponse.toWeb(response, { withoutBody: request.method === "HEAD", runtime }))
        }
      })
    })
}

/**
 * Builds a sandbox on the current scope. Its app and web handler run in the caller's runtime.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options?: SandboxOptions): Effect.Effect<SandboxService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const instance = yield* Engine.make(options)
    const runtime = yield* Effect.runtime<never>()
    const handler = webHandler(runtime, instance.app)
    return {
      app: instance.app,
      handler,
      payments: instance.state.snapshot.payments,
      refunds: instance.state.snapshot.refunds,
      customers: instance.state.snapshot.customers,
      paymentMethods: instance.state.snapshot.paymentMethods,
      events: instance.state.snapshot.events,
      deliveries: instance.webhooks.deliveries,
      seed: {
        payments: (n, template = DEFAULT_SEED) =>
          instance.state.payments.seed(n, typeof template === "function" ? template : () => template)
      }
    }
  })

const fetchOf = ({ handler }: SandboxService): typeof globalThis.fetch =>
(input, init) => {
  const signal = init?.signal ?? (input instanceof Request ? input.signal : null)
  return handler(new Request(input, { ...init, signal: null }), signal)
}

/**
 * The sandbox service: inspect the simulator's state from a test (example: the module's).
 *
 * @since 0.1.0
 * @category Tags
 */
export class Sandbox extends Context.Tag("@paymentflow/sandbox/Sandbox")<Sandbox, SandboxService>() {
  /**
   * An in-process sandbox: provides `HttpClient.HttpClient` (requests are served by the
   * simulator, whatever their base URL) and the `Sandbox` service.
   *
   * @since 0.1.0
   */
  static layer(options?: SandboxOptions): Layer.Layer<Sandbox | HttpClient.HttpClient> {
    const service = Layer.scoped(Sandbox, make(options))
    const client = Layer.unwrapEffect(
      Effect.map(Sandbox, (sandbox) =>
        FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetchOf(sandbox)))))
    )
    return Layer.provideMerge(client, service)
  }
}
