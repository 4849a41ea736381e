/**
 * The sandbox's own control endpoints (`/v1/sandbox/...`), as rows of the table with
 * `surface: "sandbox"`: served by the sandbox only, never part of the user's `PaymentFlow`
 * service (`Api.ClientKey` leaves them out), marked sandbox-only in the OpenAPI document. They
 * take a secret key and are exempt from rate limits and idempotency. A typed client over them is
 * `@paymentflow/sandbox/SandboxControl`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Endpoint from "./Endpoint.js"
import { Event } from "./Event.js"
import { Timestamp } from "./Fields.js"
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
 * `key` (the default): what the sandbox keeps for the calling key — its idempotency keys, its
 * rate-limit window, its queued faults. `all`: the whole sandbox, objects and events included.
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

/**
 * @since 0.1.0
 * @category Schemas
 */
export const CreateFaultParams = Schema.Struct({
  fault: FaultKind,
  /** The operation (`payments.create`); omitted: any. */
  operation: Schema.optional(Schema.String.pipe(Schema.pattern(/^[a-z]+\.[A-Za-z]+$/))),
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
    summary: "Sandbox only: forget what the sandbox keeps for the calling key (scope `key`), or everything (scope `all`)."
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
  })
} as const
