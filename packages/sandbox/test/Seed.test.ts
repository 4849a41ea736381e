/**
 * `sandbox.seed.payments` (sandbox-only seeding) and listing from the ordered store: pages walk
 * newest first from the cursor, seeded and created payments alike, filters and counts included.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Payment } from "@paymentflow/core/Payment"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { freshKey } from "./http.js"

/** The API version these raw-HTTP tests are written for: named, never the SDK's pin. */
const API_VERSION = "2025-06-01"

const key = freshKey()
const PaymentPage = Schema.Struct({
  object: Schema.Literal("list"),
  data: Schema.Array(Payment),
  has_more: Schema.Boolean,
  total_count: Schema.Number
})

const call = (method: "GET" | "POST", path: string, body?: unknown) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(`https://sandbox.api.paymentflow.com${path}`).pipe(
      HttpClientRequest.bearerToken(key),
      HttpClientRequest.setHeader("PaymentFlow-Version", API_VERSION)
    )
    if (body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, body)
    const response = yield* client.execute(request)
    const json: unknown = yield* response.json
    return { status: response.status, json }
  }).pipe(Effect.scoped, Effect.orDie)

const list = (query: string) =>
  Effect.map(call("GET", `/v1/payments?${query}`), (r) => {
    expect(r.status).toBe(200)
    return Schema.decodeUnknownSync(PaymentPage)(r.json)
  })

/** Every page of a list, following `starting_after`. */
const walk = (query: string) =>
  Effect.gen(function*() {
    const out: Array<Payment> = []
    let after: string | undefined
    for (let i = 0; i < 1000; i++) {
      const p = yield* list(after === undefined ? query : `${query}&starting_after=${after}`)
      out.push(...p.data)
      if (!p.has_more) return out
      after = p.data[p.data.length - 1]!.id
    }
    return yield* Effect.dieMessage("too many pages")
  })

describe("Sandbox seed.payments", () => {
  it.scoped("seeds payments that list newest first with the created ones, filters and counts included", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      yield* TestClock.setTime(1_700_000_000_000)
      const first = yield* call("POST", "/v1/payments", { amount: 111, currency: "EUR" })
      expect(first.status).toBe(200)
      const n = yield* sandbox.seed.payments(250, (i) => ({
        amount: 100 + i,
        currency: "USD",
        status: i % 5 === 0 ? "succeeded" : i % 7 === 0 ? "failed" : "pending",
        metadata: { i: String(i) }
      }))
      expect(n).toBe(250)
      yield* TestClock.adjust("1 second")
      const last = yield* call("POST", "/v1/payments", { amount: 999, currency: "GBP" })
      expect(last.status).toBe(200)

      const all = yield* walk("limit=7")
      expect(all).toHaveLength(252)
      expect(all[0]!.amount).toBe(999)
      expect(all[251]!.amount).toBe(111)
      // seeded in index order: the newest seeded is index 249
      expect(all.slice(1, 251).map((p) => p.amount)).toEqual(Array.from({ length: 250 }, (_, i) => 100 + 249 - i))
      expect(new Set(all.map((p) => p.id)).size).toBe(252)
      expect(all.every((p, i) => i === 0 || p.created <= all[i - 1]!.created)).toBe(true)
      expect(yield* sandbox.payments).toEqual(all)

      const succeeded = yield* walk("limit=10&status=succeeded")
      expect(succeeded.map((p) => p.amount)).toEqual(
        Array.from({ length: 250 }, (_, i) => 249 - i).filter((i) => i % 5 === 0).map((i) => 100 + i)
      )
      const page = yield* list("limit=3&status=failed")
      expect(page.total_count).toBe(Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 5 !== 0 && i % 7 === 0).length)
      expect(page.data).toHaveLength(3)
      expect(page.data.every((p) => p.status === "failed" && p.failureCode === "card_declined")).toBe(true)
      expect((yield* list("limit=1")).total_count).toBe(252)
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))

  it.scoped("a payment the schema refuses fails the whole seed with a ParseError and stores nothing", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      const bad = yield* Effect.flip(sandbox.seed.payments(10, (i) => ({ amount: i === 9 ? -5 : 100, currency: "USD" })))
      expect(bad._tag).toBe("ParseError")
      expect(yield* sandbox.payments).toHaveLength(0)
      expect(yield* sandbox.seed.payments(3)).toBe(3)
      const page = yield* list("limit=10")
      expect(page.data.map((p) => [p.amount, p.currency, p.status])).toEqual([[1000, "USD", "pending"], [1000, "USD", "pending"], [1000, "USD", "pending"]])
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))

  it.scoped("a Clock set back still lists by created, newest first, cursor included", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_800_000_000_000)
      const a = yield* call("POST", "/v1/payments", { amount: 1, currency: "USD" })
      yield* TestClock.setTime(1_700_000_000_000)
      const b = yield* call("POST", "/v1/payments", { amount: 2, currency: "USD" })
      const c = yield* call("POST", "/v1/payments", { amount: 3, currency: "USD" })
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200])
      const all = yield* walk("limit=1")
      expect(all.map((p) => p.amount)).toEqual([1, 3, 2])
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))
})
