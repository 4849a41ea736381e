/**
 * The browser SDK entries `pnpm size` measures and the size test holds to its budget.
 */
import type { Entry } from "./sizeBundle.js"

/** The whole `@paymentflow/browser` entry, everything it exports kept. */
export const fullEntry: Entry = {
  name: "@paymentflow/browser (full entry)",
  source: `export * from "@paymentflow/browser"`
}

/** An Effect app that only creates, retrieves and confirms payments, from the module subpath. */
export const paymentsOnlyEntry: Entry = {
  name: "payments only (BrowserPaymentFlow subpath)",
  source: `
import { BrowserPaymentFlow } from "@paymentflow/browser/BrowserPaymentFlow"
import * as Effect from "effect/Effect"

export const pay = (apiKey: string, card: { number: string; expMonth: number; expYear: number; cvc: string }) =>
  Effect.gen(function*() {
    const pf = yield* BrowserPaymentFlow
    const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
    yield* pf.payments.confirm(payment.id, { paymentMethod: { card } })
    return yield* pf.payments.retrieve(payment.id)
  }).pipe(Effect.provide(BrowserPaymentFlow.layer({ apiKey })), Effect.runPromise)
`
}

/** The browser SDK entries. */
export const browserEntries: ReadonlyArray<Entry> = [fullEntry, paymentsOnlyEntry]
