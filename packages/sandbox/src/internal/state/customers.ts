/**
 * Customers: create, retrieve, update (metadata merged, at most 50 keys; the default payment
 * method must be attached to it), delete (kept as a tombstone so a page walk whose cursor was
 * just deleted still continues; its payment methods are detached), list.
 */
import type { CreateCustomerParams, Customer, DeletedCustomer, ListCustomersParams, UpdateCustomerParams } from "@paymentflow/core/Customer"
import { CustomerId } from "@paymentflow/core/Fields"
import * as Effect from "effect/Effect"
import { Failure, notFound } from "../failure.js"
import type { Kernel } from "./kernel.js"
import { compact, newestFirst, ordered, page, put, remove as removeAll } from "./store.js"

export interface CustomerRecord {
  readonly id: string
  readonly created: number
  customer: Customer
  deleted: boolean
}

const liveCustomerOf = (r: CustomerRecord): Customer | undefined => (r.deleted ? undefined : r.customer)

/** What the customers need of the payment methods (made after them; every call is under the lock). */
export interface PaymentMethodAccess {
  /** Detaches every method attached to the customer being deleted. */
  readonly detachAllOf: (customer: CustomerRecord) => void
  /** Whether `id` is attached to `customer`. */
  readonly isAttachedTo: (id: string, customer: string) => boolean
}

export const make = (k: Kernel, methods: PaymentMethodAccess) => {
  const store = ordered<CustomerRecord>()
  let deletedCount = 0

  /** A customer not deleted, or 404 (`field`: the parameter that named it). */
  const live = (id: string, field?: string): Effect.Effect<CustomerRecord, Failure> => {
    const c = store.byId.get(id)
    return c === undefined || c.deleted ? Effect.fail(notFound(`customer: '${id}'`, field)) : Effect.succeed(c)
  }

  const create = (params: CreateCustomerParams) =>
    Effect.flatMap(k.now, (created) =>
      k.locked(Effect.sync(() => {
        const customer: Customer = {
          id: CustomerId.make(k.ids("cus")),
          object: "customer",
          email: params.email,
          name: params.name ?? null,
          phone: params.phone ?? null,
          metadata: compact(params.metadata),
          defaultPaymentMethod: null,
          created
        }
        put(store, { id: customer.id, created: customer.created, customer, deleted: false })
        return customer
      })))

  const update = (id: string, params: UpdateCustomerParams) =>
    k.locked(Effect.gen(function*() {
      const record = yield* live(id)
      const metadata: Record<string, string> = { ...record.customer.metadata }
      for (const [key, v] of Object.entries(params.metadata ?? {})) {
        if (v === "") delete metadata[key]
        else metadata[key] = v
      }
      if (Object.keys(metadata).length > 50) {
        return yield* new Failure({
          code: "parameter_invalid",
          message: "must have at most 50 keys (after merging with the stored keys)",
          field: "metadata"
        })
      }
      const dpm = params.defaultPaymentMethod
      if (dpm !== undefined && dpm !== null && !methods.isAttachedTo(dpm, record.id)) {
        return yield* new Failure({
          code: "parameter_invalid",
          message: "must be a payment method attached to this customer",
          field: "default_payment_method"
        })
      }
      const customer: Customer = {
        ...record.customer,
        defaultPaymentMethod: dpm === undefined ? record.customer.defaultPaymentMethod : dpm,
        email: params.email ?? record.customer.email,
        name: params.name === undefined ? record.customer.name : params.name,
        phone: params.phone === undefined ? record.customer.phone : params.phone,
        metadata
      }
      record.customer = customer
      return customer
    }))

  const remove = (id: string) =>
    k.locked(Effect.map(live(id), (record): DeletedCustomer => {
      record.deleted = true
      deletedCount += 1
      methods.detachAllOf(record)
      return { id: record.customer.id, object: "customer", deleted: true }
    }))

  const list = (params: ListCustomersParams) =>
    Effect.suspend(() =>
      page(
        store,
        liveCustomerOf,
        params.email === undefined ? undefined : (c) => c.email === params.email,
        params.limit,
        params.startingAfter,
        store.ids.length - deletedCount
      )
    )

  return {
    live,
    create,
    retrieve: (id: string) => Effect.map(live(id), (c) => c.customer),
    update,
    delete: remove,
    list,
    /** Drops the customers in `ids` (a key's reset; call under the lock). */
    forget: (ids: ReadonlySet<string>): void => {
      for (const id of ids) if (store.byId.get(id)?.deleted === true) deletedCount -= 1
      removeAll(store, ids)
    },
    /** Every customer not deleted, newest first. */
    snapshot: Effect.sync(() => Array.from(store.byId.values()).filter((r) => !r.deleted).map((r) => r.customer).sort(newestFirst))
  }
}

export type Customers = ReturnType<typeof make>
