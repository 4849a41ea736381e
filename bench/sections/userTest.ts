/**
 * Section 7, in its own process: one user test, in process — create + confirm + refund a payment
 * and receive its webhooks in the app's own receiver (`WebhookReceiver`) — timed three ways, in the
 * same run:
 * - fresh: the whole test with `PaymentFlowTest.layer()` built for it (a fresh sandbox), as each
 *   `it.effect` does;
 * - prebuilt: the same operations on one kit built once (the floor: no state to build);
 * - `Sandbox.layer` + `PaymentFlow.layer` built for each test (the setup before the kit, reference);
 * - through MSW: `setupServer(...createSandbox().handlers)`, the Promise client, `sandbox.reset()`
 *   per test (the same three calls; no webhook, as MSW has no receiver to call).
 */
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import { PaymentFlowClient } from "@paymentflow/core/PaymentFlowClient"
import { createSandbox } from "@paymentflow/sandbox/msw"
import { setupServer } from "msw/node"
import * as WebhookReceiver from "@paymentflow/core/WebhookReceiver"
import { Sandbox } from "@paymentflow/sandbox/Sandbox"
import { PaymentFlowTest } from "@paymentflow/sandbox/PaymentFlowTest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY } from "../lib/fixtures.js"
import { UserTestInput } from "../lib/results.js"
import { median, now } from "../lib/stats.js"

const input = readInput(UserTestInput)
const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }

/** The operations of the user's test (the kit's `deliver` included when `test` is there). */
const charge = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
  yield* pf.payments.confirm(payment.id, { paymentMethod: { card } })
  yield* pf.refunds.create({ paymentId: payment.id })
})

const userTest = Effect.gen(function*() {
    yield* charge
    const test = yield* PaymentFlowTest
    let received = 0
    const receiver = WebhookReceiver.make({ secret: test.webhookSecret, handle: () => Effect.sync(() => void received++) })
    yield* test.deliver(receiver)
    if (received === 0) throw new Error("no webhook received")
  })

const legacyLayer = () =>
  PaymentFlow.layer({ apiKey: API_KEY, maxRetries: 0 }).pipe(Layer.provideMerge(Sandbox.layer({ rateLimit: false })))

const timeEach = async (n: number, run: () => Promise<unknown>): Promise<number> => {
  const times: Array<number> = []
  for (let i = 0; i < n; i++) {
    const t = now()
    await run()
    times.push(now() - t)
  }
  return median(times)
}

const main = async () => {
  const noTracer = Layer.setTracerEnabled(false)
  const fresh = () => Effect.runPromise(userTest.pipe(Effect.provide(Layer.merge(PaymentFlowTest.layer(), noTracer))))
  const legacy = () => Effect.runPromise(charge.pipe(Effect.provide(Layer.merge(legacyLayer(), noTracer))))
  // one kit built once: the same operations, nothing built per test
  const prebuilt = await Effect.runPromise(Effect.scoped(Layer.build(Layer.merge(PaymentFlowTest.layer(), noTracer))).pipe(
    Effect.map((context) => () => Effect.runPromise(userTest.pipe(Effect.provide(context))))
  ))
  const sandbox = createSandbox({ rateLimit: false })
  const server = setupServer(...sandbox.handlers)
  server.listen({ onUnhandledRequest: "error" })
  const client = new PaymentFlowClient({ apiKey: API_KEY, maxRetries: 0 })
  const viaMsw = async () => {
    await sandbox.reset()
    const payment = await client.payments.create({ amount: 2500, currency: "USD" })
    await client.payments.confirm(payment.id, { paymentMethod: { card } })
    await client.refunds.create({ paymentId: payment.id })
  }
  for (let i = 0; i < input.warmup; i++) {
    await fresh()
    await prebuilt()
    await legacy()
    await viaMsw()
  }
  const rounds: Array<{ fresh: number; prebuilt: number; legacy: number; msw: number }> = []
  for (let r = 0; r < input.repeats; r++) {
    rounds.push({
      fresh: await timeEach(input.n, fresh),
      prebuilt: await timeEach(input.n, prebuilt),
      legacy: await timeEach(input.n, legacy),
      msw: await timeEach(input.n, viaMsw)
    })
  }
  server.close()
  await client.close()
  await sandbox.close()
  const pick = (k: "fresh" | "prebuilt" | "legacy" | "msw") => median(rounds.map((x) => x[k]))
  writeOutput({ freshMs: pick("fresh"), prebuiltMs: pick("prebuilt"), legacyFreshMs: pick("legacy"), mswMs: pick("msw") })
}

void main()
