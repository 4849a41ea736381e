/**
 * The shop page's script (bundled into `shop.js`). It holds the publishable key only:
 * 1. shows the cart (products and prices from the shop's `GET /products`);
 * 2. on Pay, sends the cart — skus and quantities, no amount — to the shop's `POST /orders`,
 *    which prices it and answers the order id, the amount and the payment's `client_secret`;
 * 3. confirms that payment with the typed card, straight to PaymentFlow
 *    (`payments.confirm(clientSecret, { paymentMethod })`): the card never reaches the shop;
 * 4. polls the shop's `GET /orders/:id` until the webhook has settled the order, and shows
 *    "paid" or "declined".
 * Signed in (the shop's demo sign-in), the shopper can tick "Save this card": the page turns the
 * card into a `pm_…` with the publishable key (`paymentMethods.create`) and sends the shop only that
 * id, which the shop attaches to the shopper's customer and charges. Next time "Pay with your saved
 * card" sends the cart alone: the shop charges the customer's default payment method.
 * Errors shown are messages (the SDK's typed errors', the shop's), never a stack.
 */
import { isPaymentFlowError, PaymentFlowClient } from "@paymentflow/browser"

interface Product {
  readonly sku: string
  readonly name: string
  readonly unitAmount: number
}

interface CreatedOrder {
  readonly order_id: string
  /** Absent when the shop charged a saved card itself. */
  readonly client_secret?: string
  readonly amount: number
  readonly currency: string
}

interface SavedCard {
  readonly brand: string
  readonly last4: string
}

interface Session {
  readonly shopper: { readonly name: string; readonly email: string } | null
  readonly saved_card: SavedCard | null
}

interface OrderState {
  readonly id: string
  readonly status: "awaiting_payment" | "paid" | "failed"
  readonly amount: number
  readonly currency: string
  readonly failure_code: string | null
}

const meta = (name: string): string => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? ""

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`shop page: #${id} is missing`)
  return found as T
}

const form = element<HTMLFormElement>("checkout")
const cartBody = element<HTMLTableSectionElement>("cart")
const cartTotal = element<HTMLTableCellElement>("cart-total")
const result = element<HTMLDivElement>("result")
const button = element<HTMLButtonElement>("pay")
const paySaved = element<HTMLButtonElement>("pay-saved")
const signInButton = element<HTMLButtonElement>("sign-in")
const shopperText = element<HTMLSpanElement>("shopper")
const saveCard = element<HTMLInputElement>("save-card")
const saveCardLabel = element<HTMLLabelElement>("save-card-label")
const card = {
  number: element<HTMLInputElement>("card-number"),
  expiry: element<HTMLInputElement>("card-expiry"),
  cvc: element<HTMLInputElement>("card-cvc")
}

const client = new PaymentFlowClient({ apiKey: meta("paymentflow-publishable-key"), baseUrl: meta("paymentflow-base-url") })

const money = (amount: number, currency: string): string =>
  new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount / 100)

const show = (status: "working" | "paid" | "declined" | "error", text: string) => {
  result.dataset["status"] = status
  result.textContent = text
}

/** The shop's JSON API; a non-2xx answer throws its `error.message`. */
const shop = async <A>(path: string, init?: RequestInit): Promise<A> => {
  const response = await fetch(path, { ...init, headers: { "content-type": "application/json" } })
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    const message = typeof body === "object" && body !== null && "error" in body &&
        typeof body.error === "object" && body.error !== null && "message" in body.error
      ? String(body.error.message)
      : `The shop answered ${response.status}.`
    throw new ShopError(message)
  }
  return body as A
}

class ShopError extends Error {}

/** "12/30" or "12/2030" → { expMonth: 12, expYear: 2030 }. */
const parseExpiry = (text: string): { readonly expMonth: number; readonly expYear: number } | undefined => {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text)
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined
  const year = Number(match[2])
  return { expMonth: Number(match[1]), expYear: year < 100 ? 2000 + year : year }
}

/** Which card input a wire field belongs to, to mark it invalid. */
const inputForField = (field: string | undefined): HTMLInputElement | undefined => {
  if (field === undefined) return undefined
  if (field.endsWith("card.number")) return card.number
  if (field.endsWith("exp_month") || field.endsWith("exp_year")) return card.expiry
  if (field.endsWith("cvc")) return card.cvc
  return undefined
}

let products: ReadonlyArray<Product> = []
let currency = "USD"

/** The cart as the page sends it: what and how many, never a price. */
const cart = (): Array<{ sku: string; quantity: number }> =>
  [...cartBody.querySelectorAll<HTMLInputElement>("input[data-sku]")]
    .map((input) => ({ sku: input.dataset["sku"] ?? "", quantity: Number(input.value) }))
    .filter((item) => item.quantity > 0)

/** The total shown before paying; the shop prices the cart again and charges its own figure. */
const renderTotal = () => {
  const total = cart().reduce((sum, item) => sum + (products.find((p) => p.sku === item.sku)?.unitAmount ?? 0) * item.quantity, 0)
  cartTotal.textContent = money(total, currency)
}

