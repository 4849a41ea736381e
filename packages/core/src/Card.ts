/**
 * Card details as sent: inline in a payment's `payment_method`, or to `POST /v1/payment_methods`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Rule from "./Rule.js"
import { req } from "./internal/wire.js"

/**
 * The Luhn checksum over a string of digits.
 *
 * @since 0.1.0
 * @category Utils
 */
export const luhn = (digits: string): boolean => {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

const cardNumberPattern = /^\d{12,19}$/
const cvcPattern = /^\d{3,4}$/

const CardNumber = Schema.String.pipe(
  Schema.filter((s) => cardNumberPattern.test(s), Rule.code("parameter_invalid", "must be 12 to 19 digits", { pattern: cardNumberPattern.source })),
  Schema.filter((s) => luhn(s), Rule.code("parameter_invalid", "fails the Luhn check"))
).annotations({ identifier: "CardNumber" })

const ExpMonth = Schema.Number.pipe(
  Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 12, Rule.code("parameter_invalid", "must be an integer from 1 to 12", { type: "integer", minimum: 1, maximum: 12 }))
)
const ExpYear = Schema.Number.pipe(
  Schema.filter((n) => Number.isInteger(n) && n >= 2000 && n <= 2200, Rule.code("parameter_invalid", "must be a four-digit year", { type: "integer", minimum: 2000, maximum: 2200 }))
)
const Cvc = Schema.String.pipe(
  Schema.filter((s) => cvcPattern.test(s), Rule.code("parameter_invalid", "must be 3 or 4 digits", { pattern: cvcPattern.source }))
)

/**
 * Whether a card's expiry (end of its month, UTC) lies before `nowMillis`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const isExpired = (expMonth: number, expYear: number, nowMillis: number): boolean =>
  Date.UTC(expYear, expMonth, 1) <= nowMillis

/**
 * A card. The expiry must not be past at the time of the check.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Card = Schema.Struct({
  number: CardNumber,
  expMonth: req("exp_month", ExpMonth),
  expYear: req("exp_year", ExpYear),
  cvc: Cvc
}).pipe(
  Schema.filter(
    (card) => isExpired(card.expMonth, card.expYear, Date.now()) ? { path: ["exp_year"], message: "the card has expired" } : true,
    Rule.code("parameter_invalid", "the card has expired")
  )
).annotations({ identifier: "Card" })
/**
 * @since 0.1.0
 * @category Models
 */
export type Card = typeof Card.Type

/**
 * `{"card": {...}}`: card details as sent, inline in a payment's `payment_method` or to
 * `POST /v1/payment_methods` (which turns them into a saved `PaymentMethod`, `PaymentMethod.ts`).
 * Formerly exported as `PaymentMethod`: that name is now the saved object's.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethodParams = Schema.Struct({ card: Card }).annotations({ identifier: "PaymentMethodParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type PaymentMethodParams = typeof PaymentMethodParams.Type

/**
 * The sandbox's test cards and their outcomes.
 *
 * @since 0.1.0
 * @category Constants
 */
export const TEST_CARDS = {
  "4242424242424242": { status: "succeeded", failureCode: null },
  "4000000000000002": { status: "failed", failureCode: "card_declined" },
  "4000000000009995": { status: "failed", failureCode: "insufficient_funds" },
  "4000000000000069": { status: "failed", failureCode: "expired_card" },
  "5555555555554444": { status: "succeeded", failureCode: null }
} as const satisfies Record<string, { status: "succeeded" | "failed"; failureCode: string | null }>
