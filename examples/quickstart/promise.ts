/**
 * The README's Promise quick start, type-checked with the rest of the repository
 * (`npx pnpm@10 check`). Run it against a sandbox:
 *   npx pnpm@10 sandbox --port 12111 &
 *   PAYMENTFLOW_API_KEY=sk_test_0123456789abcdef PAYMENTFLOW_BASE_URL=http://127.0.0.1:12111 npx tsx examples/quickstart/promise.ts
 */
import { PaymentFlowClient, ValidationError } from "@paymentflow/node"

const client = new PaymentFlowClient({
  apiKey: process.env["PAYMENTFLOW_API_KEY"] ?? "sk_test_0123456789abcdef",
  environment: "sandbox",
  ...(process.env["PAYMENTFLOW_BASE_URL"] ? { baseUrl: process.env["PAYMENTFLOW_BASE_URL"] } : {})
})

const payment = await client.payments.create(
  { amount: 2500, currency: "USD", customerEmail: "jane@example.com", description: "Order #12345", metadata: { order_id: "12345" } },
  { idempotencyKey: `order-12345-${Date.now()}` }
)
// a checkout page would confirm it with a publishable key and this (never logged: it is a secret)
console.log(payment.id, payment.clientSecret.startsWith(`${payment.id}_secret_`)) // pay_… true
const confirmed = await client.payments.confirm(payment.id, {
  paymentMethod: { card: { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" } }
})

try {
  await client.refunds.create({ paymentId: confirmed.id, amount: 999_999 })
} catch (err) {
  if (err instanceof ValidationError) console.log(err.code, err.field) // refund_exceeds_payment amount
}

for await (const p of client.payments.listAll({ limit: 100 })) console.log(p.id, p.status)
await client.close()
