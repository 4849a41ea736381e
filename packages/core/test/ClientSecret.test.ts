/**
 * `client_secret`: under the pin (2026-12-01) a response about one payment carries it
 * (`PaymentWithSecret`: required), a list item or an event's payment does not (`Payment`: the
 * schema has no such field, so one sent is dropped), and a secret is shown only masked.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import { maskClientSecret, Payment, PaymentList, PaymentWithSecret } from "@paymentflow/core/Payment"
import * as Schema from "effect/Schema"

const id = "pay_0000000001abcdefghijklmn"
const secret = `${id}_secret_ABCDEFGHIJKLMNOPQRSTwxyz`
const wire = {
  id, object: "payment", amount: 2500, amount_refunded: 0, currency: "USD", status: "pending", customer: null,
  customer_email: null, description: null, metadata: {}, payment_method: null, failure_code: null, failure_message: null, created: 1732406400
}

describe("client_secret", () => {
  it("create, retrieve, confirm and cancel decode it, required; without it the response is not theirs", () => {
    for (const key of ["payments.create", "payments.retrieve", "payments.confirm", "payments.cancel"] as const) {
      expect(Api.endpoints[key].success).toBe(PaymentWithSecret)
    }
    const decode = Schema.decodeUnknownSync(PaymentWithSecret, { onExcessProperty: "error" })
    expect(decode({ ...wire, client_secret: secret }).clientSecret).toBe(secret)
    expect(() => decode(wire)).toThrow()
    expect(() => decode({ ...wire, client_secret: "pay_x_secret_y" })).toThrow()
  })

  it("a list item has no client secret: its schema has no such field", () => {
    const item = Schema.decodeUnknownSync(Payment)({ ...wire, client_secret: secret })
    expect(item).not.toHaveProperty("clientSecret")
    expect(() => Schema.decodeUnknownSync(Payment, { onExcessProperty: "error" })({ ...wire, client_secret: secret })).toThrow()
    const page = Schema.decodeUnknownSync(PaymentList)({ object: "list", data: [{ ...wire, client_secret: secret }], has_more: false, total_count: 1 })
    expect(page.data[0]).not.toHaveProperty("clientSecret")
    expect(JSON.stringify(Schema.encodeSync(PaymentList)(page))).not.toContain("_secret_")
  })

  it("is masked like a key: the payment id, _secret_… and its last 4 characters", () => {
    expect(maskClientSecret(secret)).toBe(`${id}_secret_…wxyz`)
    expect(maskClientSecret(secret)).not.toContain("ABCDEFGH")
    expect(maskClientSecret("not a secret at all")).toBe("…")
  })
})
