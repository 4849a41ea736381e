/**
 * The in-process layer: no socket, the app runs in the test's runtime, so `TestClock` drives
 * processing and refund delays, idempotency expiry, the rate-limit window and webhook retries.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Event } from "@paymentflow/core/Event"
import { Payment } from "@paymentflow/core/Payment"
import { Refund } from "@paymentflow/core/Refund"
import { Sandbox, type SandboxOptions } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { card, freshKey } from "./http.js"
import { waitFor } from "./waitFor.js"

/** The API version these raw-HTTP tests are written for: named, never the SDK's pin. */
const API_VERSION = "2025-06-01"

const key = freshKey()

interface Sent {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

const send = (method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}, apiKey = key) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(`https://sandbox.api.paymentflow.com${path}`).pipe(
      HttpClientRequest.bearerToken(apiKey),
      HttpClientRequest.setHeaders({ "PaymentFlow-Version": API_VERSION, ...headers })
    )
    if (body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, body)
    const response = yield* client.execute(request)
    const json: unknown = yield* Effect.orElseSucceed(response.json, () => undefined)
    return { status: response.status, headers: response.headers, body: json } satisfies Sent
  })

const ok = <A, I>(schema: Schema.Schema<A, I>) => (sent: Sent) => {
  expect(sent.status).toBe(200)
  return Schema.decodeUnknownSync(schema)(sent.body)
}


const withSandbox = (options?: SandboxOptions) => Effect.provide(Sandbox.layer(options))

