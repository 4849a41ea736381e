/**
 * A page using the browser client through MSW's `setupWorker`: the stateful sandbox runs inside
 * the page (frontend development with no server). Bundled and opened by `../mswBrowser.test.ts`.
 */
import { PaymentFlowClient } from "@paymentflow/browser"
import { createSandbox } from "@paymentflow/sandbox/msw"
import { setupWorker } from "msw/browser"

const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }

const main = async () => {
  const sandbox = createSandbox({ rateLimit: false })
  await setupWorker(...sandbox.handlers).start({ serviceWorker: { url: "/mockServiceWorker.js" }, quiet: true })
  const pf = new PaymentFlowClient({ apiKey: "pk_test_mswpagemswpage0001" })
  const created = await pf.payments.create({ amount: 2500, currency: "USD" })
  const confirmed = await pf.payments.confirm(created.id, { paymentMethod: { card } })
  const retrieved = await pf.payments.retrieve(created.id)
  const declined = await pf.payments.create({ amount: 900, currency: "USD", paymentMethod: { card: { ...card, number: "4000000000000002" } } })
  document.body.dataset["result"] = JSON.stringify({
    created: created.status,
    confirmed: confirmed.status,
    retrieved: retrieved.status,
    declined: declined.failureCode,
    served: (await (await sandbox.sandbox).handler(new Request("https://sandbox.api.paymentflow.com/openapi.json"))).status
  })
}

main().catch((error: unknown) => {
  document.body.dataset["result"] = JSON.stringify({ error: String(error) })
})
