/**
 * The sandbox in process: `Sandbox.layer(options)` provides an `HttpClient` that serves every
 * request with the simulator itself — no socket, no port — running in the caller's runtime, so
 * `TestClock` drives processing delays, idempotency expiry and webhook retries. The `Sandbox`
 * service inspects the state.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpAppModule from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Customer } from "@paymentflow/core/Customer"
import type { Event } from "@paymentflow/core/Event"
import type { Payment } from "@paymentflow/core/Payment"
import type { Refund } from "@paymentflow/core/Refund"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Engine from "./internal/engine.js"
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
  /** A web handler: a `Request` in, a `Response` out. A `drop-after-commit` fault rejects it. */
  readonly handler: (request: Request) => Promise<Response>
  /** Every payment, newest first. */
  readonly payments: Effect.Effect<ReadonlyArray<Payment>>
  /** Every refund, newest first. */
  readonly refunds: Effect.Effect<ReadonlyArray<Refund>>
  /** Every customer not deleted, newest first. */
  readonly customers: Effect.Effect<ReadonlyArray<Customer>>
  /** Every event published, newest first. */
  readonly events: Effect.Effect<ReadonlyArray<Event>>
  /** Every webhook delivery with its attempts, newest first. */
  readonly deliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
}

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
    const web = HttpAppModule.toWebHandlerRuntime(runtime)(instance.app)
    const handler = async (request: Request): Promise<Response> => {
      let dropped = false
      const transport = Transport.of({
        drop: Effect.sync(() => {
          dropped = true
        })
      })
      const response = await web(request, Context.make(Transport, transport))
      if (dropped) {
        await response.body?.cancel().catch(() => undefined)
        throw new ConnectionDropped()
      }
      return response
    }
    return {
      app: instance.app,
      handler,
      payments: instance.state.snapshot.payments,
      refunds: instance.state.snapshot.refunds,
      customers: instance.state.snapshot.customers,
      events: instance.state.snapshot.events,
      deliveries: instance.webhooks.deliveries
    }
  })

const fetchOf = (service: SandboxService): typeof globalThis.fetch => (input, init) =>
  service.handler(new Request(input, init))

/**
 * The sandbox service: inspect the simulator's state from a test.
 *
 * ```ts
 * Effect.gen(function*() {
 *   const sandbox = yield* Sandbox
 *   const payments = yield* sandbox.payments
 * }).pipe(Effect.provide(Sandbox.layer({ processingDelay: "2 seconds" })))
 * ```
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