describe("Sandbox.layer (in process, TestClock)", () => {
  it.scoped("timestamps come from the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("1 hour")
      const payment = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD" }))
      expect(payment.created).toBe(3600)
      const sandbox = yield* Sandbox
      expect((yield* sandbox.payments).map((p) => p.id)).toEqual([payment.id])
    }).pipe(withSandbox()))

  it.scoped("a processing delay keeps the payment processing until the Clock passes it", () =>
    Effect.gen(function*() {
      const created = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD", payment_method: card("4000000000000002") }))
      expect(created.status).toBe("processing")
      yield* TestClock.adjust("1999 millis")
      expect(ok(Payment)(yield* send("GET", `/v1/payments/${created.id}`)).status).toBe("processing")
      yield* TestClock.adjust("1 millis")
      const settled = ok(Payment)(yield* send("GET", `/v1/payments/${created.id}`))
      expect(settled).toMatchObject({ status: "failed", failureCode: "card_declined" })
      const events = yield* (yield* Sandbox).events
      expect(events.map((e) => [e.type, e.data.id])).toEqual([["payment.failed", created.id]])
      // a processing payment is neither cancelable nor refundable
      const other = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD", payment_method: card("4242424242424242") }))
      expect((yield* send("POST", `/v1/payments/${other.id}/cancel`)).status).toBe(409)
      expect((yield* send("POST", "/v1/refunds", { payment_id: other.id })).status).toBe(409)
    }).pipe(withSandbox({ processingDelay: "2 seconds" })))

  it.scoped("a refund delay keeps the refund pending; events are refund.created then refund.completed", () =>
    Effect.gen(function*() {
      const payment = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 1000, currency: "JPY", payment_method: card("4242424242424242") }))
      const refund = ok(Refund)(yield* send("POST", "/v1/refunds", { payment_id: payment.id, amount: 400 }))
      expect(refund.status).toBe("pending")
      // amount_refunded counts a refund from its creation
      expect(ok(Payment)(yield* send("GET", `/v1/payments/${payment.id}`)).amountRefunded).toBe(400)
      yield* TestClock.adjust("5 seconds")
      expect(ok(Refund)(yield* send("GET", `/v1/refunds/${refund.id}`)).status).toBe("succeeded")
      const types = (yield* (yield* Sandbox).events).map((e) => e.type)
      expect(types).toEqual(["refund.completed", "refund.created", "payment.succeeded"])
    }).pipe(withSandbox({ refundDelay: "5 seconds" })))

  it.scoped("an idempotency key is forgotten after 24 hours", () =>
    Effect.gen(function*() {
      const body = { amount: 100, currency: "USD" }
      const headers = { "Idempotency-Key": "daily" }
      const first = ok(Payment)(yield* send("POST", "/v1/payments", body, headers))
      yield* TestClock.adjust("23 hours")
      const replay = yield* send("POST", "/v1/payments", body, headers)
      expect(replay.headers["idempotent-replayed"]).toBe("true")
      expect(ok(Payment)(replay).id).toBe(first.id)
      yield* TestClock.adjust("1 hour")
      const fresh = yield* send("POST", "/v1/payments", body, headers)
      expect(fresh.headers["idempotent-replayed"]).toBeUndefined()
      expect(ok(Payment)(fresh).id).not.toBe(first.id)
      expect((yield* (yield* Sandbox).payments)).toHaveLength(2)
    }).pipe(withSandbox()))

  it.scoped("the rate limit is a sliding minute: Retry-After counts down with the Clock", () =>
    Effect.gen(function*() {
      expect((yield* send("GET", "/v1/customers")).status).toBe(200)
      yield* TestClock.adjust("30 seconds")
      expect((yield* send("GET", "/v1/customers")).status).toBe(200)
      const refused = yield* send("GET", "/v1/customers")
      expect(refused.status).toBe(429)
      expect(refused.headers["retry-after"]).toBe("30")
      expect(refused.headers["ratelimit-remaining"]).toBe("0")
      yield* TestClock.adjust("30 seconds")
      // the first request left the window; the second is still in it
      const again = yield* send("GET", "/v1/customers")
      expect(again.status).toBe(200)
      expect(again.headers["ratelimit-remaining"]).toBe("0")
      expect((yield* send("GET", "/v1/customers")).headers["retry-after"]).toBe("30")
    }).pipe(withSandbox({ rateLimit: 2 })))

  it.scoped("rateLimitWindow shortens the sliding window (demos show a 429 and its recovery in seconds)", () =>
    Effect.gen(function*() {
      expect((yield* send("GET", "/v1/customers")).status).toBe(200)
      expect((yield* send("GET", "/v1/customers")).status).toBe(200)
      const refused = yield* send("GET", "/v1/customers")
      expect(refused.status).toBe(429)
      expect(refused.headers["retry-after"]).toBe("2")
      yield* TestClock.adjust("2 seconds")
      expect((yield* send("GET", "/v1/customers")).status).toBe(200)
    }).pipe(withSandbox({ rateLimit: 2, rateLimitWindow: "2 seconds" })))

  it.scoped("drop-after-commit: the change is applied, the client gets a transport error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(send("POST", "/v1/payments", { amount: 100, currency: "USD" }, { "PaymentFlow-Sandbox-Fault": "drop-after-commit" }))
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      expect(yield* (yield* Sandbox).payments).toHaveLength(1)
    }).pipe(withSandbox({ faults: true })))

  it.scoped("delay=<ms> sleeps on the Clock", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(send("GET", "/v1/customers", undefined, { "PaymentFlow-Sandbox-Fault": "delay=60000" }))
      yield* waitFor(TestClock.sleeps(), (s) => s.length > 0)
      yield* TestClock.adjust("59 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect((yield* fiber.await)._tag).toBe("Success")
    }).pipe(withSandbox({ faults: true })))
})

