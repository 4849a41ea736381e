/**
 * The `Sandbox` service of one engine instance (shared by `Sandbox.make` and the test kit).
 */
import type { SandboxService } from "../Sandbox.js"
import type * as Engine from "./engine.js"
import type { SeedPayment } from "./state.js"

const DEFAULT_SEED: SeedPayment = { amount: 1000, currency: "USD" }

/** The service of `instance`, served by `handler`. */
export const of = (instance: Engine.Instance, handler: SandboxService["handler"]): SandboxService => ({
  app: instance.app,
  handler,
  payments: instance.state.snapshot.payments,
  refunds: instance.state.snapshot.refunds,
  customers: instance.state.snapshot.customers,
  events: instance.state.snapshot.events,
  deliveries: instance.webhooks.deliveries,
  seed: {
    payments: (n, template = DEFAULT_SEED) => instance.state.payments.seed(n, typeof template === "function" ? template : () => template)
  }
})
