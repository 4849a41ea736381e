/**
 * Recipe: an end-to-end test against a sandbox in another process (`pnpm sandbox`, here started by
 * the test on 127.0.0.1), driven with the typed `SandboxControlClient`: each worker its own key,
 * reset between tests (scoped to that key), faults queued for the key's next calls, the clock
 * moved. The app is a plain Promise function on `PaymentFlowClient`.
 */
import { PaymentFlowClient } from "@paymentflow/core"
import { SandboxControlClient } from "@paymentflow/sandbox/SandboxControl"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest"

/** The app under test: charges an order, in plain Promises. */
const checkout = async (pf: PaymentFlowClient, orderId: string, cardNumber: string) => {
  const payment = await pf.payments.create({ amount: 2500, currency: "USD", metadata: { order: orderId } }, { idempotencyKey: `${orderId}:create` })
  const card = { number: cardNumber, expMonth: 12, expYear: 2099, cvc: "123" }
  return pf.payments.confirm(payment.id, { paymentMethod: { card } }, { idempotencyKey: `${orderId}:confirm` })
}

let server: RunningServer
// one key per worker: resets and faults are scoped to it, so parallel workers never meet
const key = `sk_test_worker${process.env.VITEST_POOL_ID ?? "0"}e2eabcdefghijk`
let pf: PaymentFlowClient
let control: SandboxControlClient

beforeAll(async () => {
  server = await SandboxServer.start({ processingDelay: "30 seconds" }) // in CI: `pnpm sandbox --processing-delay-ms 30000`
  pf = new PaymentFlowClient({ apiKey: key, baseUrl: server.url, maxRetries: 2 })
  control = new SandboxControlClient({ apiKey: key, baseUrl: server.url })
})
afterAll(async () => {
  await pf.close()
  await control.close()
  await server.close()
})
beforeEach(() => control.sandbox.reset({ scope: "key" }))

// <!-- recipe: out-of-process -->
it("a checkout survives two 503s, and settles when the sandbox's clock moves", async () => {
  await control.sandbox.createFault({ fault: "503", operation: "payments.create", times: 2 })
  const payment = await checkout(pf, "order-1", "4242424242424242")
  expect(payment.status).toBe("processing")
  await control.sandbox.advanceClock({ seconds: 30 })
  expect((await pf.payments.retrieve(payment.id)).status).toBe("succeeded")
  const events = await control.sandbox.listEvents()
  expect(events.data.map((e) => e.type)).toContain("payment.succeeded")
})
// <!-- /recipe -->

it("a declined card fails the checkout's payment", async () => {
  const payment = await checkout(pf, "order-2", "4000000000000002")
  await control.sandbox.advanceClock({ seconds: 30 })
  expect(await pf.payments.retrieve(payment.id)).toMatchObject({ status: "failed", failureCode: "card_declined" })
})
