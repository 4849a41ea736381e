/**
 * The contract's payment state machine, at a glance — every status change a payment can make is
 * one function here, and nothing else in the sandbox sets `status`:
 *
 * ```text
 *   pending ── confirm (a test card) ──▶ processing ── settle ──▶ succeeded | failed
 *   pending ── cancel ─────────────────▶ cancelled
 *   succeeded ── refund ──▶ succeeded   (amount_refunded grows; see refunds.ts)
 * ```
 *
 * `POST /v1/payments` with a `payment_method` is create + confirm in one step. A test card's
 * outcome is chosen at confirmation (a saved payment method's is its card's, kept since it was
 * created) and applied at `settle`, after `processingDelay`. A payment method's own life
 * (unattached, used, attached, detached) is `paymentMethods.ts`'s.
 */
import { TEST_CARDS } from "@paymentflow/core/Card"
import type { FailureCode, Payment } from "@paymentflow/core/Payment"
import * as Either from "effect/Either"
import { Failure } from "../failure.js"

/** What a test card does once processed. */
export type Outcome = (typeof TEST_CARDS)[keyof typeof TEST_CARDS]

export const FAILURE_MESSAGES: Record<FailureCode, string> = {
  card_declined: "The card was declined.",
  insufficient_funds: "The card has insufficient funds.",
  expired_card: "The card has expired."
}

const NOT_A_TEST_CARD = `Only the sandbox test cards are accepted (${Object.keys(TEST_CARDS).join(", ")})`

const isTestCard = (n: string): n is keyof typeof TEST_CARDS => Object.prototype.hasOwnProperty.call(TEST_CARDS, n)

/**
 * The outcome of card details: only the sandbox's test cards are accepted. `at` is where the
 * details were sent (`payment_method` on a payment, the body of `POST /v1/payment_methods`).
 */
export const outcomeOf = (
  method: { readonly card: { readonly number: string } },
  at: "payment_method" | "" = "payment_method"
): Either.Either<Outcome, Failure> =>
  isTestCard(method.card.number)
    ? Either.right(TEST_CARDS[method.card.number])
    : Either.left(
      new Failure({
        code: "card_not_test",
        message: NOT_A_TEST_CARD,
        field: at === "" ? "card.number" : `${at}.card.number`
      })
    )

/** pending → processing. */
export const confirm = (payment: Payment): Either.Either<Payment, Failure> =>
  payment.status === "pending"
    ? Either.right({ ...payment, status: "processing" })
    : Either.left(
      new Failure({
        code: "payment_not_confirmable",
        message: `This payment is ${payment.status}; only a pending payment can be confirmed`
      })
    )

/** processing → succeeded | failed, as the card's outcome says (`undefined`: not processing, nothing to do). */
export const settle = (payment: Payment, outcome: Outcome): Payment | undefined => {
  if (payment.status !== "processing") return undefined
  return outcome.status === "succeeded"
    ? { ...payment, status: "succeeded", failureCode: null, failureMessage: null }
    : { ...payment, status: "failed", failureCode: outcome.failureCode, failureMessage: FAILURE_MESSAGES[outcome.failureCode] }
}

/** pending → cancelled. */
export const cancel = (payment: Payment): Either.Either<Payment, Failure> =>
  payment.status === "pending"
    ? Either.right({ ...payment, status: "cancelled" })
    : Either.left(
      new Failure({
        code: "payment_not_cancelable",
        message: `This payment is ${payment.status}; only a pending payment can be cancelled`
      })
    )

/** Whether a refund may be taken from the payment (its status does not change). */
export const refundable = (payment: Payment): Either.Either<Payment, Failure> =>
  payment.status === "succeeded"
    ? Either.right(payment)
    : Either.left(
      new Failure({
        code: "payment_not_refundable",
        message: `This payment is ${payment.status}; only a succeeded payment can be refunded`
      })
    )
