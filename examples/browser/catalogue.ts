/**
 * The shop's catalogue and the one function that prices a cart. The page sends only what it
 * wants (`{ sku, quantity }`); what that costs is decided here, on the server, from this table —
 * never from anything the page sends.
 *
 * @since 0.1.0
 */

/**
 * One product the shop sells. Prices are in the currency's smallest unit (cents).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Product {
  readonly sku: string
  readonly name: string
  readonly unitAmount: number
}

/**
 * The shop sells in one currency.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CURRENCY = "USD" as const

/**
 * A fixed catalogue: in a real shop, your product database.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CATALOGUE: ReadonlyArray<Product> = [
  { sku: "mug", name: "PaymentFlow mug", unitAmount: 1200 },
  { sku: "tshirt", name: "PaymentFlow T-shirt", unitAmount: 2500 },
  { sku: "stickers", name: "Sticker pack", unitAmount: 350 }
]

/**
 * Largest quantity of one product in one order.
 *
 * @since 0.1.0
 * @category Constants
 */
export const MAX_QUANTITY = 20

/**
 * One priced line of an order.
 *
 * @since 0.1.0
 * @category Models
 */
export interface OrderLine {
  readonly sku: string
  readonly name: string
  readonly quantity: number
  readonly unitAmount: number
  readonly amount: number
}

/**
 * A priced cart: its lines and what it costs in all.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PricedCart {
  readonly lines: ReadonlyArray<OrderLine>
  readonly amount: number
  readonly currency: typeof CURRENCY
}

/**
 * Why a cart could not be priced (answered to the page as a 400).
 *
 * @since 0.1.0
 * @category Errors
 */
export class CartError extends Error {
  override readonly name = "CartError"
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Prices a cart from the catalogue. `body` is the page's JSON as received: `{ items: [{ sku,
 * quantity }] }`. Any other field (an `amount`, a `price` on an item) is not read: nothing the
 * page says about money reaches the payment. The same sku twice is one line.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const priceCart = (body: unknown): PricedCart => {
  if (!isRecord(body) || !Array.isArray(body["items"])) throw new CartError("The cart must be { items: [{ sku, quantity }] }.")
  const quantities = new Map<string, number>()
  for (const item of body["items"] as ReadonlyArray<unknown>) {
    if (!isRecord(item) || typeof item["sku"] !== "string") throw new CartError("Each item needs a sku.")
    const quantity = item["quantity"]
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new CartError(`The quantity of ${item["sku"]} must be a whole number from 1 to ${MAX_QUANTITY}.`)
    }
    quantities.set(item["sku"], (quantities.get(item["sku"]) ?? 0) + quantity)
  }
  if (quantities.size === 0) throw new CartError("The cart is empty.")
  const lines = [...quantities].map(([sku, quantity]): OrderLine => {
    const product = CATALOGUE.find((p) => p.sku === sku)
    if (product === undefined) throw new CartError(`There is no product ${sku}.`)
    if (quantity > MAX_QUANTITY) throw new CartError(`At most ${MAX_QUANTITY} of ${sku} per order.`)
    return { sku, name: product.name, quantity, unitAmount: product.unitAmount, amount: product.unitAmount * quantity }
  })
  return { lines, amount: lines.reduce((sum, line) => sum + line.amount, 0), currency: CURRENCY }
}
