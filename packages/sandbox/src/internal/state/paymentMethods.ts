/**
 * Payment methods: create, retrieve, attach, detach, a customer's list, and their use by
 * payments. The life of one, as the contract says ("Saved payment methods"):
 *
 * ```text
 *   unattached ── used by one payment ──▶ used        (never usable or attachable again)
 *   unattached ── attach(customer) ─────▶ attached    (the customer's default if it has none)
 *   attached ──── used by a payment of that customer ──▶ attached
 *   attached ──── detach, or the customer is deleted ──▶ detached (never usable or attachable again)
 * ```
 *
 * A card given inline to a payment is recorded as a new payment method already `used`, so every
 * confirmed payment names one. The card number and CVC are read once, for the brand, the last 4
 * digits and the test outcome, and are never stored: a record holds the `PaymentMethod` object
 * and the outcome, nothing else.
 */
import type { PaymentMethodParams } from "@paymentflow/core/Card"
import { PaymentMethodId } from "@paymentflow/core/Fields"
import {
  type AttachPaymentMethodParams,
  brandOf,
  type ListCustomerPaymentMethodsParams,
  type PaymentMethod,
  type PaymentMethodInput
} from "@paymentflow/core/PaymentMethod"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { Failure, notFound } from "../failure.js"
import type { CustomerRecord } from "./customers.js"
import type { Kernel } from "./kernel.js"
import * as Machine from "./paymentMachine.js"
import { newestFirstAll, type Ordered, ordered, page, put, remove } from "./store.js"

/** Where a payment method is in its life (see the module's diagram). */
export type Life = "unattached" | "used" | "attached" | "detached"

export interface PaymentMethodRecord {
  readonly id: string
  readonly created: number
  method: PaymentMethod
  life: Life
  /** What a payment with this card does (from its test number, decided when it was created). */
  readonly outcome: Machine.Outcome
}

/** What the payment methods need of the customers (the customers module is made first). */
export interface CustomerAccess {
  /** A customer not deleted, or 404 (`field`: the parameter that named it). */
  readonly live: (id: string, field?: string) => Effect.Effect<CustomerRecord, Failure>
}

const unusable = (message: string, field?: string) => new Failure({ code: "payment_method_unusable", message, field })

/** The saved object for card details: brand, last 4, expiry — the number and the CVC stop here. */
const methodOf = (card: PaymentMethodParams["card"], id: PaymentMethodId, created: number): PaymentMethod => ({
  id,
  object: "payment_method",
  type: "card",
  card: { brand: brandOf(card.number), last4: card.number.slice(-4), expMonth: card.expMonth, expYear: card.expYear },
  customer: null,
  created
})

/** A payment's use of a payment method: which one, and what its card does. */
export interface Use {
  readonly id: PaymentMethodId
  readonly outcome: Machine.Outcome
}

