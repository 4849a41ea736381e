/**
 * A page using the browser client through MSW's `setupWorker`: the stateful sandbox runs inside
 * the page (frontend development with no server). Bundled and opened by `../mswBrowser.test.ts`.
 *
 * The page holds only a publishable key, so it cannot create a payment (API version 2026-12-01):
 * in production the merchant's server creates it with the secret key and hands the page its
 * `client_secret`. With no server, `createOrder` stands in for that server — it asks the in-page
 * sandbox directly, with a secret key that never reaches the browser client.
 */
import { API_VERSION } from "@paymentflow/core"
import { PaymentFlowClient } from "@paymentflow/browser"
import { createSandbox } from "@paymentflow/sandbox/msw"
import { setupWorker } from "msw/browser"

const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }
const BASE = "https://sandbox.api.paymentflow.com"

const main = async () => {
  const sandbox = createSandbox({ rateLimit: false })
  await setupWorker(...sandbox.handlers).start({ serviceWorker: { url: "/mockServiceWorker.js" }, quiet: true })
  const { handler } = await sandbox.sandbox

  /** The merchant server's part: create the payment with the secret key, return its status and client_secret. */
  const createOrder = async (amount: number): Promise<{ readonly status: string; readonly clientSecret: string }> => {
    const response = await handler(new Request(`${BASE}/v1/payments`, {
      method: "POST",
      headers: {
        authorization: "Bearer sk_test_mswpagemerchant0001",
        "content-type": "application/json",
        "paymentflow-version": API_VERSION
      },
      body: JSON.stringify({ amount, currency: "USD" })
    }))
    const body: { readonly status: string; readonly client_secret: string } = await response.json()
    return { status: body.status, clientSecret: body.client_secret }
  }

  const pf = new PaymentFlowClient({ apiKey: "pk_test_mswpagemswpage0001" })
  const created = await createOrder(2500)
  const confirmed = await pf.payments.confirm(created.clientSecret, { paymentMethod: { card } })
  const retrieved = await pf.payments.retrieve(created.clientSecret)
  const other = await createOrder(900)
  const declined = await pf.payments.confirm(other.clientSecret, { paymentMethod: { card: { ...card, number: "4000000000000002" } } })
  document.body.dataset["result"] = JSON.stringify({
    created: created.status,
    confirmed: confirmed.status,
    retrieved: retrieved.status,
    declined: declined.failureCode,
    served: (await handler(new Request(`${BASE}/openapi.json`))).status
  })
}

main().catch((error: unknown) => {
  document.body.dataset["result"] = JSON.stringify({ error: String(error) })
})
