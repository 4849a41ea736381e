/**
 * The README's Effect quick start, type-checked with the rest of the repository
 * (`npx pnpm@10 check`). Run it against a sandbox:
 *   npx pnpm@10 sandbox --port 12111 &
 *   PAYMENTFLOW_API_KEY=sk_test_0123456789abcdef PAYMENTFLOW_BASE_URL=http://127.0.0.1:12111 npx tsx examples/quickstart/effect.ts
 */
import { PaymentFlow } from "@paymentflow/core"
import { NodePaymentFlow } from "@paymentflow/node"
import { Effect, Stream } from "effect"

const program = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  const payment = yield* pf.payments.create({ amount: 2500, currency: "USD", customerEmail: "jane@example.com" })
  const confirmed = yield* pf.payments.confirm(payment.id, {
    paymentMethod: { card: { number: "4000000000000002", expMonth: 12, expYear: 2030, cvc: "123" } }
  })
  console.log(confirmed.status, confirmed.failureCode) // failed card_declined
  yield* pf.payments.listAll().pipe(Stream.runForEach((p) => Effect.log(p.id)))
}).pipe(
  // e.field is known to the compiler here; catchTag("ConflictError") on payments.retrieve is a type error
  Effect.catchTag("ValidationError", (e) => Effect.logError(`${e.field}: ${e.message}`))
)

program.pipe(
  Effect.provide(NodePaymentFlow.layerConfig()), // PAYMENTFLOW_API_KEY, PAYMENTFLOW_ENVIRONMENT, PAYMENTFLOW_BASE_URL
  Effect.runPromise
)
