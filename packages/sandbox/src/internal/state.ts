/**
 * The sandbox's one account, in memory: payments, refunds, customers and events, with the
 * contract's state machine. Every mutation runs under one permit, and reads the time from
 * Effect's `Clock` so `TestClock` controls timestamps and delays.
 */
import { TEST_CARDS } from "@paymentflow/core/Card"
import type { CreateCustomerParams, Customer, DeletedCustomer, ListCustomersParams, UpdateCustomerParams } from "@paymentflow/core/Customer"
import type { Event } from "@paymentflow/core/Event"
import { CustomerId, DEFAULT_LIMIT, EventId, type Metadata, PaymentId, RefundId } from "@paymentflow/core/Fields"
import type { Page } from "@paymentflow/core/List"
import type {
  ConfirmPaymentParams,
  CreatePaymentParams,
  FailureCode,
  ListPaymentsParams,
  Payment
} from "@paymentflow/core/Payment"
import type { CreateRefundParams, ListRefundsParams, Refund } from "@paymentflow/core/Refund"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { Config } from "./config.js"
import { Failure, notFound } from "./failure.js"
import type { makeIds } from "./ids.js"

const FAILURE_MESSAGES: Record<FailureCode, string> = {
  card_declined: "The card was declined.",
  insufficient_funds: "The card has insufficient funds.",
  expired_card: "The card has expired."
}

type Outcome = (typeof TEST_CARDS)[keyof typeof TEST_CARDS]

const isTestCard = (n: string): n is keyof typeof TEST_CARDS => Object.prototype.hasOwnProperty.call(TEST_CARDS, n)

const cardOutcome = (method: { readonly card: { readonly number: string } }): Effect.Effect<Outcome, Failure> =>
  isTestCard(method.card.number)
    ? Effect.succeed(TEST_CARDS[method.card.number])
    : Effect.fail(
      new Failure({
        code: "card_not_test",
        message: "Only the sandbox test cards are accepted (4242424242424242, 4000000000000002, 4000000000009995, 4000000000000069)",
        field: "payment_method.card.number"
      })
    )

/** Metadata as stored: keys whose value is `""` are not kept. */
const compact = (m: Metadata | undefined): Metadata =>
  m === undefined ? {} : Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""))

interface Sortable {
  readonly id: string
  readonly created: number
}

/** Newest first: `created` desc, then `id` desc. */
const newestFirst = (a: Sortable, b: Sortable): number =>
  a.created !== b.created ? b.created - a.created : a.id < b.id ? 1 : a.id > b.id ? -1 : 0

const page = <A extends Sortable>(
  all: Iterable<A>,
  matches: (a: A) => boolean,
  limit: number | undefined,
  startingAfter: string | undefined,
  position: (id: string) => Sortable | undefined
): Effect.Effect<Page<A>, Failure> => {
  const matching = Array.from(all).filter(matches).sort(newestFirst)
  let rest = matching
  if (startingAfter !== undefined) {
    const cursor = position(startingAfter)
    if (cursor === undefined) {
      return Effect.fail(
        new Failure({ code: "invalid_cursor", message: "starting_after is not the id of an object in this list", field: "starting_after" })
      )
    }
    rest = matching.filter((a) => newestFirst(cursor, a) < 0)
  }
  const size = limit ?? DEFAULT_LIMIT
  return Effect.succeed({ object: "list", data: rest.slice(0, size), hasMore: rest.length > size, totalCount: matching.length })
}

interface CustomerRecord {
  customer: Customer
  deleted: boolean
}

/** Publishes an event (never blocks; delivery runs elsewhere). */
export type Publish = (event: Event) => Effect.Effect<void>

/**
 * @internal
 */
