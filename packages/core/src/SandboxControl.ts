/**
 * The sandbox's own control endpoints (`/v1/sandbox/...`), as rows of the table with
 * `surface: "sandbox"`: served by the sandbox only, never part of the user's `PaymentFlow`
 * service (`Api.ClientKey` leaves them out), marked sandbox-only in the OpenAPI document. They
 * take a secret key and are exempt from rate limits and idempotency. A typed client over them is
 * `@paymentflow/sandbox/SandboxControl`.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Schema from "effect/Schema"
import * as Endpoint from "./Endpoint.js"
import { Event } from "./Event.js"
import { Timestamp } from "./Fields.js"
import { clientEndpoints } from "./internal/clientRows.js"
import { opt, req } from "./internal/wire.js"

/**
 * The sandbox's clock: now (Unix seconds) and how far it was moved ahead of the real time.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const SandboxClock = Schema.Struct({
  object: Schema.Literal("sandbox.clock"),
  now: Timestamp,
  advancedSeconds: req("advanced_seconds", Schema.NonNegativeInt)
}).annotations({ identifier: "SandboxClock" })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const AdvanceClockParams = Schema.Struct({
  /** How far to move the clock (at most a year): processing and refund delays, idempotency expiry and rate-limit windows follow. */
  seconds: Schema.Int.pipe(Schema.between(1, 31_536_000))
}).annotations({ identifier: "AdvanceClockParams" })

/**
 * `key` (the default): the calling key's data — the payments, refunds, customers, payment methods
 * and events (with their webhook deliveries) created by requests made with either key of its pair
 * (`sk_test_X` and `pk_test_X` share the id part `X`), and the pair's idempotency keys, rate-limit
 * windows and queued faults; every other key's data stays as it is. An object another key created
 * that refers to a deleted one (a refund of a deleted payment) keeps the reference. `all`: the
 * whole sandbox, objects, events and deliveries included, whoever made them.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ResetScope = Schema.Literal("key", "all")

/**
 * @since 0.1.0
 * @category Schemas
 */
export const ResetParams = Schema.Struct({
  scope: Schema.optional(ResetScope)
}).annotations({ identifier: "ResetParams" })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const SandboxReset = Schema.Struct({
  object: Schema.Literal("sandbox.reset"),
  scope: ResetScope
}).annotations({ identifier: "SandboxReset" })

/**
 * The faults a control call can queue (the `PaymentFlow-Sandbox-Fault` header's, as words).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const FaultKind = Schema.Literal("500", "503", "429", "html-502", "drop-after-commit", "truncate", "delay")

// the keys of an object literal of rows (`internal/clientRows.ts`)
const operations = Object.keys(clientEndpoints) as Array<keyof typeof clientEndpoints>
if (!Arr.isNonEmptyReadonlyArray(operations)) throw new Error("no client rows")

/**
 * An operation of the user's rows, `group.name` (`payments.create`): what a fault can be queued for.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const SandboxOperation = Schema.Literal(...operations).annotations({ identifier: "SandboxOperation" })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const CreateFaultParams = Schema.Struct({
  fault: FaultKind,
  /** The operation (`payments.create`); omitted: any. */
  operation: Schema.optional(SandboxOperation),
  /** How many of the calling key's next matching calls get it (default 1). */
  times: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  /** For `delay`: how long, in milliseconds (at most 600 000). */
  delayMs: opt("delay_ms", Schema.Int.pipe(Schema.between(0, 600_000))),
  /** For `503` and `429`: the `Retry-After` seconds (default none: the client retries at once). */
  retryAfter: opt("retry_after", Schema.Int.pipe(Schema.between(1, 60)))
}).annotations({ identifier: "CreateFaultParams" })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const SandboxFault = Schema.Struct({
  object: Schema.Literal("sandbox.fault"),
  fault: FaultKind,
  operation: Schema.NullOr(Schema.String),
  times: Schema.Int
}).annotations({ identifier: "SandboxFault" })

