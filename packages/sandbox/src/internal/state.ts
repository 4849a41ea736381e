/**
 * The sandbox's one account, in memory: payments, refunds, customers and events, with the
 * contract's state machine. Every mutation runs under one permit, and reads the time from
 * Effect's `Clock` so `TestClock` controls timestamps and delays.
 */
import { TEST_CARDS } from "@paymentflow/core/Card"
import type { CreateCustomerParams, Customer, DeletedCustomer, ListCustomersParams, UpdateCustomerParams } from "@paymentflow/core/Customer"
import type { Event } from "@paymentflow/core/Event"
import { type Currency, CustomerId, DEFAULT_LIMIT, EventId, type Metadata, PaymentId, RefundId } from "@paymentflow/core/Fields"
import type { Page } from "@paymentflow/core/List"
import {
  type ConfirmPaymentParams,
  type CreatePaymentParams,
  type FailureCode,
  type ListPaymentsParams,
  type Payment,
  Payment as PaymentSchema
} from "@paymentflow/core/Payment"
import type { CreateRefundParams, ListRefundsParams, Refund } from "@paymentflow/core/Refund"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
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
const identity = <A>(a: A): A => a

const liveCustomerOf = (r: { readonly customer: Customer; readonly deleted: boolean }): Customer | undefined =>
  r.deleted ? undefined : r.customer

const newestFirst = (a: Sortable, b: Sortable): number =>
  a.created !== b.created ? b.created - a.created : a.id < b.id ? 1 : a.id > b.id ? -1 : 0

const invalidCursor = () =>
  new Failure({ code: "invalid_cursor", message: "starting_after is not the id of an object in this list", field: "starting_after" })

/**
 * The objects of one type, kept in creation order (ids are monotonic and `created` comes from
 * the Clock, so creation order is "oldest first" unless the Clock was set back: then `inOrder`
 * turns false and listing sorts, as it always did).
 */
export interface Ordered<A extends Sortable> {
  readonly byId: Map<string, A>
  readonly ids: Array<string>
  readonly position: Map<string, number>
  inOrder: boolean
}

const ordered = <A extends Sortable>(): Ordered<A> => ({ byId: new Map(), ids: [], position: new Map(), inOrder: true })

/** Adds a new object (after the newest) or replaces an existing one (keeps its place). */
const put = <A extends Sortable>(o: Ordered<A>, a: A): void => {
  if (!o.byId.has(a.id)) {
    const last = o.ids.length === 0 ? undefined : o.byId.get(o.ids[o.ids.length - 1]!)
    if (last !== undefined && newestFirst(last, a) < 0) o.inOrder = false
    o.position.set(a.id, o.ids.length)
    o.ids.push(a.id)
  }
  o.byId.set(a.id, a)
}

/**
 * One page, newest first. `view` maps a stored record to the listed object (`undefined`: not
 * listed, e.g. a deleted customer); `matches` is the list's filter (`undefined`: none) and
 * `count`, when known, the number of objects listed without a filter. A page costs the objects it
 * walks (from the cursor backwards), plus one pass to count when a filter is set — no sort.
 */
const page = <R extends Sortable, A extends Sortable>(
  o: Ordered<R>,
  view: (r: R) => A | undefined,
  matches: ((a: A) => boolean) | undefined,
  limit: number | undefined,
  startingAfter: string | undefined,
  count: number | undefined
): Effect.Effect<Page<A>, Failure> => {
  const size = limit ?? DEFAULT_LIMIT
  const listed = (r: R | undefined): A | undefined => {
    const a = r === undefined ? undefined : view(r)
    return a !== undefined && (matches === undefined || matches(a)) ? a : undefined
  }
  if (!o.inOrder) {
    // the Clock went backwards at some point: sort, as before
    const matching: Array<A> = []
    for (const r of o.byId.values()) {
      const a = listed(r)
      if (a !== undefined) matching.push(a)
    }
    matching.sort(newestFirst)
    let rest = matching
    if (startingAfter !== undefined) {
      const cursor = o.byId.get(startingAfter)
      if (cursor === undefined) return Effect.fail(invalidCursor())
      rest = matching.filter((a) => newestFirst(cursor, a) < 0)
    }
    return Effect.succeed({ object: "list", data: rest.slice(0, size), hasMore: rest.length > size, totalCount: matching.length })
  }
  let from = o.ids.length - 1
  if (startingAfter !== undefined) {
    const at = o.position.get(startingAfter)
    if (at === undefined) return Effect.fail(invalidCursor())
    from = at - 1
  }
  const data: Array<A> = []
  let hasMore = false
  for (let i = from; i >= 0; i--) {
    const a = listed(o.byId.get(o.ids[i]!))
    if (a === undefined) continue
    if (data.length === size) {
      hasMore = true
      break
    }
    data.push(a)
  }
  let totalCount = count
  if (totalCount === undefined || matches !== undefined) {
    totalCount = 0
    for (const r of o.byId.values()) if (listed(r) !== undefined) totalCount++
  }
  return Effect.succeed({ object: "list", data, hasMore, totalCount })
}

