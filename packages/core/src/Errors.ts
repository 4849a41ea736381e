/**
 * The SDK's typed errors. Every operation's error channel is a union of some of these.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Predicate from "effect/Predicate"

interface Common {
  /** For people. Never contains the API key. */
  readonly message: string
  /** For programs: the contract's error code. */
  readonly code: string
  /** The HTTP status, where there was a response. */
  readonly statusCode?: number | undefined
  /** The `Request-Id` header, where there was a response. */
  readonly requestId?: string | undefined
}

/**
 * 401 / 403, or a key refused locally (malformed, wrong environment, `pk_` on a secret-key
 * operation, `sk_` in a browser).
 *
 * @since 0.1.0
 * @category Errors
 */
export class AuthenticationError extends Data.TaggedError("AuthenticationError")<Common> {}

/**
 * 400, or a parameter refused locally before anything was sent. `field` is the wire path of
 * the offending parameter (`metadata.order_id`, `payment_method.card.number`).
 *
 * @since 0.1.0
 * @category Errors
 */
export class ValidationError extends Data.TaggedError("ValidationError")<Common & {
  readonly field?: string | undefined
}> {}

/**
 * 429. `retryAfter` is the server's `Retry-After`, in seconds.
 *
 * @since 0.1.0
 * @category Errors
 */
export class RateLimitError extends Data.TaggedError("RateLimitError")<Common & {
  readonly retryAfter?: number | undefined
}> {}

/**
 * No usable response: connection failed or reset, timed out, or a body that could not be read
 * or decoded (`invalid_response`, with the `requestId` when there was one).
 *
 * @since 0.1.0
 * @category Errors
 */
export class NetworkError extends Data.TaggedError("NetworkError")<Common & {
  readonly code: "connection_failed" | "timeout" | "invalid_response"
  /**
   * For `invalid_response`: whether the body was not JSON at all (`"unparseable"`: cut off or
   * garbled on the way, worth another attempt) or JSON that is not what the contract promises
   * (`"unexpected_shape"`: the server would answer the same again).
   */
  readonly body?: "unparseable" | "unexpected_shape" | undefined
}> {}

/**
 * 404.
 *
 * @since 0.1.0
 * @category Errors
 */
export class NotFoundError extends Data.TaggedError("NotFoundError")<Common> {}

/**
 * 409: a state conflict or an idempotency conflict.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConflictError extends Data.TaggedError("ConflictError")<Common> {}

/**
 * 5xx, or any answer the operation does not document.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ApiError extends Data.TaggedError("ApiError")<Common & {
  readonly retryAfter?: number | undefined
}> {}

/**
 * @since 0.1.0
 * @category Errors
 */
export type PaymentFlowError =
  | AuthenticationError
  | ValidationError
  | RateLimitError
  | NetworkError
  | NotFoundError
  | ConflictError
  | ApiError

/**
 * @since 0.1.0
 * @category Errors
 */
export type ErrorTag = PaymentFlowError["_tag"]

/**
 * @since 0.1.0
 * @category Errors
 */
export type ErrorOf<T extends ErrorTag> = Extract<PaymentFlowError, { readonly _tag: T }>

const tags: ReadonlySet<string> = new Set<ErrorTag>([
  "AuthenticationError",
  "ValidationError",
  "RateLimitError",
  "NetworkError",
  "NotFoundError",
  "ConflictError",
  "ApiError"
])

/**
 * @since 0.1.0
 * @category Refinements
 */
export const isPaymentFlowError = (u: unknown): u is PaymentFlowError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) && u instanceof Error
