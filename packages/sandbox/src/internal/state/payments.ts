/**
 * Payments: create (with a payment method, a card inline or a saved `pm_…`: confirmed at once),
 * retrieve, list, confirm, cancel, and the
 * sandbox-only seeding. Status changes are `paymentMachine.ts`'s; this module stores them,
 * schedules `settle` after `processingDelay`, and emits the events.
 */
import type { Event } from "@paymentflow/core/Event"
import type { Currency, EventId, Metadata } from "@paymentflow/core/Fields"
import { PaymentId } from "@paymentflow/core/Fields"
import {
  type ConfirmPaymentParams,
  type CreatePaymentParams,
  type ListPaymentsParams,
  type Payment,
  Payment as PaymentSchema,
  type PaymentWithSecret
} from "@paymentflow/core/Payment"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type Failure, notFound } from "../failure.js"
import { secretChars } from "../ids.js"
import type { CustomerRecord, Customers } from "./customers.js"
import type { Kernel } from "./kernel.js"
import * as Machine from "./paymentMachine.js"
import type { PaymentMethods } from "./paymentMethods.js"
import { compact, newestFirstAll, ordered, page, put, remove } from "./store.js"

/**
 * A payment to seed (sandbox-only): what `POST /v1/payments` would take, plus the status it has
 * reached. `failed` payments carry `card_declined`.
 */
export interface SeedPayment {
  readonly amount: number
  readonly currency: Currency
  readonly status?: "pending" | "succeeded" | "failed" | "cancelled" | undefined
  readonly customerEmail?: string | null | undefined
  readonly description?: string | null | undefined
  readonly metadata?: Metadata | undefined
}

const validatePayment = Schema.validateEither(PaymentSchema)

const paymentEvent = (type: "payment.succeeded" | "payment.failed" | "payment.cancelled", data: Payment) =>
(id: EventId, created: number): Event => ({ id, object: "event", type, created, data })