interface CustomerRecord {
  readonly id: string
  readonly created: number
  customer: Customer
  deleted: boolean
}

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

    const paymentStore = ordered<Payment>()
    const payments = {
      get: (id: string) => paymentStore.byId.get(id),
      set: (_id: string, payment: Payment) => put(paymentStore, payment)
    }
    const outcomes = new Map<string, Outcome>()
    const refundStore = ordered<Refund>()
    const refunds = {
      get: (id: string) => refundStore.byId.get(id),
      set: (_id: string, refund: Refund) => put(refundStore, refund)
    }
    const customerStore = ordered<CustomerRecord>()
    const customers = {
      get: (id: string) => customerStore.byId.get(id),
      set: (_id: string, record: CustomerRecord) => put(customerStore, record)
    }
    let deletedCustomers = 0
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
      Effect.sync(() => {
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

    /** Under the lock: the new payment, stored (one synchronous step unless the customer is unknown). */
    const insertPayment = (params: CreatePaymentParams, outcome: Outcome | undefined, created: number) =>
      locked(Effect.suspend(() => {
        const make = (customer: CustomerRecord | undefined) => {
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
          return outcome === undefined ? Effect.succeed(payment) : startProcessing(payment, outcome)
        }
        return params.customer === undefined ? make(undefined) : Effect.flatMap(liveCustomer(params.customer, "customer"), make)
      }))

    // combinators, no generator: this is the sandbox's most common request
    const createPayment = (params: CreatePaymentParams): Effect.Effect<Payment, Failure> => {
      const insert = (outcome: Outcome | undefined) => Effect.flatMap(now, (created) => insertPayment(params, outcome, created))
      const inserted = params.paymentMethod === undefined ? insert(undefined) : Effect.flatMap(cardOutcome(params.paymentMethod), insert)
      return Effect.flatMap(inserted, (payment) => payment.status === "processing" ? afterProcessing(payment.id) : Effect.succeed(payment))
    }

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
          paymentStore,
          identity,
          params.customerEmail === undefined && params.customer === undefined && params.status === undefined
            ? undefined
            : (p) =>
              (params.customerEmail === undefined || p.customerEmail === params.customerEmail) &&
              (params.customer === undefined || p.customer === params.customer) &&
              (params.status === undefined || p.status === params.status),
          params.limit,
          params.startingAfter,
          paymentStore.ids.length
        )
      )

    /**
     * Sandbox-only seeding: `n` payments straight into the state, ids from the same monotonic
     * generator and `created` from the Clock, each checked against core's `Payment` schema
     * before any is stored (all or nothing). No events, no webhooks.
     */
    const seedPayments = (
      n: number,
      template: (index: number) => SeedPayment
    ): Effect.Effect<number, ParseResult.ParseError> =>
      locked(Effect.flatMap(now, (created) =>
        Effect.suspend(() => {
          const seeded: Array<Payment> = []
          for (let i = 0; i < n; i++) {
            const t = template(i)
            const status = t.status ?? "pending"
            const failed = status === "failed"
            const candidate: Payment = {
              id: PaymentId.make(ids("pay")),
              object: "payment",
              amount: t.amount,
              amountRefunded: 0,
              currency: t.currency,
              status,
              customer: null,
              customerEmail: t.customerEmail ?? null,
              description: t.description ?? null,
              metadata: compact(t.metadata),
              failureCode: failed ? "card_declined" : null,
              failureMessage: failed ? FAILURE_MESSAGES.card_declined : null,
              created
            }
            const valid = validatePayment(candidate)
            if (Either.isLeft(valid)) return Effect.fail(valid.left)
            seeded.push(valid.right)
          }
          for (const payment of seeded) put(paymentStore, payment)
          return Effect.succeed(seeded.length)
        })))

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
          refundStore,
          identity,
          params.paymentId === undefined ? undefined : (r) => r.paymentId === params.paymentId,
          params.limit,
          params.startingAfter,
          refundStore.ids.length
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
          customers.set(customer.id, { id: customer.id, created: customer.created, customer, deleted: false })
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
        deletedCustomers += 1
        const deleted: DeletedCustomer = { id: record.customer.id, object: "customer", deleted: true }
        return deleted
      }))

    const listCustomers = (params: ListCustomersParams) =>
      Effect.suspend(() =>
        page(
          customerStore,
          liveCustomerOf,
          params.email === undefined ? undefined : (c) => c.email === params.email,
          params.limit,
          params.startingAfter,
          customerStore.ids.length - deletedCustomers
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
      seedPayments,
      snapshot: {
        payments: Effect.sync(() => Array.from(paymentStore.byId.values()).sort(newestFirst)),
        refunds: Effect.sync(() => Array.from(refundStore.byId.values()).sort(newestFirst)),
        customers: Effect.sync(() =>
          Array.from(customerStore.byId.values()).filter((r) => !r.deleted).map((r) => r.customer).sort(newestFirst)
        ),
        events: Effect.sync(() => events.slice().reverse())
      }
    }
  })

/** @internal */
export type State = Effect.Effect.Success<ReturnType<typeof make>>
