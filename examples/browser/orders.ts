/**
 * The shop's orders, in memory. In a real shop this is your database; the shape of the changes
 * is what matters: an order is created `awaiting_payment` with the payment made for it, and only
 * a verified webhook moves it to `paid` or `failed`.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import type { OrderLine, PricedCart } from "./catalogue.js"

/**
 * `awaiting_payment` → `paid` | `failed`.
 *
 * @since 0.1.0
 * @category Models
 */
export type OrderStatus = "awaiting_payment" | "paid" | "failed"

/**
 * @since 0.1.0
 * @category Models
 */
export interface Order {
  readonly id: string
  readonly lines: ReadonlyArray<OrderLine>
  /** What the shop charges, priced by the shop (`catalogue.ts`). */
  readonly amount: number
  readonly currency: string
  /** The PaymentFlow payment created for this order. */
  readonly paymentId: string
  readonly status: OrderStatus
  /** On `failed`: the payment's `failure_code` (`card_declined`, ...). */
  readonly failureCode: string | null
  /** The id of the webhook event that settled the order (`evt_…`), once one has. */
  readonly settledBy: string | null
  readonly created: number
}

/**
 * `ord_` and 24 random alphanumerics: not guessable, so an order's id is enough to show its state.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const newOrderId = (): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  return `ord_${[...randomBytes(24)].map((byte) => alphabet[byte % alphabet.length]).join("")}`
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Orders {
  readonly add: (order: { readonly id: string; readonly cart: PricedCart; readonly paymentId: string }) => Order
  readonly get: (id: string) => Order | undefined
  readonly byPayment: (paymentId: string) => Order | undefined
  /**
   * Settles the order of a payment. Delivery is at least once and in no order, so this is
   * idempotent: a settled order stays as it is (a payment succeeds or fails, never both), and an
   * event for a payment that is not one of ours changes nothing. Returns the order, if any.
   */
  readonly settle: (
    paymentId: string,
    outcome: { readonly status: "paid" | "failed"; readonly failureCode: string | null; readonly eventId: string }
  ) => Order | undefined
  readonly all: () => ReadonlyArray<Order>
}

/**
 * @since 0.1.0
 * @category Constructors
 */
export const inMemoryOrders = (): Orders => {
  const orders = new Map<string, Order>()
  const paymentToOrder = new Map<string, string>()
  const byPayment = (paymentId: string) => {
    const id = paymentToOrder.get(paymentId)
    return id === undefined ? undefined : orders.get(id)
  }
  return {
    add: ({ cart, id, paymentId }) => {
      const order: Order = {
        id,
        lines: cart.lines,
        amount: cart.amount,
        currency: cart.currency,
        paymentId,
        status: "awaiting_payment",
        failureCode: null,
        settledBy: null,
        created: Math.floor(Date.now() / 1000)
      }
      orders.set(id, order)
      paymentToOrder.set(paymentId, id)
      return order
    },
    get: (id) => orders.get(id),
    byPayment,
    settle: (paymentId, outcome) => {
      const order = byPayment(paymentId)
      if (order === undefined || order.status !== "awaiting_payment") return order
      const settled: Order = { ...order, status: outcome.status, failureCode: outcome.failureCode, settledBy: outcome.eventId }
      orders.set(order.id, settled)
      return settled
    },
    all: () => [...orders.values()]
  }
}