export const make = (k: Kernel, customers: Customers, methods: PaymentMethods) => {
  const store = ordered<Payment>()
  /** The outcome of each payment still processing. */
  const outcomes = new Map<string, Machine.Outcome>()

  /**
   * Each payment's client secret, drawn the first time it is rendered (seeded payments too) and
   * fixed from then on. Kept beside the store, never in it: what the store holds is what lists
   * and events render, and those never carry the secret.
   */
  const secrets = new Map<string, string>()
  const secretOf = (id: string): string => {
    let secret = secrets.get(id)
    if (secret === undefined) {
      secret = `${id}_secret_${secretChars(24)}`
      secrets.set(id, secret)
    }
    return secret
  }
  const clientSecretOf = (id: string): string | undefined => (store.byId.has(id) ? secretOf(id) : undefined)
  /** A payment as a response about that one payment renders it: with its client secret. */
  const withSecret = (p: Payment): PaymentWithSecret => ({ ...p, clientSecret: secretOf(p.id) })

  const get = (id: string): Effect.Effect<Payment, Failure> => {
    const p = store.byId.get(id)
    return p === undefined ? Effect.fail(notFound(`payment: '${id}'`)) : Effect.succeed(p)
  }

  /** processing → succeeded | failed, under the lock. */
  const settle = (id: string) =>
    k.locked(Effect.suspend(() => {
      const payment = store.byId.get(id)
      const outcome = outcomes.get(id)
      const settled = payment === undefined || outcome === undefined ? undefined : Machine.settle(payment, outcome)
      if (settled === undefined) return Effect.void
      outcomes.delete(id)
      put(store, settled)
      return k.emit(paymentEvent(settled.status === "succeeded" ? "payment.succeeded" : "payment.failed", settled))
    }))

  /** Stores a payment now processing with its card's outcome. */
  const startProcessing = (processing: Payment, outcome: Machine.Outcome): Payment => {
    put(store, processing)
    outcomes.set(processing.id, outcome)
    return processing
  }

  /** Schedules `settle` (at once without a delay), then the payment as it now is. */
  const afterProcessing = (id: string) =>
    Effect.zipRight(k.later(k.config.processingDelay, settle(id)), Effect.sync(() => store.byId.get(id)!))

  /**
   * Under the lock: the new payment, stored (one synchronous step unless the customer is unknown),
   * confirmed at once when it has a payment method (the method's use is recorded then, after
   * the customer is known: an attached one is usable only for its customer's payments).
   */
  const insert = (params: CreatePaymentParams, created: number) =>
    k.locked(Effect.suspend(() => {
      const make = (customer: CustomerRecord | undefined) => {
        const use = params.paymentMethod === undefined
          ? undefined
          : methods.useFor(params.paymentMethod, customer?.customer.id ?? null, created)
        if (use !== undefined && Either.isLeft(use)) return Effect.fail(use.left)
        const payment: Payment = {
          id: PaymentId.make(k.ids("pay")),
          object: "payment",
          amount: params.amount,
          amountRefunded: 0,
          currency: params.currency,
          status: "pending",
          customer: customer?.customer.id ?? null,
          customerEmail: params.customerEmail ?? customer?.customer.email ?? null,
          description: params.description ?? null,
          metadata: compact(params.metadata),
          paymentMethod: null,
          failureCode: null,
          failureMessage: null,
          created
        }
        put(store, payment)
        if (use === undefined) return Effect.succeed(payment)
        // a new payment is pending: confirming it cannot fail
        return Effect.map(
          Machine.confirm(payment),
          (processing) => startProcessing({ ...processing, paymentMethod: use.right.id }, use.right.outcome)
        )
      }
      return params.customer === undefined ? make(undefined) : Effect.flatMap(customers.live(params.customer, "customer"), make)
    }))

  // combinators, no generator: this is the sandbox's most common request
  const create = (params: CreatePaymentParams): Effect.Effect<Payment, Failure> => {
    const inserted = Effect.flatMap(k.now, (created) => insert(params, created))
    // a card given inline that is not a test card is refused before anything else is looked at
    const pm = params.paymentMethod
    const payment = pm === undefined || typeof pm === "string" ? inserted : Effect.zipRight(Machine.outcomeOf(pm), inserted)
    return Effect.flatMap(payment, (p) => (p.status === "processing" ? afterProcessing(p.id) : Effect.succeed(p)))
  }

  const confirm = (id: string, params: ConfirmPaymentParams) =>
    Effect.zipRight(
      // the payment and its state first: an unknown or settled payment is 404 / 409 whatever the card
      k.locked(Effect.gen(function*() {
        const processing = yield* Effect.flatMap(get(id), Machine.confirm)
        const created = yield* k.now
        const use = yield* methods.useFor(params.paymentMethod, processing.customer, created)
        startProcessing({ ...processing, paymentMethod: use.id }, use.outcome)
      })),
      afterProcessing(id)
    )

  const cancel = (id: string) =>
    k.locked(Effect.gen(function*() {
      const cancelled = yield* Effect.flatMap(get(id), Machine.cancel)
      put(store, cancelled)
      yield* k.emit(paymentEvent("payment.cancelled", cancelled))
      return cancelled
    }))

  const list = (params: ListPaymentsParams) =>
    Effect.suspend(() =>
      page(
        store,
        (p: Payment) => p,
        params.customerEmail === undefined && params.customer === undefined && params.status === undefined
          ? undefined
          : (p) =>
            (params.customerEmail === undefined || p.customerEmail === params.customerEmail) &&
            (params.customer === undefined || p.customer === params.customer) &&
            (params.status === undefined || p.status === params.status),
        params.limit,
        params.startingAfter,
        store.ids.length
      )
    )

  /**
   * Sandbox-only seeding: `n` payments straight into the state, ids from the same monotonic
   * generator and `created` from the Clock, each checked against core's `Payment` schema
   * before any is stored (all or nothing). No events, no webhooks.
   */
  const seed = (n: number, template: (index: number) => SeedPayment): Effect.Effect<number, ParseResult.ParseError> =>
    k.locked(Effect.flatMap(k.now, (created) =>
      Effect.suspend(() => {
        const seeded: Array<Payment> = []
        for (let i = 0; i < n; i++) {
          const t = template(i)
          const status = t.status ?? "pending"
          const failed = status === "failed"
          const candidate: Payment = {
            id: PaymentId.make(k.ids("pay")),
            object: "payment",
            amount: t.amount,
            amountRefunded: 0,
            currency: t.currency,
            status,
            customer: null,
            customerEmail: t.customerEmail ?? null,
            description: t.description ?? null,
            metadata: compact(t.metadata),
            paymentMethod: null,
            failureCode: failed ? "card_declined" : null,
            failureMessage: failed ? Machine.FAILURE_MESSAGES.card_declined : null,
            created
          }
          const valid = validatePayment(candidate)
          if (Either.isLeft(valid)) return Effect.fail(valid.left)
          seeded.push(valid.right)
        }
        for (const payment of seeded) put(store, payment)
        return Effect.succeed(seeded.length)
      })))

  return {
    create: (params: CreatePaymentParams) => Effect.map(create(params), withSecret),
    retrieve: (id: string) => Effect.map(get(id), withSecret),
    list,
    confirm: (id: string, params: ConfirmPaymentParams) => Effect.map(confirm(id, params), withSecret),
    cancel: (id: string) => Effect.map(cancel(id), withSecret),
    /** The payment's client secret (`undefined` for no payment). */
    clientSecretOf,
    seed,
    /** The stored payment (refunds read and update `amountRefunded`; call under the lock). */
    peek: (id: string): Payment | undefined => store.byId.get(id),
    /** Drops the payments in `ids`, with their secrets and pending outcomes (a key's reset; call under the lock). */
    forget: (ids: ReadonlySet<string>): void => {
      remove(store, ids)
      for (const id of ids) {
        secrets.delete(id)
        outcomes.delete(id)
      }
    },
    /** Replaces a stored payment (call under the lock). */
    replace: (payment: Payment): void => put(store, payment),
    /** Every payment, newest first. */
    snapshot: Effect.sync(() => newestFirstAll(store))
  }
}

export type Payments = ReturnType<typeof make>
