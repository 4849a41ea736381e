/**
 * The sandbox's one account, in memory: one module per resource (`state/payments.ts` with the
 * state machine in `state/paymentMachine.ts`, `state/refunds.ts`, `state/customers.ts`,
 * `state/paymentMethods.ts`) over a
 * shared kernel (`state/kernel.ts`: the one permit every mutation runs under, the Clock, ids,
 * events). Time comes from Effect's `Clock`, so `TestClock` controls timestamps and delays.
 */
import * as Effect from "effect/Effect"
import type { Config } from "./config.js"
import type { makeIds } from "./ids.js"
import * as Customers from "./state/customers.js"
import * as Kernel from "./state/kernel.js"
import * as PaymentMethods from "./state/paymentMethods.js"
import * as Payments from "./state/payments.js"
import * as Refunds from "./state/refunds.js"

export type { Publish } from "./state/kernel.js"
export type { SeedPayment } from "./state/payments.js"

/**
 * @internal
 */
export const make = (config: Config, ids: ReturnType<typeof makeIds>, publish: Kernel.Publish) =>
  Effect.map(Kernel.make(config, ids, publish), (kernel) => {
    // customers and payment methods need each other (a deleted customer's methods are detached;
    // attach needs the customer): the customers reach the methods through calls made later
    const customers = Customers.make(kernel, {
      detachAllOf: (customer) => paymentMethods.detachAllOf(customer),
      isAttachedTo: (id, customer) => paymentMethods.isAttachedTo(id, customer)
    })
    const paymentMethods = PaymentMethods.make(kernel, customers)
    const payments = Payments.make(kernel, customers, paymentMethods)
    const refunds = Refunds.make(kernel, payments)
    return {
      payments,
      refunds,
      customers,
      paymentMethods,
      /**
       * Deletes every object and event `token` owns (`owner.ts`: a key's reset); returns the ids
       * of the events deleted (their webhook deliveries go too).
       */
      forgetOwner: (token: string): Effect.Effect<ReadonlySet<string>> =>
        kernel.locked(Effect.sync(() => {
          const owned = kernel.ownedBy(token)
          payments.forget(owned)
          refunds.forget(owned)
          paymentMethods.forget(owned)
          customers.forget(owned)
          kernel.forget(owned)
          return owned
        })),
      snapshot: {
        payments: payments.snapshot,
        refunds: refunds.snapshot,
        customers: customers.snapshot,
        paymentMethods: paymentMethods.snapshot,
        events: Effect.sync(() => kernel.events.slice().reverse())
      }
    }
  })

/** @internal */
export type State = Effect.Effect.Success<ReturnType<typeof make>>
