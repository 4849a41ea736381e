/**
 * The client against the in-process sandbox (`Sandbox.layer`): the real server logic, no
 * socket. Every operation's success path and its typical error paths, idempotency under a
 * dropped connection, and pagination over 250 objects.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { CustomerId, PaymentFlow, PaymentId, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const SK = "sk_test_abcdefghijklmnop1234"
const PK = "pk_test_abcdefghijklmnop1234"
const visa = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
const declined = { card: { ...visa.card, number: "4000000000000002" } }
/** Retries without backoff: the sandbox answers at once, and TestClock never has to move. */
const immediate = Retry.make({ maxRetries: 2, initialDelay: 0 })

const layer = (options: Partial<PaymentFlow.Options> = {}, sandbox: Parameters<typeof Sandbox.layer>[0] = { rateLimit: false }) =>
  PaymentFlow.layer({ apiKey: SK, retry: immediate, ...options }).pipe(Layer.provideMerge(Sandbox.layer(sandbox)))

describe("PaymentFlow against the sandbox", () => {
  it.effect("payments: create → confirm → retrieve → refund, with the contract's errors", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const customer = yield* pf.customers.create({ email: "jane@example.com", name: "Jane", metadata: { tier: "gold" } })
      const payment = yield* pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id, description: "Order #1" })
      expect(payment.status).toBe("pending")
      expect(payment.customerEmail).toBe("jane@example.com")

      const confirmed = yield* pf.payments.confirm(payment.id, { paymentMethod: visa })
      expect(confirmed.status).toBe("succeeded")
      expect((yield* pf.payments.retrieve(payment.id)).status).toBe("succeeded")

      const again = yield* Effect.flip(pf.payments.confirm(payment.id, { paymentMethod: visa }))
      expect(again).toMatchObject({ _tag: "ConflictError", code: "payment_not_confirmable", statusCode: 409 })
      const cancel = yield* Effect.flip(pf.payments.cancel(payment.id))
      expect(cancel).toMatchObject({ _tag: "ConflictError", code: "payment_not_cancelable" })

      const refund = yield* pf.refunds.create({ paymentId: payment.id, amount: 1000, reason: "customer_request" })
      expect(refund).toMatchObject({ paymentId: payment.id, amount: 1000, currency: "USD" })
      expect((yield* pf.refunds.retrieve(refund.id)).id).toBe(refund.id)
      const tooMuch = yield* Effect.flip(pf.refunds.create({ paymentId: payment.id, amount: 1501 }))
      expect(tooMuch).toMatchObject({ _tag: "ValidationError", code: "refund_exceeds_payment", field: "amount" })
      const rest = yield* pf.refunds.create({ paymentId: payment.id })
      expect(rest.amount).toBe(1500)
      const refunds = yield* pf.refunds.list({ paymentId: payment.id })
      expect(refunds.totalCount).toBe(2)
      expect((yield* pf.payments.retrieve(payment.id)).amountRefunded).toBe(2500)

      const pending = yield* pf.payments.create({ amount: 100, currency: "JPY" })
      expect((yield* pf.payments.cancel(pending.id)).status).toBe("cancelled")
      const notRefundable = yield* Effect.flip(pf.refunds.create({ paymentId: pending.id }))
      expect(notRefundable).toMatchObject({ _tag: "ConflictError", code: "payment_not_refundable" })

      const failed = yield* pf.payments.create({ amount: 100, currency: "EUR", paymentMethod: declined })
      expect(failed).toMatchObject({ status: "failed", failureCode: "card_declined" })

      const missing = yield* Effect.flip(pf.payments.retrieve(PaymentId.make("pay_000000000000000000000000")))
      expect(missing).toMatchObject({ _tag: "NotFoundError", code: "resource_missing", statusCode: 404 })
      expect(missing.requestId).toMatch(/^req_/)

      const list = yield* pf.payments.list({ limit: 2 })
      expect(list.data).toHaveLength(2)
      expect(list.totalCount).toBe(3)
      expect(list.hasMore).toBe(true)
      const byStatus = yield* pf.payments.list({ status: "cancelled" })
      expect(byStatus.data.map((p) => p.id)).toEqual([pending.id])
    }).pipe(Effect.provide(layer())))

  it.effect("customers: create, retrieve, update (metadata merge, \"\" removes), list, delete", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const c = yield* pf.customers.create({ email: "a@example.com", phone: "+1 555", metadata: { a: "1", b: "2" } })
      expect((yield* pf.customers.retrieve(c.id)).email).toBe("a@example.com")
      const updated = yield* pf.customers.update(c.id, { name: "A", phone: null, metadata: { a: "", c: "3" } })
      expect(updated).toMatchObject({ name: "A", phone: null, metadata: { b: "2", c: "3" } })
      const byEmail = yield* pf.customers.list({ email: "a@example.com" })
      expect(byEmail.data.map((x) => x.id)).toEqual([c.id])
      expect(yield* pf.customers.delete(c.id)).toEqual({ id: c.id, object: "customer", deleted: true })
      const gone = yield* Effect.flip(pf.customers.retrieve(c.id))
      expect(gone._tag).toBe("NotFoundError")
      const badCursor = yield* Effect.flip(pf.customers.list({ startingAfter: CustomerId.make("cus_000000000000000000000000") }))
      expect(badCursor).toMatchObject({ _tag: "ValidationError", code: "invalid_cursor", field: "starting_after" })
    }).pipe(Effect.provide(layer())))

  it.effect("listAll yields all 250 payments once each, newest first", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const created = yield* Effect.forEach(
        Array.from({ length: 250 }, (_, i) => i + 1),
        (amount) => Effect.map(pf.payments.create({ amount, currency: "USD" }), (p) => p.id)
      )
      const ids = Chunk.toReadonlyArray(yield* Stream.runCollect(Stream.map(pf.payments.listAll({ limit: 100 }), (p) => p.id)))
      expect(ids).toHaveLength(250)
      expect(new Set(ids).size).toBe(250)
      expect(new Set(ids)).toEqual(new Set(created))
      const pages = yield* Stream.runCollect(pf.payments.listAll({ limit: 100 }).pipe(Stream.take(1)))
      expect(Chunk.size(pages)).toBe(1)
    }).pipe(Effect.provide(layer())))

  it.effect("a connection dropped after the server committed: the retry replays, exactly one payment", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const sandbox = yield* Sandbox
      const payment = yield* pf.payments.create({ amount: 4200, currency: "USD" })
      const all = yield* sandbox.payments
      expect(all).toHaveLength(1)
      expect(all[0]?.id).toBe(payment.id)
    }).pipe(Effect.provide(Layer.suspend(() => {
      let first = true
      // The fault header on the first attempt only; the retry goes through cleanly.
      const faultOnce = HttpClient.mapRequest((request: HttpClientRequest.HttpClientRequest) => {
        if (!first) return request
        first = false
        return HttpClientRequest.setHeader(request, "paymentflow-sandbox-fault", "drop-after-commit")
      })
      return layer({ transformClient: faultOnce }, { rateLimit: false, faults: true })
    }))))

  it.effect("without retries, the dropped connection surfaces as NetworkError connection_failed", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const error = yield* Effect.flip(pf.payments.create({ amount: 1, currency: "USD" }, { maxRetries: 0 }))
      expect(error).toMatchObject({ _tag: "NetworkError", code: "connection_failed" })
    }).pipe(Effect.provide(layer({
      transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("paymentflow-sandbox-fault", "drop-after-commit"))
    }, { rateLimit: false, faults: true }))))

  it.effect("the same Idempotency-Key with another body → ConflictError idempotency_key_reused", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const a = yield* pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "k-1" })
      const replay = yield* pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "k-1" })
      expect(replay.id).toBe(a.id)
      const reused = yield* Effect.flip(pf.payments.create({ amount: 2, currency: "USD" }, { idempotencyKey: "k-1" }))
      expect(reused).toMatchObject({ _tag: "ConflictError", code: "idempotency_key_reused" })
    }).pipe(Effect.provide(layer())))

  it.scoped("a pk_ key (2026-12-01): create and other secret endpoints are refused locally; retrieve without the client secret is the server's 400", () =>
    Effect.gen(function*() {
      const server = yield* PaymentFlow
      const p = yield* server.payments.create({ amount: 100, currency: "USD" })
      expect(p.clientSecret.startsWith(`${p.id}_secret_`)).toBe(true)
      const pf = yield* PaymentFlow.make({ apiKey: PK, retry: immediate })
      for (const refused of [
        yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD" })),
        yield* Effect.flip(pf.refunds.create({ paymentId: p.id }))
      ]) {
        expect(refused).toMatchObject({ _tag: "AuthenticationError", code: "permission_denied" })
        expect(refused.statusCode).toBeUndefined()
      }
      const missing = yield* Effect.flip(pf.payments.retrieve(p.id))
      expect(missing).toMatchObject({ _tag: "ValidationError", code: "parameter_missing", field: "client_secret", statusCode: 400 })
    }).pipe(Effect.provide(layer())))

  it.scoped("a payment created under 2025-06-01 (raw HTTP) shows its client secret to the pinned SDK (2026-12-01)", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(
        HttpClientRequest.post("https://sandbox.api.paymentflow.com/v1/payments").pipe(
          HttpClientRequest.setHeaders({ authorization: `Bearer ${SK}`, "paymentflow-version": "2025-06-01" }),
          HttpClientRequest.bodyUnsafeJson({ amount: 700, currency: "EUR" })
        )
      )
      const old: unknown = yield* response.json
      expect(response.status).toBe(200)
      expect(old).not.toHaveProperty("client_secret")
      const id = typeof old === "object" && old !== null && "id" in old && typeof old.id === "string" ? old.id : ""
      const pf = yield* PaymentFlow
      const seen = yield* pf.payments.retrieve(id)
      expect(seen).toMatchObject({ id, amount: 700, currency: "EUR" })
      expect(seen.clientSecret).toMatch(new RegExp(`^${id}_secret_[A-Za-z0-9]{24}$`))
      // and it is that payment's: the same one every time
      expect((yield* pf.payments.retrieve(id)).clientSecret).toBe(seen.clientSecret)
    }).pipe(Effect.provide(layer())))

  it.effect("a key the sandbox does not accept → AuthenticationError 401 from the server", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const error = yield* Effect.flip(pf.payments.retrieve(PaymentId.make("pay_000000000000000000000000")))
      expect(error).toMatchObject({ _tag: "AuthenticationError", statusCode: 401 })
    }).pipe(Effect.provide(layer({}, { rateLimit: false, apiKeys: ["sk_test_someoneelse0000000000"] }))))

  it.effect("the sandbox's 429 is a RateLimitError with retryAfter", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      yield* pf.payments.create({ amount: 1, currency: "USD" })
      const error = yield* Effect.flip(pf.payments.create({ amount: 1, currency: "USD" }))
      expect(error._tag).toBe("RateLimitError")
      if (error._tag === "RateLimitError") expect(error.retryAfter).toBeGreaterThan(0)
    }).pipe(Effect.provide(layer({ maxRetries: 0, retry: undefined }, { rateLimit: 1 }))))
})
