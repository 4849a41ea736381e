/**
 * The demo's repeat-customer step: a card is saved once (`paymentMethods.create`: in a shop, the
 * browser does this with the publishable key, so the number never reaches the merchant's server),
 * attached to the customer, and charged again with one call; a saved card that declines, a
 * detached one refused. Run by `main.ts`.
 */
import type { Customer } from "@paymentflow/core/Customer"
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import * as Effect from "effect/Effect"
import { line, show } from "./print.js"

const card = (number: string) => ({ card: { number, expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: "123" } })

/** Two webhook events come of it: `payment.succeeded` and `payment.failed`, each naming its `pm_…`. */
export const WEBHOOKS = 2

export const repeatCustomer = (customer: Customer) =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const saved = yield* pf.paymentMethods.create(card("5555555555554444"))
    show("saved card", { id: saved.id, brand: saved.card.brand, last4: saved.card.last4, customer: saved.customer })
    const attached = yield* pf.paymentMethods.attach(saved.id, { customer: customer.id })
    const withDefault = yield* pf.customers.retrieve(customer.id)
    show("attached", { id: attached.id, customer: attached.customer, defaultPaymentMethod: withDefault.defaultPaymentMethod })

    // the repeat charge: one call, no card number
    const charge = yield* pf.payments.create({ amount: 3200, currency: "USD", customer: customer.id, paymentMethod: saved.id })
    show("charged again", { id: charge.id, status: charge.status, paymentMethod: charge.paymentMethod })

    const declining = yield* pf.paymentMethods.create(card("4000000000000002"))
    yield* pf.paymentMethods.attach(declining.id, { customer: customer.id })
    const declined = yield* pf.payments.create({ amount: 3200, currency: "USD", customer: customer.id, paymentMethod: declining.id })
    show("saved 4000…0002", { id: declined.id, status: declined.status, failureCode: declined.failureCode, paymentMethod: declined.paymentMethod })

    const detached = yield* pf.paymentMethods.detach(saved.id)
    show("detached", { id: detached.id, customer: detached.customer })
    const refused = yield* pf.payments.create({ amount: 3200, currency: "USD", customer: customer.id, paymentMethod: saved.id }).pipe(
      Effect.map((p) => ({ unexpected: p.status })),
      Effect.catchTag("ValidationError", (e) => Effect.succeed({ error: e._tag, code: e.code, field: e.field }))
    )
    show("charge the detached card", refused)
    line("the card number was sent once, to paymentMethods.create; every charge after that named only its pm_… id")
  })
