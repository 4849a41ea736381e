/**
 * The sandbox's log of webhook deliveries: one entry per event and endpoint, with every attempt.
 * Served at `GET /v1/sandbox/webhook_deliveries` (a sandbox extra, not part of the API contract).
 *
 * @since 0.1.0
 */
import { List } from "@paymentflow/core/List"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category Schemas
 */
export const DeliveryAttempt = Schema.Struct({
  /** Unix seconds, also the `t=` of the signature sent. */
  at: Schema.Int,
  /** The receiver's status, or `null` when there was no answer. */
  statusCode: Schema.NullOr(Schema.Int).pipe(Schema.propertySignature, Schema.fromKey("status_code")),
  /** Why there was no answer (connection refused, timeout), else `null`. */
  error: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category Schemas
 */
export const DeliveryStatus = Schema.Literal("pending", "succeeded", "failed", "dropped")

/**
 * `pending` while attempts remain, `succeeded` after a 2xx, `failed` when the retry schedule is
 * exhausted, `dropped` when the delivery queue was full.
 *
 * @since 0.1.0
 * @category Models
 */
export type DeliveryStatus = typeof DeliveryStatus.Type

/**
 * @since 0.1.0
 * @category Schemas
 */
export const WebhookDelivery = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("webhook_delivery"),
  eventId: Schema.String.pipe(Schema.propertySignature, Schema.fromKey("event_id")),
  eventType: Schema.String.pipe(Schema.propertySignature, Schema.fromKey("event_type")),
  /** The endpoint's URL, or the name of an in-process endpoint. */
  endpoint: Schema.String,
  status: DeliveryStatus,
  attempts: Schema.Array(DeliveryAttempt),
  created: Schema.Int
}).annotations({ identifier: "WebhookDelivery" })

/**
 * @since 0.1.0
 * @category Models
 */
export type WebhookDelivery = typeof WebhookDelivery.Type

/**
 * The response of `GET /v1/sandbox/webhook_deliveries`, newest first (core's list envelope).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const WebhookDeliveryList = List(WebhookDelivery)
