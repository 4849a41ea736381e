/**
 * The browser SDK entries `pnpm size` measures and the size test holds to its budget.
 *
 * What was tried (gzip, esbuild minified ESM, same run as the 79.6 KB floor):
 * - The browser package imports core by module subpath (`@paymentflow/core/PaymentFlow`), and
 *   core is `sideEffects: false`; importing core's index instead measured the same, so
 *   tree-shaking holds either way.
 * - `PaymentFlow.makeOperations` with the three publishable operations vs core's full `make`:
 *   88.7 vs 88.5 KB — no gain, since the endpoint table is one object holding every schema.
 * - The browser's own Promise client instead of core's facade: core's builds id checkers for
 *   every endpoint at module load and carries the secret-key operations; ours adds webhook
 *   verification (~3.5 KB: Webhook + Event decoding), so the full entry is 92.5 KB vs 89.8 KB
 *   for core's facade, and an Effect app importing `@paymentflow/browser/BrowserPaymentFlow`
 *   pays 88.9 KB (no facade, no webhooks).
 * - The known trap: anything reaching `HttpApi*` (core's `HttpApi.ts`) costs ~11 KB more; the size
 *   test asserts none of it is in the bundle.
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
