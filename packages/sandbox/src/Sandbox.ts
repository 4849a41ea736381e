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
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Customer } from "@paymentflow/core/Customer"
import type { Event } from "@paymentflow/core/Event"
import type { Payment } from "@paymentflow/core/Payment"
import type { PaymentMethod } from "@paymentflow/core/PaymentMethod"
import type { Refund } from "@paymentflow/core/Refund"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as ParseResult from "effect/ParseResult"
import * as Engine from "./internal/engine.js"
import * as InProcess from "./internal/inProcess.js"
import * as Service from "./internal/service.js"
import type { SeedPayment } from "./internal/state.js"
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

export {
  /**
   * The error a `drop-after-commit` fault turns an in-process request into: the change is applied
   * but no response arrives, as when a connection is reset.
   *
   * @since 0.1.0
   * @category Errors
   */
  ConnectionDropped
} from "./internal/inProcess.js"

/**
 * Builds a sandbox on the current scope. Its app and web handler run in the caller's runtime.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options?: SandboxOptions): Effect.Effect<SandboxService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const instance = yield* Engine.make(options)
    return Service.of(instance, yield* InProcess.handlerOf(instance.app))
  })


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
        FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, InProcess.fetchOf(sandbox.handler)))))
    )
    return Layer.provideMerge(client, service)
  }
}
