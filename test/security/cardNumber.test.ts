/**
 * Canary card numbers driven through every path that takes a card — `paymentMethods.create`,
 * a card inline on `payments.create` and `payments.confirm`, idempotent replays and reuses,
 * refusals (not a test card, bad CVC, expired, malformed JSON, a card where an id is taken) —
 * through the SDK and over raw HTTP, against an in-process sandbox, with every log line (SDK and
 * sandbox, `LogLevel.All`) and every span (name, attributes, events, failure causes) captured.
 *
 * No number may appear in any response, error, event, webhook delivery, log line, span, state
 * dump or the idempotency store (which keeps a digest of each request, never its body). Only the
 * last 4 digits are ever shown (`PaymentMethod.card.last4`).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApp from "@effect/platform/HttpApp"
import { describe, expect, it } from "@effect/vitest"
import { luhn, TEST_CARDS } from "@paymentflow/core/Card"
import { PaymentFlow, Retry } from "@paymentflow/core"
import * as Engine from "../../packages/sandbox/src/internal/engine.js"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { recorder, renderAll } from "./capture.js"

/** A Luhn-valid number that is no test card, with no repeated runs (so any 8-digit piece is telling). */
const canaryNumber = (): string => {
  const body = "4929" + "38157206143".slice(0, 11)
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d
  throw new Error("unreachable")
}
const CANARY = canaryNumber()
/** Test cards (accepted, so they travel further: stored, charged, replayed, sent in events). */
const SAVED = "5555555555554444"
const DECLINES = "4000000000000002"
const SK = "sk_test_cardCanaryCANARY01234567"
const TEST_CARD_LIST = Object.keys(TEST_CARDS).join(", ")

const card = (number: string, over: Record<string, unknown> = {}) => ({ card: { number, expMonth: 12, expYear: 2099, cvc: "7319", ...over } })
const wireCard = (number: string, over: Record<string, unknown> = {}) => ({ card: { number, exp_month: 12, exp_year: 2099, cvc: "7319", ...over } })

/** Every 8-digit piece of the canary, the full test numbers, and their first 12 digits. */
const leaksIn = (text: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (let i = 0; i + 8 <= CANARY.length; i++) if (text.includes(CANARY.slice(i, i + 8))) found.push(CANARY.slice(i, i + 8))
  // the public list of test cards in `card_not_test`'s message names them: not a customer's card
  const rest = text.split(TEST_CARD_LIST).join("")
  for (const n of [SAVED, DECLINES]) if (rest.includes(n)) found.push(n)
  if (rest.includes(SAVED.slice(0, 12))) found.push(SAVED.slice(0, 12))
  return found
}