/**
 * Every event the sandbox emitted, newest first.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const SandboxEventList = Schema.Struct({
  object: Schema.Literal("list"),
  data: Schema.Array(Event),
  totalCount: req("total_count", Schema.NonNegativeInt)
}).annotations({ identifier: "SandboxEventList" })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const DeliveryAttempt = Schema.Struct({
  /** Unix seconds, also the `t=` of the signature sent. */
  at: Schema.Int,
  /** The receiver's status, or `null` when there was no answer. */
  statusCode: req("status_code", Schema.NullOr(Schema.Int)),
  /** Why there was no answer (connection refused, timeout), else `null`. */
  error: Schema.NullOr(Schema.String)
}).annotations({ identifier: "DeliveryAttempt" })

/**
 * `pending` while attempts remain, `succeeded` after a 2xx, `failed` when the retry schedule is
 * exhausted, `dropped` when the delivery queue was full.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const DeliveryStatus = Schema.Literal("pending", "succeeded", "failed", "dropped")

/**
 * @since 0.1.0
 * @category Models
 */
export type DeliveryStatus = typeof DeliveryStatus.Type

/**
 * One entry of the sandbox's webhook delivery log: one event to one endpoint, with every attempt.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const WebhookDelivery = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("webhook_delivery"),
  eventId: req("event_id", Schema.String),
  eventType: req("event_type", Schema.String),
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
 * Every webhook delivery the sandbox logged, newest first, in one page (`has_more` is false):
 * the list envelope's shape, but not a paginated list (no `limit`, no cursor).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const WebhookDeliveryList = Schema.Struct({
  object: Schema.Literal("list"),
  data: Schema.Array(WebhookDelivery),
  hasMore: req("has_more", Schema.Boolean),
  totalCount: req("total_count", Schema.NonNegativeInt)
}).annotations({ identifier: "WebhookDeliveryList" })

/**
 * The sandbox-only rows.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const SandboxEndpoints = {
  "sandbox.advanceClock": Endpoint.make({
    name: "advanceClock",
    group: "sandbox",
    method: "POST",
    path: "/v1/sandbox/clock/advance",
    id: undefined,
    params: AdvanceClockParams,
    success: SandboxClock,
    errors: ["ValidationError"],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: move the sandbox's clock ahead (delays, idempotency expiry and rate-limit windows follow)."
  }),
  "sandbox.retrieveClock": Endpoint.make({
    name: "retrieveClock",
    group: "sandbox",
    method: "GET",
    path: "/v1/sandbox/clock",
    id: undefined,
    params: undefined,
    success: SandboxClock,
    errors: [],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: the sandbox's clock."
  }),
  "sandbox.reset": Endpoint.make({
    name: "reset",
    group: "sandbox",
    method: "POST",
    path: "/v1/sandbox/reset",
    id: undefined,
    params: ResetParams,
    success: SandboxReset,
    errors: ["ValidationError"],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: delete the calling key's data — its objects, events and deliveries, idempotency keys, rate-limit window, faults (scope `key`) — or everything (scope `all`)."
  }),
  "sandbox.createFault": Endpoint.make({
    name: "createFault",
    group: "sandbox",
    method: "POST",
    path: "/v1/sandbox/faults",
    id: undefined,
    params: CreateFaultParams,
    success: SandboxFault,
    errors: ["ValidationError"],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: give the calling key's next calls of an operation a fault (503, drop-after-commit, delay, …)."
  }),
  "sandbox.listEvents": Endpoint.make({
    name: "listEvents",
    group: "sandbox",
    method: "GET",
    path: "/v1/sandbox/events",
    id: undefined,
    params: undefined,
    success: SandboxEventList,
    errors: [],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: every event the sandbox emitted, newest first."
  }),
  "sandbox.listWebhookDeliveries": Endpoint.make({
    name: "listWebhookDeliveries",
    group: "sandbox",
    method: "GET",
    path: "/v1/sandbox/webhook_deliveries",
    id: undefined,
    params: undefined,
    success: WebhookDeliveryList,
    errors: [],
    access: "secret",
    surface: "sandbox",
    summary: "Sandbox only: every webhook delivery with its attempts, newest first."
  })
} as const