export const make = (k: Kernel, customers: CustomerAccess) => {
  const store = ordered<PaymentMethodRecord>()
  /** Each customer's list: the methods ever attached to it (a detached one stays a valid cursor). */
  const byCustomer = new Map<string, Ordered<PaymentMethodRecord>>()

  const get = (id: string, field?: string): Either.Either<PaymentMethodRecord, Failure> => {
    const r = store.byId.get(id)
    return r === undefined ? Either.left(notFound(`payment method: '${id}'`, field)) : Either.right(r)
  }

  /** Records card details as a new payment method (call under the lock). */
  const record = (card: PaymentMethodParams["card"], outcome: Machine.Outcome, life: Life, created: number): PaymentMethodRecord => {
    const method = methodOf(card, PaymentMethodId.make(k.ids("pm")), created)
    const r: PaymentMethodRecord = { id: method.id, created, method, life, outcome }
    put(store, r)
    return r
  }

  const create = (params: PaymentMethodParams): Effect.Effect<PaymentMethod, Failure> =>
    Effect.flatMap(Machine.outcomeOf(params, ""), (outcome) =>
      Effect.flatMap(k.now, (created) => k.locked(Effect.sync(() => record(params.card, outcome, "unattached", created).method))))

  /** Sets a customer's default (call under the lock). */
  const setDefault = (customer: CustomerRecord, id: PaymentMethodId | null): void => {
    customer.customer = { ...customer.customer, defaultPaymentMethod: id }
  }

  const attach = (id: string, params: AttachPaymentMethodParams) =>
    k.locked(Effect.gen(function*() {
      const r = yield* get(id)
      const customer = yield* customers.live(params.customer, "customer")
      switch (r.life) {
        case "used":
          return yield* unusable("This payment method was used by a payment without being attached; it cannot be attached now")
        case "detached":
          return yield* unusable("This payment method was detached; it cannot be attached again")
        case "attached":
          if (r.method.customer === customer.customer.id) return r.method
          return yield* new Failure({
            code: "payment_method_already_attached",
            message: "This payment method is attached to another customer"
          })
        case "unattached": {
          r.life = "attached"
          r.method = { ...r.method, customer: customer.customer.id }
          let list = byCustomer.get(customer.customer.id)
          if (list === undefined) {
            list = ordered()
            byCustomer.set(customer.customer.id, list)
          }
          put(list, r)
          if (customer.customer.defaultPaymentMethod === null) setDefault(customer, r.method.id)
          return r.method
        }
      }
    }))

  /** attached → detached; the customer's default is cleared when it was this one (call under the lock). */
  const detachRecord = (r: PaymentMethodRecord, customer: CustomerRecord | undefined): PaymentMethod => {
    r.life = "detached"
    r.method = { ...r.method, customer: null }
    if (customer !== undefined && customer.customer.defaultPaymentMethod === r.id) setDefault(customer, null)
    return r.method
  }

  const detach = (id: string) =>
    k.locked(Effect.gen(function*() {
      const r = yield* get(id)
      const owner = r.method.customer
      if (r.life !== "attached" || owner === null) {
        return yield* new Failure({ code: "payment_method_not_attached", message: "This payment method is not attached to a customer" })
      }
      const customer = yield* Effect.option(customers.live(owner))
      return detachRecord(r, customer._tag === "Some" ? customer.value : undefined)
    }))

  /** A customer is being deleted: each of its attached methods is detached (call under the lock). */
  const detachAllOf = (customer: CustomerRecord): void => {
    const list = byCustomer.get(customer.id)
    if (list === undefined) return
    for (const r of list.byId.values()) if (r.life === "attached") detachRecord(r, customer)
  }

  const listOf = (customerId: string, params: ListCustomerPaymentMethodsParams) =>
    Effect.flatMap(customers.live(customerId), () =>
      Effect.suspend(() =>
        page(
          byCustomer.get(customerId) ?? ordered<PaymentMethodRecord>(),
          (r: PaymentMethodRecord) => (r.life === "attached" ? r.method : undefined),
          undefined,
          params.limit,
          params.startingAfter,
          undefined
        )
      ))

  /**
   * A payment of `customer` (`null`: none) is being confirmed with `input`: the payment method it
   * names, or a new one recorded as used for a card given inline, with its card's outcome. Call
   * under the lock, after every other check of the payment passed: the use is recorded here.
   */
  const useFor = (input: PaymentMethodInput, customer: string | null, created: number): Either.Either<Use, Failure> => {
    if (typeof input !== "string") {
      return Either.map(Machine.outcomeOf(input), (outcome) => ({ id: record(input.card, outcome, "used", created).method.id, outcome }))
    }
    return Either.flatMap(get(input, "payment_method"), (r): Either.Either<Use, Failure> => {
      switch (r.life) {
        case "unattached":
          r.life = "used"
          return Either.right({ id: r.method.id, outcome: r.outcome })
        case "used":
          return Either.left(unusable("This payment method was already used by a payment and is not attached to a customer", "payment_method"))
        case "detached":
          return Either.left(unusable("This payment method was detached and cannot be used again", "payment_method"))
        case "attached":
          return r.method.customer === customer
            ? Either.right({ id: r.method.id, outcome: r.outcome })
            : Either.left(unusable("This payment method is attached to a customer; use it for that customer's payments only", "payment_method"))
      }
    })
  }

  return {
    create,
    retrieve: (id: string) => Effect.map(get(id), (r) => r.method),
    attach,
    detach,
    listOf,
    useFor,
    detachAllOf,
    /** Whether `id` is attached to `customer` (call under the lock). */
    isAttachedTo: (id: string, customer: string): boolean => {
      const r = store.byId.get(id)
      return r !== undefined && r.life === "attached" && r.method.customer === customer
    },
    /** Drops the payment methods in `ids`, and the lists of customers in `ids` (a key's reset; call under the lock). */
    forget: (ids: ReadonlySet<string>): void => {
      remove(store, ids)
      for (const [customer, list] of byCustomer) {
        if (ids.has(customer)) byCustomer.delete(customer)
        else remove(list, ids)
      }
    },
    /** Every payment method, newest first (used and detached ones too). */
    snapshot: Effect.sync(() => newestFirstAll(store).map((r) => r.method))
  }
}

export type PaymentMethods = ReturnType<typeof make>