describe("webhooks (in-process endpoint, TestClock)", () => {
  const secret = "whsec_test_secret_0123456789"

  it.scoped("signed deliveries, retried with exponential backoff until a 2xx", () =>
    Effect.gen(function*() {
      const received: Array<{ payload: string; headers: Readonly<Record<string, string>> }> = []
      const layer = Sandbox.layer({
        webhooks: [{
          name: "test-receiver",
          secret,
          handler: (payload, headers) =>
            Effect.sync(() => {
              received.push({ payload, headers })
              return received.length < 3 ? 500 : 204
            })
        }]
      })
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox
        yield* TestClock.adjust("100 seconds")
        const payment = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD", payment_method: card("4242424242424242") }))
        yield* waitFor(Effect.sync(() => received.length), (n) => n === 1)
        yield* TestClock.adjust("1 second")
        yield* waitFor(Effect.sync(() => received.length), (n) => n === 2)
        yield* TestClock.adjust("1 second")
        expect(received).toHaveLength(2)
        yield* TestClock.adjust("1 second")
        const [delivery] = yield* waitFor(sandbox.deliveries, (d) => d[0]?.status === "succeeded")
        expect(delivery).toMatchObject({ endpoint: "test-receiver", eventType: "payment.succeeded", status: "succeeded" })
        expect(delivery?.attempts).toEqual([
          { at: 100, statusCode: 500, error: null },
          { at: 101, statusCode: 500, error: null },
          { at: 103, statusCode: 204, error: null }
        ])
        for (const [i, r] of received.entries()) {
          const t = [100, 101, 103][i]
          const expected = createHmac("sha256", secret).update(`${t}.${r.payload}`).digest("hex")
          expect(r.headers["paymentflow-signature"]).toBe(`t=${t},v1=${expected}`)
          expect(r.headers["content-type"]).toBe("application/json")
          const event = Schema.decodeUnknownSync(Event)(JSON.parse(r.payload))
          expect(event).toMatchObject({ type: "payment.succeeded", data: { id: payment.id, status: "succeeded" } })
        }
        // every attempt carries the same event (receivers deduplicate by id)
        expect(new Set(received.map((r) => r.payload)).size).toBe(1)
      }).pipe(Effect.provide(layer))
    }))

  it.scoped("a receiver that never answers 2xx: failed after the schedule (8 attempts by default)", () =>
    Effect.gen(function*() {
      let calls = 0
      const layer = Sandbox.layer({ webhooks: [{ secret, handler: () => Effect.sync(() => (calls += 1, 503)) }] })
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox
        ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD", payment_method: card("4242424242424242") }))
        for (let i = 1; i <= 8; i++) {
          yield* waitFor(Effect.sync(() => calls), (n) => n === i)
          yield* TestClock.adjust(`${2 ** (i - 1)} seconds`)
        }
        const [delivery] = yield* waitFor(sandbox.deliveries, (d) => d[0]?.status === "failed")
        expect(delivery?.attempts).toHaveLength(8)
        expect(delivery?.endpoint).toBe("in-process:0")
        expect(delivery?.attempts.map((a) => a.at)).toEqual([0, 1, 3, 7, 15, 31, 63, 127])
        expect(calls).toBe(8)
      }).pipe(Effect.provide(layer))
    }))

  it.scoped("a custom schedule, a timeout counts as no answer, and a full queue drops deliveries", () =>
    Effect.gen(function*() {
      const layer = Sandbox.layer({
        webhooks: [{ name: "slow", secret, handler: () => Effect.never }],
        webhookRetry: Schedule.recurs(0),
        webhookTimeout: "5 seconds",
        webhookQueueCapacity: 1
      })
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox
        const p = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD" }))
        const q = ok(Payment)(yield* send("POST", "/v1/payments", { amount: 100, currency: "USD" }))
        yield* send("POST", `/v1/payments/${p.id}/cancel`)
        yield* send("POST", `/v1/payments/${q.id}/cancel`)
        const before = yield* sandbox.deliveries
        expect(before.map((d) => d.status)).toEqual(["dropped", "pending"])
        yield* waitFor(TestClock.sleeps(), (s) => s.length > 0)
        yield* TestClock.adjust("5 seconds")
        const [, first] = yield* waitFor(sandbox.deliveries, (d) => d[1]?.status === "failed")
        expect(first?.attempts).toEqual([{ at: 0, statusCode: null, error: "no answer: timed out" }])
      }).pipe(Effect.provide(layer))
    }))
})
