/**
 * `Rule.violation`: the one reading of a failed decode (server) or encode (client) as the
 * contract's code and wire field. Both directions must give the same verdict.
 */
import { describe, expect, it } from "@effect/vitest"
import { CreateCustomerParams, UpdateCustomerParams } from "@paymentflow/core/Customer"
import { CreatePaymentParams, ListPaymentsParams } from "@paymentflow/core/Payment"
import { CreateRefundParams } from "@paymentflow/core/Refund"
import { violation, type Violation } from "@paymentflow/core/Rule"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

const strict = { onExcessProperty: "error", errors: "first" } as const

const onDecode = <A, I>(schema: Schema.Schema<A, I>, wire: unknown): Violation | "ok" => {
  const r = Schema.decodeUnknownEither(schema)(wire, strict)
  return Either.isLeft(r) ? violation(r.left.issue) : "ok"
}
const onEncode = <A, I>(schema: Schema.Schema<A, I>, value: unknown): Violation | "ok" => {
  const r = Schema.encodeUnknownEither(schema)(value, strict)
  return Either.isLeft(r) ? violation(r.left.issue) : "ok"
}

const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
const wireCard = { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" }

describe("Rule.violation", () => {
  it.each([
    ["bad email", { amount: 1, currency: "USD", customerEmail: "x" }, { amount: 1, currency: "USD", customer_email: "x" }, "parameter_invalid", "customer_email"],
    ["amount too large", { amount: 100_000_000, currency: "USD" }, { amount: 100_000_000, currency: "USD" }, "amount_too_large", "amount"],
    ["fractional amount", { amount: 1.5, currency: "USD" }, { amount: 1.5, currency: "USD" }, "parameter_invalid", "amount"],
    ["lower-case currency", { amount: 1, currency: "usd" }, { amount: 1, currency: "usd" }, "parameter_invalid", "currency"],
    ["Luhn", { amount: 1, currency: "USD", paymentMethod: { card: { ...card, number: "4242424242424241" } } }, { amount: 1, currency: "USD", payment_method: { card: { ...wireCard, number: "4242424242424241" } } }, "parameter_invalid", "payment_method.card.number"],
    ["expired card", { amount: 1, currency: "USD", paymentMethod: { card: { ...card, expYear: 2020 } } }, { amount: 1, currency: "USD", payment_method: { card: { ...wireCard, exp_year: 2020 } } }, "parameter_invalid", "payment_method.card.exp_year"],
    ["metadata value 501", { amount: 1, currency: "USD", metadata: { order_id: "v".repeat(501) } }, { amount: 1, currency: "USD", metadata: { order_id: "v".repeat(501) } }, "parameter_invalid", "metadata.order_id"],
    ["metadata key 41", { amount: 1, currency: "USD", metadata: { ["k".repeat(41)]: "v" } }, { amount: 1, currency: "USD", metadata: { ["k".repeat(41)]: "v" } }, "parameter_invalid", `metadata.${"k".repeat(41)}`]
  ] as const)("%s: the same code and wire field whether encoded (SDK) or decoded (server)", (_name, value, wire, code, field) => {
    expect(onEncode(CreatePaymentParams, value)).toMatchObject({ code, field })
    expect(onDecode(CreatePaymentParams, wire)).toMatchObject({ code, field })
  })

  it("metadata at its limits: 50 keys, 40-char keys, 500-char values pass; one more fails", () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]))
    expect(onDecode(CreateCustomerParams, { email: "a@b.co", metadata: fifty })).toBe("ok")
    expect(onDecode(CreateCustomerParams, { email: "a@b.co", metadata: { ...fifty, k50: "v" } })).toMatchObject({ code: "parameter_invalid", field: "metadata" })
    expect(onDecode(CreateCustomerParams, { email: "a@b.co", metadata: { ["k".repeat(40)]: "v".repeat(500) } })).toBe("ok")
  })

  it("a metadata key __proto__ is refused on both sides, never silently dropped", () => {
    const wire: unknown = JSON.parse('{"email":"a@b.co","metadata":{"__proto__":"x"}}')
    expect(onDecode(CreateCustomerParams, wire)).toMatchObject({ code: "parameter_unknown", field: "metadata.__proto__" })
    const metadata: Record<string, string> = {}
    Object.defineProperty(metadata, "__proto__", { value: "x", enumerable: true, configurable: true, writable: true })
    expect(onEncode(UpdateCustomerParams, { metadata })).toMatchObject({ code: "parameter_unknown", field: "metadata.__proto__" })
  })

  it("missing, unknown and mistyped parameters", () => {
    expect(onDecode(CreateRefundParams, {})).toMatchObject({ code: "parameter_missing", field: "payment_id" })
    expect(onDecode(CreatePaymentParams, { amount: 1, currency: "USD", colour: "red" })).toMatchObject({ code: "parameter_unknown", field: "colour" })
    expect(onDecode(CreatePaymentParams, { amount: "1", currency: "USD" })).toMatchObject({ code: "parameter_invalid", field: "amount" })
    expect(onDecode(ListPaymentsParams, { status: "nope" })).toMatchObject({ code: "parameter_invalid", field: "status" })
  })

  it("list queries: limit bounds and cursors", () => {
    expect(onDecode(ListPaymentsParams, { limit: "100" })).toBe("ok")
    expect(onDecode(ListPaymentsParams, { limit: "101" })).toMatchObject({ code: "parameter_invalid", field: "limit" })
    expect(onDecode(ListPaymentsParams, { limit: "1e1" })).toMatchObject({ code: "parameter_invalid", field: "limit" })
    expect(onDecode(ListPaymentsParams, { starting_after: "ref_123456789012345678901234" })).toMatchObject({ code: "invalid_cursor", field: "starting_after" })
  })
})
