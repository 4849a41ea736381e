/**
 * An error that names its field does not repeat it in its message: users print
 * `${error.field}: ${error.message}` (the README does), and that must read once —
 * `amount: must be at least 1`, never `amount: amount: must be at least 1`. Checked on the
 * client's local `ValidationError`s and on the sandbox's wire errors for the same mistakes.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlow, PaymentFlowClient, ValidationError } from "@paymentflow/core"
import { API_VERSION } from "@paymentflow/core/Fields"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const SK = "sk_test_abcdefghijklmnop1234"
const layer = PaymentFlow.layer({ apiKey: SK }).pipe(Layer.provideMerge(Sandbox.layer({ rateLimit: false })))

/** The field is not said again at the start of the message (`amount: …`, `amount must …`). */
const readsOnce = (field: string, message: string) => {
  expect(message.startsWith(field), `"${field}: ${message}"`).toBe(false)
  expect(message.includes(`${field}:`), `"${field}: ${message}"`).toBe(false)
}

const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]))

describe("a ValidationError's message does not repeat its field", () => {
  it.effect("the client's local errors: amount, metadata, an unknown parameter, an id, an idempotency key", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const amount = yield* Effect.flip(pf.payments.create({ amount: 0, currency: "USD" }))
      expect(amount).toBeInstanceOf(ValidationError)
      expect(amount).toMatchObject({ field: "amount", message: "must be at least 1" })
      const cases = [
        amount,
        yield* Effect.flip(pf.customers.create({ email: "a@example.com", metadata: many })),
        yield* Effect.flip(pf.customers.create({ email: "a@example.com", metadata: { ["k".repeat(41)]: "v" } })),
        yield* Effect.flip(pf.customers.create({ email: "a@example.com", metadata: { k: "v".repeat(501) } })),
        // @ts-expect-error: an unknown parameter, as JavaScript callers can send
        yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD", colour: "red" })),
        yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD" }, { idempotencyKey: "" })),
        yield* Effect.flip(pf.payments.create({ currency: "USD" } as unknown as { amount: number; currency: "USD" }))
      ]
      for (const error of cases) {
        expect(error._tag).toBe("ValidationError")
        if (error._tag !== "ValidationError") continue
        expect(error.field).toBeTypeOf("string")
        readsOnce(error.field ?? "", error.message)
      }
    }).pipe(Effect.provide(layer)))

  it("the Promise client's id check", async () => {
    const client = new PaymentFlowClient({ apiKey: SK, baseUrl: "http://127.0.0.1:9" })
    const error: unknown = await client.payments.retrieve("bogus").then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    if (!(error instanceof ValidationError)) return
    expect(error.field).toBe("id")
    readsOnce("id", error.message)
  })

  it.effect("the sandbox's wire errors: error.message does not repeat error.field", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const post = (path: string, body: unknown) =>
        HttpClientRequest.post(`http://sandbox.local${path}`).pipe(
          HttpClientRequest.setHeaders({ authorization: `Bearer ${SK}`, "paymentflow-version": API_VERSION }),
          HttpClientRequest.bodyUnsafeJson(body)
        )
      const get = (path: string) =>
        HttpClientRequest.get(`http://sandbox.local${path}`).pipe(
          HttpClientRequest.setHeaders({ authorization: `Bearer ${SK}`, "paymentflow-version": API_VERSION })
        )
      const requests = [
        post("/v1/payments", { amount: 0, currency: "USD" }),
        post("/v1/payments", { currency: "USD" }),
        post("/v1/payments", { amount: 100, currency: "USD", colour: "red" }),
        post("/v1/customers", { email: "a@example.com", metadata: many }),
        post("/v1/customers", { email: "a@example.com", metadata: { ["k".repeat(41)]: "v" } }),
        post("/v1/payments/pay_AAAAAAAAAAAAAAAAAAAAAAAA/cancel", { extra: 1 }),
        get("/v1/payments?starting_after=pay_AAAAAAAAAAAAAAAAAAAAAAAA"),
        get("/v1/payments?limit=0")
      ]
      const fields: Array<string> = []
      for (const request of requests) {
        const response = yield* http.execute(request)
        const body = (yield* response.json) as { readonly error?: { readonly field?: string; readonly message?: string } }
        expect(response.status, JSON.stringify(body)).toBe(400)
        const { field, message } = body.error ?? {}
        expect(field, JSON.stringify(body)).toBeTypeOf("string")
        fields.push(field ?? "")
        readsOnce(field ?? "", message ?? "")
      }
      expect(fields).toContain("amount")
      expect(fields).toContain("starting_after")
      const first = yield* http.execute(requests[0]!)
      expect(yield* first.json).toMatchObject({ error: { field: "amount", message: "must be at least 1" } })
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))
})
