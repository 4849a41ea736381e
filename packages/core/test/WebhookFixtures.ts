/** Wire-format (snake_case) webhook events for the webhook tests. */

export const SECRET = "whsec_9f2Kq7TzL0mXc4Rv8Bn1Ya6Ue3Wp5Hd"

/** 2023-11-14T22:13:20Z, in Unix seconds. */
export const NOW = 1_700_000_000

export const paymentJson = (overrides: Record<string, unknown> = {}) => ({
  id: "pay_3xYz9AbCdEfGhIjKlMnOpQrS",
  object: "payment",
  amount: 2599,
  amount_refunded: 0,
  currency: "EUR",
  status: "succeeded",
  customer: null,
  customer_email: "ada@example.com",
  description: "Café crème × 2 — €25.99",
  metadata: { order_id: "ord_42" },
  failure_code: null,
  payment_method: null,
  failure_message: null,
  created: NOW - 60,
  ...overrides
})

export const eventJson = (overrides: Record<string, unknown> = {}) => ({
  id: "evt_1aB2cD3eF4gH5iJ6kL7mN8oP",
  object: "event",
  type: "payment.succeeded",
  created: NOW - 5,
  data: paymentJson(),
  ...overrides
})

/** A body as a sender writes it: not the canonical `JSON.stringify`, with spacing and a newline. */
export const body = (overrides: Record<string, unknown> = {}): string => JSON.stringify(eventJson(overrides), null, 2) + "\n"
