/**
 * Webhook events: a union discriminated by `type`, whose `data` is the decoded object.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EventId, Timestamp } from "./Fields.js"
import { Payment } from "./Payment.js"
import { Refund } from "./Refund.js"

const event = <T extends string, D extends Schema.Schema.Any>(type: T, data: D) =>
  Schema.Struct({
    id: EventId,
    object: Schema.Literal("event"),
    type: Schema.Literal(type),
    created: Timestamp,
    data
  }).annotations({ identifier: `Event(${type})` })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentSucceeded = event("payment.succeeded", Payment)
/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentFailed = event("payment.failed", Payment)
/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentCancelled = event("payment.cancelled", Payment)
/**
 * @since 0.1.0
 * @category Schemas
 */
export const RefundCreated = event("refund.created", Refund)
/**
 * @since 0.1.0
 * @category Schemas
 */
export const RefundCompleted = event("refund.completed", Refund)

/**
 * Every event member, keyed by its `type`. Decoders pick the member by `type` first.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const EventMembers = {
  "payment.succeeded": PaymentSucceeded,
  "payment.failed": PaymentFailed,
  "payment.cancelled": PaymentCancelled,
  "refund.created": RefundCreated,
  "refund.completed": RefundCompleted
} as const

/**
 * @since 0.1.0
 * @category Schemas
 */
export const Event = Schema.Union(PaymentSucceeded, PaymentFailed, PaymentCancelled, RefundCreated, RefundCompleted)
  .annotations({ identifier: "Event" })
/**
 * @since 0.1.0
 * @category Models
 */
export type Event = typeof Event.Type

/**
 * @since 0.1.0
 * @category Models
 */
export type EventType = Event["type"]

/**
 * @since 0.1.0
 * @category Constants
 */
export const EVENT_TYPES = /*#__PURE__*/ Object.keys(EventMembers) as ReadonlyArray<EventType>
