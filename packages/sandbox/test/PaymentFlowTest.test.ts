/**
 * The test kit as a user's test uses it: a fresh sandbox per test, the app's own HttpClient left
 * alone, no hang past a rate limit, typed faults, the record of requests (redacted), and events
 * delivered, signed, to an Effect receiver and to a Promise one.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlow, Webhook, WebhookReceiver } from "@paymentflow/core"
import { PaymentFlowTest } from "@paymentflow/sandbox/PaymentFlowTest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }

/** A real HTTP server on loopback: the app's "other host". */
const otherHost = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly server: http.Server }>((resume) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" })
      res.end(`cms says hi to ${req.url}`)
    })
    server.listen(0, "127.0.0.1", () => {
      resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }))
    })
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

const Kit = PaymentFlowTest.layer()

describe("PaymentFlowTest", () => {
  it.effect("1 000 calls in one test finish (no rate limit by default)", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      for (let i = 0; i < 1000; i++) yield* pf.payments.create({ amount: 100 + i, currency: "USD" })
      const test = yield* PaymentFlowTest
      expect((yield* test.payments).length).toBe(1000)
    }).pipe(Effect.provide(Kit)))

  it.effect("each test gets a fresh sandbox from the same layer", () =>
    Effect.gen(function*() {
      const test = yield* PaymentFlowTest
      expect(yield* test.payments).toEqual([])
      expect(yield* test.requests).toEqual([])
    }).pipe(Effect.provide(Kit)))

  it.scoped("the app's own HttpClient keeps reaching its other hosts", () =>
    Effect.gen(function*() {
      const { url } = yield* otherHost
      const pf = yield* PaymentFlow
      const client = yield* HttpClient.HttpClient
      const cms = yield* Effect.flatMap(client.get(`${url}/pages/home`), (r) => r.text)
      expect(cms).toBe("cms says hi to /pages/home")
      const payment = yield* pf.payments.create({ amount: 700, currency: "EUR" })
      const test = yield* PaymentFlowTest
      expect((yield* test.payments).map((p) => p.id)).toEqual([payment.id])
      expect((yield* test.requests).map((r) => r.path)).toEqual(["/v1/payments"])
      // the kit on the right of the merge: had it provided an HttpClient, it would win here
    }).pipe(Effect.provide(Layer.merge(FetchHttpClient.layer, Kit))))

  it.effect("reads the saved payment methods: brand and last 4, attached to their customer, never the number", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const customer = yield* pf.customers.create({ email: "saver@example.com" })
      const method = yield* pf.paymentMethods.create({ card: { number: "5555555555554444", expMonth: 12, expYear: 2099, cvc: "123" } })
      yield* pf.paymentMethods.attach(method.id, { customer: customer.id })
      const test = yield* PaymentFlowTest
      const saved = yield* test.paymentMethods
      expect(saved.map((m) => [m.id, m.card.last4, m.customer])).toEqual([[method.id, "4444", customer.id]])
      expect(JSON.stringify(saved)).not.toContain("5555555555554444")
    }).pipe(Effect.provide(Kit)))

  it.effect("the TestClock starts at the real time", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const payment = yield* pf.payments.create({ amount: 700, currency: "EUR" })
      expect(Math.abs(payment.created - Date.now() / 1000)).toBeLessThan(3600)
    }).pipe(Effect.provide(Kit)))

  describe("a rate limit the test sets", () => {
    const Limited = PaymentFlowTest.layer({ rateLimit: 2, stalledRetryTimeout: "50 millis" })

    it.effect("a retry on a TestClock nobody advances dies saying so, instead of hanging", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        const exit = yield* Effect.exit(pf.payments.create({ amount: 100, currency: "USD" }))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        if (Exit.isFailure(exit)) {
          expect(Cause.pretty(exit.cause)).toContain("nothing moved it")
          expect(Cause.pretty(exit.cause)).toContain("rate limit 2 per 1m")
        }
      }).pipe(Effect.provide(Limited)))

    it.effect("the retry waits on the TestClock, and goes through once the test advances it", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const test = yield* PaymentFlowTest
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        const third = yield* Effect.fork(pf.payments.create({ amount: 100, currency: "USD" }))
        yield* test.advance("61 seconds")
        expect((yield* Fiber.join(third)).amount).toBe(100)
        expect((yield* test.requests).map((r) => r.status)).toEqual([200, 200, 429, 200])
      }).pipe(Effect.provide(Limited)))

    it.effect("with maxRetries: 0 the call fails with the typed RateLimitError", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        yield* pf.payments.create({ amount: 100, currency: "USD" })
        const error = yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD" }))
        expect(error).toMatchObject({ _tag: "RateLimitError", statusCode: 429 })
      }).pipe(Effect.provide(PaymentFlowTest.layer({ rateLimit: 2, client: { maxRetries: 0 } }))))
  })

  describe("faults", () => {
    it.effect("503 twice on payments.create: retried with the same key, one payment", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const test = yield* PaymentFlowTest
        yield* test.fault("payments.create", 503, { times: 2 })
        yield* pf.customers.create({ email: "a@example.com" }) // another operation: not faulted
        const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
        const creates = (yield* test.requests).filter((r) => r.operation === "payments.create")
        expect(creates.map((r) => r.status)).toEqual([503, 503, 200])
        expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1)
        expect((yield* test.payments).map((p) => p.id)).toEqual([payment.id])
      }).pipe(Effect.provide(Kit)))

    it.effect("503 more times than the client retries: the typed error", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const test = yield* PaymentFlowTest
        yield* test.fault("payments.create", 503, { times: 3 })
        const error = yield* Effect.flip(pf.payments.create({ amount: 2500, currency: "USD" }))
        expect(error).toMatchObject({ _tag: "ApiError", statusCode: 503 })
        expect(yield* test.payments).toEqual([])
      }).pipe(Effect.provide(Kit)))

    it.effect("drop-after-commit: the change is made once, the retry gets the replay", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const test = yield* PaymentFlowTest
        yield* test.fault("payments.create", "drop-after-commit")
        const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
        expect((yield* test.payments).map((p) => p.id)).toEqual([payment.id])
        const creates = yield* test.requests
        expect(creates.map((r) => [r.status, r.replayed])).toEqual([[undefined, false], [200, true]])
      }).pipe(Effect.provide(Kit)))

    it.effect("a delay runs on the TestClock", () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const test = yield* PaymentFlowTest
        yield* test.fault("payments.retrieve", { delay: "10 seconds" })
        const created = yield* pf.payments.create({ amount: 2500, currency: "USD" })
        const fiber = yield* Effect.fork(pf.payments.retrieve(created.id))
        yield* test.advance("9 seconds")
        expect(fiber.unsafePoll()).toBeNull()
        yield* test.advance("1 second")
        expect((yield* Fiber.join(fiber)).id).toBe(created.id)
      }).pipe(Effect.provide(Kit)))
  })

  it.effect("requests are recorded with their idempotency keys, card numbers and secrets redacted", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const test = yield* PaymentFlowTest
      const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" }, { idempotencyKey: "order-1" })
      yield* pf.payments.confirm(payment.id, { paymentMethod: { card } })
      const [create, confirm] = yield* test.requests
      expect(create).toMatchObject({ operation: "payments.create", idempotencyKey: "order-1", status: 200 })
      expect(create!.requestId).toMatch(/^req_/)
      expect(confirm).toMatchObject({
        operation: "payments.confirm",
        params: { payment_method: { card: { number: "****4242", cvc: "[redacted]" } } }
      })
      const all = JSON.stringify(yield* test.requests)
      expect(all).not.toContain("4242424242424242")
      expect(all).not.toContain(Redacted.value(test.apiKey))
    }).pipe(Effect.provide(Kit)))

  describe("deliver", () => {
    const settle = Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const payment = yield* pf.payments.create({ amount: 2500, currency: "USD" })
      yield* pf.payments.confirm(payment.id, { paymentMethod: { card } })
      return payment
    })

    it.effect("to an Effect receiver (WebhookReceiver on the TestClock), however far the clock moved", () =>
      Effect.gen(function*() {
        const test = yield* PaymentFlowTest
        const seen: Array<string> = []
        const receiver = WebhookReceiver.make({
          secret: test.webhookSecret,
          handle: (event) => Effect.sync(() => seen.push(event.type))
        })
        const payment = yield* settle
        yield* test.advance("2 hours")
        const delivered = yield* test.deliver(receiver)
        expect(delivered.map((d) => d.status)).toEqual(delivered.map(() => 200))
        expect(seen).toContain("payment.succeeded")
        expect((yield* test.events).map((e) => e.type)).toEqual(seen)
        // delivered once: a second call has nothing new
        expect(yield* test.deliver(receiver)).toEqual([])
        // signed with another secret, the receiver refuses them: the signature is really checked
        yield* Effect.flatMap(PaymentFlow, (pf) => pf.refunds.create({ paymentId: payment.id }))
        const forged = yield* test.deliver(receiver, { secret: "whsec_another0000000000" })
        expect(forged.length).toBeGreaterThan(0)
        expect(forged.map((d) => d.status)).toEqual(forged.map(() => 401))
      }).pipe(Effect.provide(Kit)))

    it.effect("to a Promise receiver (Date.now), however far the TestClock moved", () =>
      Effect.gen(function*() {
        const test = yield* PaymentFlowTest
        const seen: Array<string> = []
        const handler = async (request: Request) => {
          try {
            const event = await Webhook.constructEventPromise(
              await request.text(),
              request.headers.get(Webhook.HEADER),
              test.webhookSecret
            )
            seen.push(event.id)
            return new Response(null, { status: 200 })
          } catch {
            return new Response(null, { status: 400 })
          }
        }
        yield* settle
        yield* test.advance("3 days")
        const delivered = yield* test.deliver(handler)
        expect(delivered.length).toBeGreaterThan(0)
        expect(delivered.map((d) => d.status)).toEqual(delivered.map(() => 200))
        expect(seen).toEqual((yield* test.events).map((e) => e.id))
      }).pipe(Effect.provide(Kit)))
  })
})
