/**
 * `duplicateDeliveries: N` (CLI `--duplicate-deliveries N`): every event reaches each endpoint N
 * times, as N deliveries with their own retries, 0–250 ms apart — at-least-once on purpose, so a
 * receiver's deduplication can be tested. TestClock drives the gaps.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { API_VERSION } from "@paymentflow/core/Fields"
import { Sandbox } from "@paymentflow/sandbox"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { parseArgs, UsageError } from "../src/internal/cli.js"
import { card, freshKey } from "./http.js"
import { tick, waitFor } from "./waitFor.js"

const secret = "whsec_duplicate_deliveries"

const createPayment = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const request = HttpClientRequest.post("https://sandbox.api.paymentflow.com/v1/payments").pipe(
    HttpClientRequest.bearerToken(freshKey()),
    HttpClientRequest.setHeaders({ "PaymentFlow-Version": API_VERSION }),
    HttpClientRequest.bodyUnsafeJson({ amount: 100, currency: "USD", payment_method: card("4242424242424242") })
  )
  const response = yield* client.execute(request)
  expect(response.status).toBe(200)
})


describe("duplicateDeliveries", () => {
  it.scoped("3: each event arrives three times (same body, same event id), each copy ≤ 250 ms after the one before", () =>
    Effect.gen(function*() {
      const arrivals: Array<{ readonly at: number; readonly body: string }> = []
      const layer = Sandbox.layer({
        duplicateDeliveries: 3,
        webhooks: [{
          name: "receiver",
          secret,
          handler: (payload) => Effect.map(Clock.currentTimeMillis, (at) => (arrivals.push({ at, body: payload }), 200))
        }]
      })
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox
        yield* createPayment
        // the first copy goes at once; the others wait on the clock
        yield* waitFor(Effect.sync(() => arrivals.length), (n) => n >= 1)
        for (let i = 0; i < 6 && arrivals.length < 3; i++) {
          yield* TestClock.adjust("100 millis")
          yield* tick
        }
        yield* waitFor(Effect.sync(() => arrivals.length), (n) => n >= 3)
        expect(arrivals).toHaveLength(3)
        expect(new Set(arrivals.map((a) => (JSON.parse(a.body) as { id: string }).id)).size).toBe(1)
        for (let i = 1; i < arrivals.length; i++) {
          expect(arrivals[i]!.at - arrivals[i - 1]!.at).toBeLessThanOrEqual(300)
        }
        const log = yield* sandbox.deliveries
        expect(log).toHaveLength(3)
        expect(new Set(log.map((d) => d.id)).size).toBe(3)
        expect(log.every((d) => d.status === "succeeded" && d.eventType === "payment.succeeded")).toBe(true)
      }).pipe(Effect.provide(layer))
    }))

  it.scoped("the default is one delivery per event and endpoint", () =>
    Effect.gen(function*() {
      let calls = 0
      const layer = Sandbox.layer({ webhooks: [{ secret, handler: () => Effect.sync(() => (calls++, 200)) }] })
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox
        yield* createPayment
        yield* waitFor(sandbox.deliveries, (d) => d[0]?.status === "succeeded")
        yield* TestClock.adjust("1 second")
        expect((yield* sandbox.deliveries).length).toBe(1)
        expect(calls).toBe(1)
      }).pipe(Effect.provide(layer))
    }))

  it("the CLI flag --duplicate-deliveries N (1 to 100)", () => {
    expect(parseArgs(["--duplicate-deliveries", "3"])).toMatchObject({ options: { duplicateDeliveries: 3 } })
    expect(parseArgs(["--duplicate-deliveries=2"])).toMatchObject({ options: { duplicateDeliveries: 2 } })
    expect(parseArgs([])).not.toHaveProperty("options.duplicateDeliveries")
    expect(() => parseArgs(["--duplicate-deliveries", "0"])).toThrow(UsageError)
    expect(() => parseArgs(["--duplicate-deliveries", "many"])).toThrow(UsageError)
  })
})