const renderCart = () => {
  cartBody.replaceChildren(...products.map((product, index) => {
    const row = document.createElement("tr")
    const name = document.createElement("td")
    name.textContent = product.name
    const quantity = document.createElement("td")
    const input = document.createElement("input")
    Object.assign(input, { type: "number", min: "0", max: "20", value: index < 2 ? "1" : "0" })
    input.dataset["sku"] = product.sku
    input.setAttribute("aria-label", `${product.name} quantity`)
    input.addEventListener("input", renderTotal)
    quantity.append(input)
    const price = document.createElement("td")
    price.className = "price"
    price.textContent = money(product.unitAmount, currency)
    row.append(name, quantity, price)
    return row
  }))
  renderTotal()
}

/** The order settles when the shop gets PaymentFlow's webhook: ask until it has. */
const settled = async (orderId: string): Promise<OrderState> => {
  let order = await shop<OrderState>(`/orders/${encodeURIComponent(orderId)}`)
  for (let attempt = 0; order.status === "awaiting_payment" && attempt < 30; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 2000)))
    order = await shop<OrderState>(`/orders/${encodeURIComponent(orderId)}`)
  }
  return order
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** The signed-in shopper and their saved card, from the shop. */
const renderSession = (session: Session) => {
  const signedIn = session.shopper !== null
  shopperText.textContent = signedIn ? `Signed in as ${session.shopper?.name} <${session.shopper?.email}>` : "Not signed in."
  signInButton.hidden = signedIn
  saveCardLabel.hidden = !signedIn
  paySaved.hidden = session.saved_card === null
  if (session.saved_card !== null) {
    paySaved.textContent = `Pay with your saved ${capitalized(session.saved_card.brand)} …${session.saved_card.last4}`
  }
}

/** Asks the shop who is signed in; an answer to an older ask (overtaken by a sign-in) is dropped. */
let sessionAsks = 0
const refreshSession = async () => {
  const ask = ++sessionAsks
  const session = await shop<Session>("/session")
  if (ask === sessionAsks) renderSession(session)
}

/** How the order is paid: a card typed now (saved or not), or the saved card (no card sent). */
type Paying = "card" | "saved-card"

const pay = async (paying: Paying) => {
  for (const input of Object.values(card)) input.removeAttribute("aria-invalid")
  const expiry = paying === "card" ? parseExpiry(card.expiry.value) : undefined
  if (paying === "card" && expiry === undefined) {
    card.expiry.setAttribute("aria-invalid", "true")
    return show("error", "Enter the card's expiry as MM/YY.")
  }
  const items = cart()
  if (items.length === 0) return show("error", "Your cart is empty.")
  button.disabled = true
  paySaved.disabled = true
  try {
    const typed = expiry === undefined
      ? undefined
      : { card: { number: card.number.value.replace(/[\s-]/g, ""), ...expiry, cvc: card.cvc.value.trim() } }
    let body: Record<string, unknown> = { items }
    if (typed === undefined) {
      body = { items, saved_card: true }
    } else if (saveCard.checked && !saveCardLabel.hidden) {
      // straight to PaymentFlow with the publishable key; the shop gets the pm_… only
      show("working", "Saving your card…")
      const method = await client.paymentMethods.create(typed)
      body = { items, payment_method: method.id }
    }
    show("working", "Placing your order…")
    const order = await shop<CreatedOrder>("/orders", { method: "POST", body: JSON.stringify(body) })
    show("working", `Paying ${money(order.amount, order.currency)}…`)
    if (order.client_secret !== undefined) {
      if (typed === undefined) throw new ShopError("The shop asked for a card; enter one and pay.")
      await client.payments.confirm(order.client_secret, { paymentMethod: typed })
    }
    show("working", `Waiting for the shop to confirm order ${order.order_id}…`)
    const state = await settled(order.order_id)
    if (state.status === "paid") {
      show("paid", `Order paid: ${money(state.amount, state.currency)} (${state.id}).`)
    } else if (state.status === "failed") {
      show("declined", `Payment declined: ${state.failure_code ?? "unknown"}. Your order ${state.id} was not paid.`)
    } else {
      show("working", `Order ${state.id} is still awaiting payment; check back shortly.`)
    }
  } catch (error) {
    if (isPaymentFlowError(error)) {
      inputForField("field" in error ? error.field : undefined)?.setAttribute("aria-invalid", "true")
      show("error", error.message)
    } else if (error instanceof ShopError) {
      show("error", error.message)
    } else {
      show("error", "Something went wrong; no payment was made. Please try again.")
    }
  } finally {
    button.disabled = false
    paySaved.disabled = false
    if (paying === "saved-card" || saveCard.checked) await refreshSession().catch(() => undefined)
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault()
  void pay("card")
})
paySaved.addEventListener("click", () => void pay("saved-card"))
signInButton.addEventListener("click", () => {
  shop<Session>("/session", { method: "POST", body: "{}" }).then(refreshSession).catch((error: unknown) =>
    show("error", error instanceof ShopError ? error.message : "Could not sign in; please try again.")
  )
})

shop<{ readonly currency: string; readonly products: ReadonlyArray<Product> }>("/products").then(
  (catalogue) => {
    products = catalogue.products
    currency = catalogue.currency
    renderCart()
    return refreshSession()
  }
).then(
  () => {
    document.documentElement.dataset["ready"] = "true"
  },
  () => show("error", "The shop is unavailable; reload the page.")
)
