/** The fixed documents the benchmark sends, serves and signs. */
import { paymentJson } from "../../test/fixtures/wire.js"

/** A well-formed test secret key (the stub server does not check it). */
export const API_KEY = "sk_test_benchbenchbenchbench01"

/**
 * The stub server's one answer: a payment valid for the SDK's `Payment` schema (which decodes
 * every response) and acceptable to stripe-node (which only parses JSON on a 200).
 */
export const PAYMENT_JSON = JSON.stringify(paymentJson("pay_0000000001abcdefghijklmn", { customer_email: null, created: 1_750_000_000 }))

/** A `whsec_` secret for the webhook section. */
export const WEBHOOK_SECRET = "whsec_benchbenchbenchbenchbenchbench01"

/** A `payment.succeeded` event padded (description, metadata) to exactly `bytes` bytes of JSON. */
export const webhookPayload = (bytes: number): string => {
  const event = (pad: string) =>
    JSON.stringify({
      id: "evt_0000000001abcdefghijklmn",
      object: "event",
      type: "payment.succeeded",
      created: 1_750_000_000,
      data: {
        id: "pay_0000000001abcdefghijklmn",
        object: "payment",
        amount: 2500,
        amount_refunded: 0,
        currency: "USD",
        status: "succeeded",
        customer: "cus_0000000001abcdefghijklmn",
        customer_email: "jenny@example.com",
        description: pad,
        metadata: { order_id: "ord_12345", channel: "web", campaign: "spring-sale" },
        failure_code: null,
        payment_method: null,
        failure_message: null,
        created: 1_750_000_000
      }
    })
  const base = event("").length
  const payload = event("x".repeat(Math.max(0, bytes - base)))
  if (payload.length !== bytes) throw new Error(`payload is ${payload.length} bytes, wanted ${bytes}`)
  return payload
}
