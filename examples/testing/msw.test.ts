/**
 * Recipe: a plain-Promise app tested with MSW — no Effect anywhere in the test. The sandbox's
 * handlers go to `setupServer`; the app's `PaymentFlowClient` (on `fetch`) reaches the stateful
 * sandbox through them; a reset between tests gives each a fresh one.
 */
import { PaymentFlowClient } from "@paymentflow/core"
import { createSandbox } from "@paymentflow/sandbox/msw"
import { setupServer } from "msw/node"
import { afterAll, afterEach, beforeAll, expect, it } from "vitest"

/** The app under test: refunds an order's payment, in plain Promises. */
const refundOrder = async (pf: PaymentFlowClient, paymentId: string) => {
  const payment = await pf.payments.retrieve(paymentId)
  if (payment.status !== "succeeded") return { refunded: false as const, reason: payment.status }
  const refund = await pf.refunds.create({ paymentId, reason: "customer_request" }, { idempotencyKey: `refund:${paymentId}` })
  return { refunded: true as const, amount: refund.amount }
}

// <!-- recipe: msw -->
const sandbox = createSandbox()
const server = setupServer(...sandbox.handlers)
const pf = new PaymentFlowClient({ apiKey: "sk_test_mswrecipemswrecipe01" })

beforeAll(() => server.listen({ onUnhandledRequest: "error" }))
afterEach(() => sandbox.reset())
afterAll(async () => {
  server.close()
  await pf.close()
  await sandbox.close()
})

it("refunds a paid order once, however often it is asked", async () => {
  const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }
  const payment = await pf.payments.create({ amount: 4200, currency: "EUR", paymentMethod: { card } })
  expect(await refundOrder(pf, payment.id)).toEqual({ refunded: true, amount: 4200 })
  expect(await refundOrder(pf, payment.id)).toEqual({ refunded: true, amount: 4200 })
  expect((await pf.refunds.list()).data).toHaveLength(1)
})
// <!-- /recipe -->

it("does not refund an unpaid order", async () => {
  const payment = await pf.payments.create({ amount: 4200, currency: "EUR" })
  expect(await refundOrder(pf, payment.id)).toEqual({ refunded: false, reason: "pending" })
})
