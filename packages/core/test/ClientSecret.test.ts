/**
 * `Payment.client_secret`: the SDK (pinned to 2025-06-01) decodes a payment with or without it,
 * and a secret is shown only masked.
 */
import { describe, expect, it } from "@effect/vitest"
import { maskClientSecret, Payment } from "@paymentflow/core/Payment"
import * as Schema from "effect/Schema"

const id = "pay_0000000001abcdefghijklmn"
const secret = `${id}_secret_ABCDEFGHIJKLMNOPQRSTwxyz`
const wire = {
  id, object: "payment", amount: 2500, amount_refunded: 0, currency: "USD", status: "pending", customer: null,
  customer_email: null, description: null, metadata: {}, payment_method: null, failure_code: null, failure_message: null, created: 1732406400
}

describe("client_secret", () => {
  it("a payment decodes with it (2026-12-01) and without it (2025-06-01)", () => {
    const decode = Schema.decodeUnknownSync(Payment, { onExcessProperty: "error" })
    expect(decode({ ...wire, client_secret: secret }).clientSecret).toBe(secret)
    expect(decode(wire)).not.toHaveProperty("clientSecret")
    expect(() => decode({ ...wire, client_secret: "pay_x_secret_y" })).toThrow()
  })

  it("is masked like a key: the payment id, _secret_… and its last 4 characters", () => {
    expect(maskClientSecret(secret)).toBe(`${id}_secret_…wxyz`)
    expect(maskClientSecret(secret)).not.toContain("ABCDEFGH")
    expect(maskClientSecret("not a secret at all")).toBe("…")
  })
})