describe("card numbers never leak", () => {
  it("the canary is a Luhn-valid number that is no test card", () => {
    expect(luhn(CANARY)).toBe(true)
    expect(CANARY).toMatch(/^\d{16}$/)
    expect([SAVED, DECLINES]).not.toContain(CANARY)
  })

  it.scoped("through every path that takes a card: nowhere but the request that carried it", () =>
    Effect.gen(function*() {
      const texts: Array<string> = []
      const where = new Map<string, string>()
      const keep = (label: string, text: string) => {
        texts.push(text)
        where.set(text, label)
      }
      // the sandbox, with an in-process webhook endpoint recording each delivery as sent
      const delivered: Array<string> = []
      const instance = yield* Engine.make({
        rateLimit: false,
        webhooks: [{ secret: "whsec_cardCanary", handler: (payload) => Effect.sync(() => (delivered.push(payload), 200)) }]
      })
      // the sandbox's own logs and spans are captured too: its handler runs under the same logger and tracer
      let handler: (request: Request) => Promise<Response> = () => Promise.reject(new Error("not ready"))
      // every response, as its text
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const response = await handler(new Request(input, init))
        keep("response", await response.clone().text())
        return response
      }
      const raw = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
        Effect.promise(() =>
          fetch(`http://sandbox.local${path}`, {
            method,
            headers: { authorization: `Bearer ${SK}`, "content-type": "application/json", "paymentflow-version": "2026-12-01", ...headers },
            body
          }).then((r) => r.status)
        )
      const { logger, tracer } = recorder(keep)
      const sdk = PaymentFlow.layer({ apiKey: SK, retry: Retry.make({ maxRetries: 0 }) }).pipe(
        Layer.provide(FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch))))
      )
      const native = yield* Effect.tracer
      const captured = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(Effect.withTracer(tracer(native)), Effect.provide(logger), Logger.withMinimumLogLevel(LogLevel.All))
      handler = HttpApp.toWebHandlerRuntime(yield* captured(Effect.runtime<never>()))(instance.app)
      const outcome = <A, E>(effect: Effect.Effect<A, E>) => Effect.tap(Effect.exit(effect), (exit) => Effect.sync(() => keep("result", renderAll(exit))))

      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const customer = yield* pf.customers.create({ email: "canary@example.com" })
        // 1. tokenize: a test card (stored: brand, last4) and the canary (refused: not a test card)
        const saved = yield* pf.paymentMethods.create(card(SAVED))
        expect(saved.card.last4).toBe("4444")
        yield* outcome(pf.paymentMethods.create(card(CANARY)))
        yield* outcome(pf.paymentMethods.create(card(CANARY, { cvc: "1" }))) // refused locally
        yield* outcome(pf.paymentMethods.create(card(CANARY, { expYear: 2001 }))) // refused locally
        yield* pf.paymentMethods.attach(saved.id, { customer: customer.id })
        yield* pf.payments.create({ amount: 100, currency: "USD", customer: customer.id, paymentMethod: saved.id })
        // 2. inline on create and on confirm, accepted (stored as used methods) and refused
        yield* pf.payments.create({ amount: 100, currency: "USD", paymentMethod: card(SAVED) })
        yield* pf.payments.create({ amount: 100, currency: "USD", paymentMethod: card(DECLINES) })
        yield* outcome(pf.payments.create({ amount: 100, currency: "USD", paymentMethod: card(CANARY) }))
        const pending = yield* pf.payments.create({ amount: 100, currency: "USD" })
        yield* outcome(pf.payments.confirm(pending.id, { paymentMethod: card(CANARY) }))
        yield* pf.payments.confirm(pending.id, { paymentMethod: card(DECLINES) })
        yield* outcome(pf.payments.confirm(pending.id, { paymentMethod: card(SAVED) })) // 409 not confirmable
        // 3. idempotent replays, a refused one (not stored), and a key reused with another card
        for (const _ of [1, 2]) yield* pf.payments.create({ amount: 200, currency: "USD", paymentMethod: card(SAVED) }, { idempotencyKey: "canary-pay" })
        yield* outcome(pf.payments.create({ amount: 200, currency: "USD", paymentMethod: card(DECLINES) }, { idempotencyKey: "canary-pay" }))
        for (const _ of [1, 2]) yield* pf.paymentMethods.create(card(SAVED), { idempotencyKey: "canary-pm" })
        yield* outcome(pf.paymentMethods.create(card(CANARY), { idempotencyKey: "canary-pm-2" }))
        yield* pf.paymentMethods.create(card(SAVED), { idempotencyKey: "canary-pm-2" })
        const later = yield* pf.payments.create({ amount: 300, currency: "USD" })
        for (const _ of [1, 2]) yield* pf.payments.confirm(later.id, { paymentMethod: card(SAVED) }, { idempotencyKey: "canary-confirm" })
        yield* outcome(pf.payments.confirm(later.id, { paymentMethod: card(CANARY) }, { idempotencyKey: "canary-confirm" }))
        yield* Effect.yieldNow()
      }).pipe(Effect.provide(sdk), captured)

      // 4. raw HTTP: what the SDK would refuse before sending, and bodies no schema accepts
      const statuses = yield* Effect.all([
        raw("POST", "/v1/payment_methods", JSON.stringify(wireCard(CANARY))),
        raw("POST", "/v1/payment_methods", JSON.stringify(wireCard(CANARY, { cvc: "1" }))),
        raw("POST", "/v1/payment_methods", JSON.stringify(wireCard(CANARY, { exp_year: 2001 }))),
        raw("POST", "/v1/payment_methods", JSON.stringify({ ...wireCard(CANARY), extra: CANARY })),
        raw("POST", "/v1/payment_methods", `{"card": {"number": "${CANARY}", "exp_month": 12,`),
        raw("POST", "/v1/payments", JSON.stringify({ amount: 100, currency: "USD", payment_method: CANARY })),
        raw("POST", "/v1/payments", JSON.stringify({ amount: 100, currency: "USD", payment_method: wireCard(CANARY) }), { "idempotency-key": "raw-1" }),
        raw("POST", "/v1/payments", JSON.stringify({ amount: 100, currency: "USD", payment_method: wireCard(SAVED) }), { "idempotency-key": "raw-2" }),
        raw("POST", "/v1/payments", JSON.stringify({ amount: 100, currency: "USD", payment_method: wireCard(SAVED) }), { "idempotency-key": "raw-2" }),
        raw("POST", "/v1/payments", JSON.stringify({ amount: 100, currency: "USD", payment_method: wireCard(CANARY) }), { "idempotency-key": "raw-2" }),
        raw("POST", "/v1/payment_methods", JSON.stringify(wireCard(SAVED)), { "paymentflow-version": "2025-06-01" })
      ])
      expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 200, 200, 409, 200])

      // what the sandbox keeps and sends
      keep("state", JSON.stringify(yield* instance.state.snapshot.payments))
      keep("state", JSON.stringify(yield* instance.state.snapshot.paymentMethods))
      keep("state", JSON.stringify(yield* instance.state.snapshot.customers))
      keep("events", JSON.stringify(yield* instance.state.snapshot.events))
      keep("deliveries", JSON.stringify(yield* instance.webhooks.deliveries))
      const store = instance.idempotency.dump()
      for (const entry of store) keep("idempotency store", entry)
      keep("webhook payloads", delivered.join("\n"))

      // the run covered what it claims: replays happened, events and deliveries exist, the store holds digests
      expect(texts.filter((t) => where.get(t) === "response").length).toBeGreaterThan(30)
      expect(store.length).toBeGreaterThanOrEqual(5)
      for (const entry of store) expect(entry).toMatch(/ [0-9a-f]{64} /)
      expect(store.join("\n")).not.toContain("\"number\"")
      expect(texts.some((t) => where.get(t) === "span" && t.includes("PaymentFlow.paymentMethods.create"))).toBe(true)
      expect(texts.some((t) => where.get(t) === "log")).toBe(true)
      expect((yield* instance.state.snapshot.events).length).toBeGreaterThanOrEqual(5)

      const leaks = texts.flatMap((t) => leaksIn(t).map((piece) => `${where.get(t) ?? "?"}: ${piece} in ${t.slice(0, 300)}`))
      expect(leaks).toEqual([])
      // nor a CVC field, anywhere the sandbox answers or keeps
      const served = texts.filter((t) => where.get(t) !== "log" && where.get(t) !== "span" && where.get(t) !== "result")
      expect(served.filter((t) => t.includes("\"cvc\"")).map((t) => `${where.get(t)}: ${t.slice(0, 200)}`)).toEqual([])
    }))
})
