/**
 * The `Sandbox` service of one engine instance (shared by `Sandbox.make` and the test kit).
 */
import * as Effect from "effect/Effect"
import type { SandboxService } from "../Sandbox.js"
import type * as Engine from "./engine.js"
import type { SeedPayment } from "./state.js"

const DEFAULT_SEED: SeedPayment = { amount: 1000, currency: "USD" }

/** The service of `instance`, served by `handler`. */
export const of = (instance: Engine.Instance, handler: SandboxService["handler"]): SandboxService => ({
  app: instance.app,
  handler,
  // read through the instance each time: a reset (`POST /v1/sandbox/reset`, scope all) replaces the state
  payments: Effect.suspend(() => instance.state.snapshot.payments),
  refunds: Effect.suspend(() => instance.state.snapshot.refunds),
  customers: Effect.suspend(() => instance.state.snapshot.customers),
  paymentMethods: Effect.suspend(() => instance.state.snapshot.paymentMethods),
  events: Effect.suspend(() => instance.state.snapshot.events),
  deliveries: Effect.suspend(() => instance.webhooks.deliveries),
  seed: {
    payments: (n, template = DEFAULT_SEED) =>
      Effect.suspend(() => instance.state.payments.seed(n, typeof template === "function" ? template : () => template))
  }
})
