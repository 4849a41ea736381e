/**
 * The checkout page's script: a person types an amount and a test card; the page creates a
 * payment with the publishable key, confirms it with the card and shows how it settled. Errors
 * shown are the SDK's typed errors' messages, never a stack.
 */
import { CURRENCIES, type Currency, isPaymentFlowError, type Payment, PaymentFlowClient, type PaymentWithSecret } from "@paymentflow/browser"

const meta = (name: string): string => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? ""

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`checkout page: #${id} is missing`)
  return found as T
}

const form = element<HTMLFormElement>("checkout")
const result = element<HTMLDivElement>("result")
const button = element<HTMLButtonElement>("pay")
const inputs = {
  amount: element<HTMLInputElement>("amount"),
  currency: element<HTMLSelectElement>("currency"),
  number: element<HTMLInputElement>("card-number"),
  expiry: element<HTMLInputElement>("card-expiry"),
  cvc: element<HTMLInputElement>("card-cvc")
}

/** Which input a wire field belongs to, to mark it invalid. */
const inputForField = (field: string | undefined): HTMLInputElement | undefined => {
  if (field === undefined) return undefined
  if (field === "amount") return inputs.amount
  if (field.endsWith("card.number")) return inputs.number
  if (field.endsWith("exp_month") || field.endsWith("exp_year")) return inputs.expiry
  if (field.endsWith("cvc")) return inputs.cvc
  return undefined
}

const show = (status: "working" | "succeeded" | "failed" | "error", text: string) => {
  result.dataset["status"] = status
  result.textContent = text
}

const ZERO_DECIMAL: ReadonlySet<string> = new Set(["JPY"])

const isCurrency = (s: string): s is Currency => (CURRENCIES as ReadonlyArray<string>).includes(s)

/** "25.00" USD → 2500; "500" JPY → 500. `undefined` when it is not an amount. */
const parseAmount = (text: string, currency: string): number | undefined => {
  const trimmed = text.trim().replace(/,/g, "")
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : 2
  const pattern = decimals === 0 ? /^\d+$/ : /^\d+(\.\d{1,2})?$/
  if (!pattern.test(trimmed)) return undefined
  return Math.round(Number(trimmed) * 10 ** decimals)
}

/** "12/30" or "12/2030" → { expMonth: 12, expYear: 2030 }. */
const parseExpiry = (text: string): { readonly expMonth: number; readonly expYear: number } | undefined => {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text)
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined
  const year = Number(match[2])
  return { expMonth: Number(match[1]), expYear: year < 100 ? 2000 + year : year }
}

const formatMoney = (payment: Payment): string =>
  new Intl.NumberFormat(undefined, { style: "currency", currency: payment.currency }).format(
    payment.amount / 10 ** (ZERO_DECIMAL.has(payment.currency) ? 0 : 2)
  )

const client = new PaymentFlowClient({ apiKey: meta("paymentflow-publishable-key"), baseUrl: meta("paymentflow-base-url") })

/** A payment confirmed with a card may still be `processing`: ask again until it settles. */
const settle = async (payment: PaymentWithSecret): Promise<Payment> => {
  let current = payment
  for (let attempt = 0; current.status === "processing" && attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 2000)))
    current = await client.payments.retrieve(current.clientSecret)
  }
  return current
}

const pay = async () => {
  for (const input of Object.values(inputs)) input.removeAttribute("aria-invalid")
  const currency = inputs.currency.value
  if (!isCurrency(currency)) return show("error", "Choose a currency.")
  const amount = parseAmount(inputs.amount.value, currency)
  if (amount === undefined) {
    inputs.amount.setAttribute("aria-invalid", "true")
    return show("error", ZERO_DECIMAL.has(currency) ? "Enter a whole amount, like 500." : "Enter an amount, like 25.00.")
  }
  const expiry = parseExpiry(inputs.expiry.value)
  if (expiry === undefined) {
    inputs.expiry.setAttribute("aria-invalid", "true")
    return show("error", "Enter the card's expiry as MM/YY.")
  }
  show("working", "Processing…")
  button.disabled = true
  try {
    // (interim, until the shop example's merchant server lands: the page is handed the payment's
    // client secret; a publishable key can no longer create payments)
    const clientSecret = new URLSearchParams(location.search).get("client_secret") ?? ""
    const confirmed = await client.payments.confirm(clientSecret, {
      paymentMethod: { card: { number: inputs.number.value.replace(/[\s-]/g, ""), ...expiry, cvc: inputs.cvc.value.trim() } }
    })
    const payment = await settle(confirmed)
    if (payment.status === "succeeded") {
      show("succeeded", `Payment succeeded: ${formatMoney(payment)} (${payment.id}).`)
    } else if (payment.status === "failed") {
      show("failed", `Payment failed: ${payment.failureCode ?? "unknown"}${payment.failureMessage ? ` — ${payment.failureMessage}` : ""}`)
    } else {
      show("working", `Payment is ${payment.status} (${payment.id}); check back shortly.`)
    }
  } catch (error) {
    if (isPaymentFlowError(error)) {
      inputForField("field" in error ? error.field : undefined)?.setAttribute("aria-invalid", "true")
      show("error", error.message)
    } else {
      show("error", "Something went wrong; no payment was made. Please try again.")
    }
  } finally {
    button.disabled = false
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault()
  void pay()
})
document.documentElement.dataset["ready"] = "true"
