/**
 * Refunds: create (from a succeeded payment, at most what is left to refund; `pending`, then
 * `succeeded` after `refundDelay`), retrieve, list.
 */
import type { Event } from "@paymentflow/core/Event"
import { type EventId, RefundId } from "@paymentflow/core/Fields"
import type { CreateRefundParams, ListRefundsParams, Refund } from "@paymentflow/core/Refund"
import * as Effect from "effect/Effect"
import { Failure, notFound } from "../failure.js"
import type { Kernel } from "./kernel.js"
import * as Machine from "./paymentMachine.js"
import type { Payments } from "./payments.js"
import { compact, newestFirstAll, ordered, page, put, remove } from "./store.js"

const refundEvent = (type: "refund.created" | "refund.completed", data: Refund) =>
(id: EventId, created: number): Event => ({ id, object: "event", type, created, data })

export const make = (k: Kernel, payments: Payments) => {
  const store = ordered<Refund>()

  /** pending → succeeded. */
  const complete = (id: string) =>
    k.locked(Effect.suspend(() => {
      const refund = store.byId.get(id)
      if (refund === undefined || refund.status !== "pending") return Effect.void
      const done: Refund = { ...refund, status: "succeeded" }
      put(store, done)
      return k.emit(refundEvent("refund.completed", done))
    }))

  const create = (params: CreateRefundParams) =>
    Effect.gen(function*() {
      const created = yield* k.now
      const refund = yield* k.locked(Effect.gen(function*() {
        const found = payments.peek(params.paymentId)
        if (found === undefined) return yield* notFound(`payment: '${params.paymentId}'`, "payment_id")
        const payment = yield* Machine.refundable(found)
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
          id: RefundId.make(k.ids("ref")),
          object: "refund",
          paymentId: payment.id,
          amount,
          currency: payment.currency,
          reason: params.reason ?? null,
          status: "pending",
          metadata: compact(params.metadata),
          created
        }
        put(store, refund)
        payments.replace({ ...payment, amountRefunded: payment.amountRefunded + amount })
        yield* k.emit(refundEvent("refund.created", refund))
        return refund
      }))
      yield* k.later(k.config.refundDelay, complete(refund.id))
      return store.byId.get(refund.id)!
    })

  const retrieve = (id: string) => {
    const r = store.byId.get(id)
    return r === undefined ? Effect.fail(notFound(`refund: '${id}'`)) : Effect.succeed(r)
  }

  const list = (params: ListRefundsParams) =>
    Effect.suspend(() =>
      page(
        store,
        (r: Refund) => r,
        params.paymentId === undefined ? undefined : (r) => r.paymentId === params.paymentId,
        params.limit,
        params.startingAfter,
        store.ids.length
      )
    )

  return {
    create,
    retrieve,
    list,
    /** Drops the refunds in `ids` (a key's reset; call under the lock). */
    forget: (ids: ReadonlySet<string>): void => void remove(store, ids),
    snapshot: Effect.sync(() => newestFirstAll(store)) }
}