export const make = (config: Config, ids: ReturnType<typeof makeIds>, publish: Publish) =>
  Effect.gen(function*() {
    const scope: Scope.Scope = yield* Effect.scope
    const lock = yield* Effect.makeSemaphore(1)
    const locked = <A, E, R>(effect: Effect.Effect<A, E, R>) => lock.withPermits(1)(effect)

    const payments = new Map<string, Payment>()
    const outcomes = new Map<string, Outcome>()
    const refunds = new Map<string, Refund>()
    const customers = new Map<string, CustomerRecord>()
    const events: Array<Event> = []

    const now = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

    const emit = (event: Event) =>
      Effect.suspend(() => {
        events.push(event)
        return publish(event)
      })

    const paymentEvent = (type: "payment.succeeded" | "payment.failed" | "payment.cancelled", data: Payment) =>
      Effect.flatMap(now, (created) => emit({ id: EventId.make(ids("evt")), object: "event", type, created, data }))

    const refundEvent = (type: "refund.created" | "refund.completed", data: Refund) =>
      Effect.flatMap(now, (created) => emit({ id: EventId.make(ids("evt")), object: "event", type, created, data }))

    /** Later, when a delay is set: on the sandbox's scope, so a request ending does not stop it. */
    const later = (delay: Duration.Duration, effect: Effect.Effect<void>) =>
      Duration.toMillis(delay) === 0
        ? effect
        // interruptible: it is forked from a request's uninterruptible section, and closing the
        // sandbox must be able to stop it
        : Effect.asVoid(Effect.forkIn(Effect.interruptible(Effect.zipRight(Effect.sleep(delay), effect)), scope))

    const settle = (id: string) =>
      locked(Effect.gen(function*() {
        const payment = payments.get(id)
        const outcome = outcomes.get(id)
        if (payment === undefined || outcome === undefined || payment.status !== "processing") return
        outcomes.delete(id)
        const settled: Payment = outcome.status === "succeeded"
          ? { ...payment, status: "succeeded", failureCode: null, failureMessage: null }
          : { ...payment, status: "failed", failureCode: outcome.failureCode, failureMessage: FAILURE_MESSAGES[outcome.failureCode] }
        payments.set(id, settled)
        yield* paymentEvent(settled.status === "succeeded" ? "payment.succeeded" : "payment.failed", settled)
      }))

    const startProcessing = (payment: Payment, outcome: Outcome) =>
      Effect.gen(function*() {
        const processing: Payment = { ...payment, status: "processing" }
        payments.set(payment.id, processing)
        outcomes.set(payment.id, outcome)
        return processing
      })

    const afterProcessing = (id: string) =>
      Effect.zipRight(
        later(config.processingDelay, settle(id)),
        Effect.sync(() => payments.get(id)!)
      )

    const getPayment = (id: string) => {
      const p = payments.get(id)
      return p === undefined ? Effect.fail(notFound(`payment: '${id}'`)) : Effect.succeed(p)
    }

    const liveCustomer = (id: string, field?: string) => {
      const c = customers.get(id)
      return c === undefined || c.deleted ? Effect.fail(notFound(`customer: '${id}'`, field)) : Effect.succeed(c)
    }

    // --- payments ---

    const createPayment = (params: CreatePaymentParams) =>
      Effect.gen(function*() {
        const outcome = params.paymentMethod === undefined ? undefined : yield* cardOutcome(params.paymentMethod)
        const created = yield* now
        const payment = yield* locked(Effect.gen(function*() {
          const customer = params.customer === undefined ? undefined : yield* liveCustomer(params.customer, "customer")
          const payment: Payment = {
            id: PaymentId.make(ids("pay")),
            object: "payment",
            amount: params.amount,
            amountRefunded: 0,
            currency: params.currency,
            status: "pending",
            customer: customer?.customer.id ?? null,
            customerEmail: params.customerEmail ?? customer?.customer.email ?? null,
            description: params.description ?? null,
            metadata: compact(params.metadata),
            failureCode: null,
            failureMessage: null,
            created
          }
          payments.set(payment.id, payment)
          return outcome === undefined ? payment : yield* startProcessing(payment, outcome)
        }))
        return payment.status === "processing" ? yield* afterProcessing(payment.id) : payment
      })

    const confirmPayment = (id: string, params: ConfirmPaymentParams) =>
      Effect.gen(function*() {
        // the payment and its state first: an unknown or settled payment is 404 / 409 whatever the card
        yield* locked(Effect.gen(function*() {
          const payment = yield* getPayment(id)
          if (payment.status !== "pending") {
            return yield* new Failure({
              code: "payment_not_confirmable",
              message: `This payment is ${payment.status}; only a pending payment can be confirmed`
            })
          }
          const outcome = yield* cardOutcome(params.paymentMethod)
          yield* startProcessing(payment, outcome)
        }))
        return yield* afterProcessing(id)
      })

    const cancelPayment = (id: string) =>
      locked(Effect.gen(function*() {
        const payment = yield* getPayment(id)
        if (payment.status !== "pending") {
          return yield* new Failure({
            code: "payment_not_cancelable",
            message: `This payment is ${payment.status}; only a pending payment can be cancelled`
          })
        }
        const cancelled: Payment = { ...payment, status: "cancelled" }
        payments.set(id, cancelled)
        yield* paymentEvent("payment.cancelled", cancelled)
        return cancelled
      }))

    const listPayments = (params: ListPaymentsParams) =>
      Effect.suspend(() =>
        page(
          payments.values(),
          (p) =>
            (params.customerEmail === undefined || p.customerEmail === params.customerEmail) &&
            (params.customer === undefined || p.customer === params.customer) &&
            (params.status === undefined || p.status === params.status),
          params.limit,
          params.startingAfter,
          (cursor) => payments.get(cursor)
        )
      )

    // --- refunds ---

    const completeRefund = (id: string) =>
      locked(Effect.gen(function*() {
        const refund = refunds.get(id)
        if (refund === undefined || refund.status !== "pending") return
        const done: Refund = { ...refund, status: "succeeded" }
        refunds.set(id, done)
        yield* refundEvent("refund.completed", done)
      }))

    const createRefund = (params: CreateRefundParams) =>
      Effect.gen(function*() {
        const created = yield* now
        const refund = yield* locked(Effect.gen(function*() {
          const payment = payments.get(params.paymentId)
          if (payment === undefined) return yield* notFound(`payment: '${params.paymentId}'`, "payment_id")
          if (payment.status !== "succeeded") {
            return yield* new Failure({
              code: "payment_not_refundable",
              message: `This payment is ${payment.status}; only a succeeded payment can be refunded`
            })
          }
          const left = payment.amount - payment.amountRefunded
          const amount = params.amount ?? left
          if (left === 0 || amount > left) {
            return yield* new Failure({
              code: "refund_exceeds_payment",
              message: left === 0
                ? "This payment has already been refunded in full"
                : `The refund amount exceeds what is left to refund (${left})`,
              field: "amount"
            })
          }
          const refund: Refund = {
            id: RefundId.make(ids("ref")),
            object: "refund",
            paymentId: payment.id,
            amount,
            currency: payment.currency,
            reason: params.reason ?? null,
            status: "pending",
            metadata: compact(params.metadata),
            created
          }
          refunds.set(refund.id, refund)
          payments.set(payment.id, { ...payment, amountRefunded: payment.amountRefunded + amount })
          yield* refundEvent("refund.created", refund)
          return refund
        }))
        yield* later(config.refundDelay, completeRefund(refund.id))
        return refunds.get(refund.id)!
      })

    const getRefund = (id: string) => {
      const r = refunds.get(id)
      return r === undefined ? Effect.fail(notFound(`refund: '${id}'`)) : Effect.succeed(r)
    }

    const listRefunds = (params: ListRefundsParams) =>
      Effect.suspend(() =>
        page(
          refunds.values(),
          (r) => params.paymentId === undefined || r.paymentId === params.paymentId,
          params.limit,
          params.startingAfter,
          (cursor) => refunds.get(cursor)
        )
      )

    // --- customers ---

    const createCustomer = (params: CreateCustomerParams) =>
      Effect.gen(function*() {
        const created = yield* now
        return yield* locked(Effect.sync(() => {
          const customer: Customer = {
            id: CustomerId.make(ids("cus")),
            object: "customer",
            email: params.email,
            name: params.name ?? null,
            phone: params.phone ?? null,
            metadata: compact(params.metadata),
            created
          }
          customers.set(customer.id, { customer, deleted: false })
          return customer
        }))
      })

    const retrieveCustomer = (id: string) => Effect.map(liveCustomer(id), (c) => c.customer)

    const updateCustomer = (id: string, params: UpdateCustomerParams) =>
      locked(Effect.gen(function*() {
        const record = yield* liveCustomer(id)
        const metadata: Record<string, string> = { ...record.customer.metadata }
        for (const [k, v] of Object.entries(params.metadata ?? {})) {
          if (v === "") delete metadata[k]
          else metadata[k] = v
        }
        if (Object.keys(metadata).length > 50) {
          return yield* new Failure({
            code: "parameter_invalid",
            message: "metadata may have at most 50 keys (after merging with the stored keys)",
            field: "metadata"
          })
        }
        const customer: Customer = {
          ...record.customer,
          email: params.email ?? record.customer.email,
          name: params.name === undefined ? record.customer.name : params.name,
          phone: params.phone === undefined ? record.customer.phone : params.phone,
          metadata
        }
        record.customer = customer
        return customer
      }))

    const deleteCustomer = (id: string) =>
      locked(Effect.gen(function*() {
        const record = yield* liveCustomer(id)
        // kept as a tombstone so a page walk whose cursor was just deleted still continues
        record.deleted = true
        const deleted: DeletedCustomer = { id: record.customer.id, object: "customer", deleted: true }
        return deleted
      }))

    const listCustomers = (params: ListCustomersParams) =>
      Effect.suspend(() =>
        page(
          Array.from(customers.values()).filter((r) => !r.deleted).map((r) => r.customer),
          (c) => params.email === undefined || c.email === params.email,
          params.limit,
          params.startingAfter,
          (cursor) => customers.get(cursor)?.customer
        )
      )

    return {
      createPayment,
      retrievePayment: getPayment,
      listPayments,
      confirmPayment,
      cancelPayment,
      createRefund,
      retrieveRefund: getRefund,
      listRefunds,
      createCustomer,
      retrieveCustomer,
      updateCustomer,
      deleteCustomer,
      listCustomers,
      snapshot: {
        payments: Effect.sync(() => Array.from(payments.values()).sort(newestFirst)),
        refunds: Effect.sync(() => Array.from(refunds.values()).sort(newestFirst)),
        customers: Effect.sync(() =>
          Array.from(customers.values()).filter((r) => !r.deleted).map((r) => r.customer).sort(newestFirst)
        ),
        events: Effect.sync(() => events.slice().reverse())
      }
    }
  })

/** @internal */
export type State = Effect.Effect.Success<ReturnType<typeof make>>
