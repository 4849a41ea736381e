/**
 * The wire error envelope and the contract's error types and codes.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { ErrorTag } from "./Errors.js"

/**
 * @since 0.1.0
 * @category Schemas
 */
export const ErrorType = Schema.Literal(
  "validation_error",
  "authentication_error",
  "not_found_error",
  "conflict_error",
  "rate_limit_error",
  "api_error"
)
/**
 * @since 0.1.0
 * @category Models
 */
export type ErrorType = typeof ErrorType.Type

/**
 * `{"error": {"type", "code", "message", "field"?}}`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ErrorBody = Schema.Struct({
  error: Schema.Struct({
    type: ErrorType,
    code: Schema.String,
    message: Schema.String,
    field: Schema.optional(Schema.String)
  })
}).annotations({ identifier: "ErrorBody" })
/**
 * @since 0.1.0
 * @category Models
 */
export type ErrorBody = typeof ErrorBody.Type

/**
 * The error type and HTTP status of each documented code. The sandbox answers with these; the
 * SDK reads the status to pick the error class.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CODES = {
  parameter_missing: [400, "validation_error"],
  parameter_invalid: [400, "validation_error"],
  parameter_unknown: [400, "validation_error"],
  amount_too_large: [400, "validation_error"],
  refund_exceeds_payment: [400, "validation_error"],
  invalid_cursor: [400, "validation_error"],
  card_not_test: [400, "validation_error"],
  version_unknown: [400, "validation_error"],
  body_invalid: [400, "validation_error"],
  content_type_invalid: [415, "validation_error"],
  body_too_large: [413, "validation_error"],
  method_not_allowed: [405, "validation_error"],
  api_key_missing: [401, "authentication_error"],
  api_key_invalid: [401, "authentication_error"],
  api_key_environment_mismatch: [401, "authentication_error"],
  permission_denied: [403, "authentication_error"],
  resource_missing: [404, "not_found_error"],
  route_missing: [404, "not_found_error"],
  payment_not_cancelable: [409, "conflict_error"],
  payment_not_refundable: [409, "conflict_error"],
  payment_not_confirmable: [409, "conflict_error"],
  idempotency_key_reused: [409, "conflict_error"],
  idempotency_key_in_use: [409, "conflict_error"],
  rate_limited: [429, "rate_limit_error"],
  internal_error: [500, "api_error"],
  bad_gateway: [502, "api_error"],
  service_unavailable: [503, "api_error"]
} as const satisfies Record<string, readonly [number, ErrorType]>

/**
 * @since 0.1.0
 * @category Models
 */
export type Code = keyof typeof CODES

/**
 * The SDK error class that stands for each wire error type.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CLASS_OF_TYPE: Record<ErrorType, ErrorTag> = {
  validation_error: "ValidationError",
  authentication_error: "AuthenticationError",
  not_found_error: "NotFoundError",
  conflict_error: "ConflictError",
  rate_limit_error: "RateLimitError",
  api_error: "ApiError"
}

const classByStatus: ReadonlyMap<number, ErrorTag> = new Map(
  Object.values(CODES).map(([status, type]) => [status, CLASS_OF_TYPE[type]] as const)
)

/**
 * The error class for an HTTP status, derived from {@link CODES}; any status the contract does not
 * name is an `ApiError`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const classOfStatus = (status: number): ErrorTag => classByStatus.get(status) ?? "ApiError"

/**
 * The HTTP statuses an error class stands for, derived from {@link CODES}.
 *
 * @since 0.1.0
 * @category Utils
 */
export const statusesOf = (tag: ErrorTag): ReadonlyArray<number> =>
  [...new Set(Object.values(CODES).filter(([, type]) => CLASS_OF_TYPE[type] === tag).map(([status]) => status))].sort()
