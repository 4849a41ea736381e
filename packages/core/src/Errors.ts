/**
 * The SDK's typed errors. Every operation's error channel is a union of some of these.
 *
 * They are `Schema.TaggedError` classes: put them in your own `HttpApi` error schemas or RPC
 * definitions, and encode or decode them (the encoded form is `{ _tag, code, message, ... }`:
 * the fields below, nothing more). Each class's `code` is typed as the codes the registry
 * (`ErrorCodes.REGISTRY`) gives it, plus any other string: the API adds codes over time, and
 * a client must accept codes it does not know.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { codesOf, type KnownCode, REGISTRY } from "./ErrorBody.js"

/**
 * Any string: the type of a code this SDK does not know yet. `string & {}` keeps the known codes
 * visible beside it (`"a" | string` would collapse to `string`).
 */
const OtherCode = Schema.String.pipe(Schema.filter((s): s is string & {} => typeof s === "string"))

/** The `code` field of a class: its known codes, then any other string. */
const codeOf = <T extends keyof typeof REGISTRY>(tag: T): Schema.Schema<KnownCode<T> | (string & {}), string> =>
  Schema.Union(Schema.Literal(...codesOf(tag)), OtherCode)

const common = <T extends keyof typeof REGISTRY>(tag: T) => ({
  /** For programs: the contract's error code (or one of the SDK's local codes). */
  code: codeOf(tag),
  /** For people. Never contains the API key. */
  message: Schema.String,
  /** The HTTP status, where there was a response. */
  statusCode: Schema.optional(Schema.Number),
  /** The `Request-Id` header, where there was a response. */
  requestId: Schema.optional(Schema.String)
})

/**
 * 401 / 403, or a key refused locally (malformed, wrong environment, `pk_` on a secret-key
 * operation, `sk_` in a browser).
 *
 * @since 0.1.0
 * @category Errors
 */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>()(
  "AuthenticationError",
  common("AuthenticationError")
) {}

/**
 * 400, or a parameter refused locally before anything was sent. `field` is the wire path of
 * the offending parameter (`metadata.order_id`, `payment_method.card.number`).
 *
 * @since 0.1.0
 * @category Errors
 */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", {
  ...common("ValidationError"),
  field: Schema.optional(Schema.String)
}) {}

/**
 * 429. `retryAfter` is the server's `Retry-After`, in seconds.
 *
 * @since 0.1.0
 * @category Errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()("RateLimitError", {
  ...common("RateLimitError"),
  retryAfter: Schema.optional(Schema.Number)
}) {}

/**
 * No usable response: connection failed or reset, timed out, or a body that could not be read
 * or decoded (`invalid_response`, with the `requestId` when there was one).
 *
 * @since 0.1.0
 * @category Errors
 */
export class NetworkError extends Schema.TaggedError<NetworkError>()("NetworkError", {
  ...common("NetworkError"),
  /**
   * For `invalid_response`: whether the body was not JSON at all (`"unparseable"`: cut off or
   * garbled on the way, worth another attempt) or JSON that is not what the contract promises
   * (`"unexpected_shape"`: the server would answer the same again).
   */
  body: Schema.optional(Schema.Literal("unparseable", "unexpected_shape"))
}) {}

/**
 * 404.
 *
 * @since 0.1.0
 * @category Errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", common("NotFoundError")) {}

/**
 * 409: a state conflict or an idempotency conflict.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", common("ConflictError")) {}

/**
 * 5xx, or any answer the operation does not document.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", {
  ...common("ApiError"),
  retryAfter: Schema.optional(Schema.Number)
}) {}

/**
 * Every error class by its tag. A registry entry without a class (or a class the registry does
 * not know) fails to compile here.
 *
 * @since 0.1.0
 * @category Errors
 */
export const ErrorClasses = {
  ValidationError,
  AuthenticationError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ApiError,
  NetworkError
} as const satisfies { readonly [T in keyof typeof REGISTRY]: { readonly _tag: T } }

/**
 * @since 0.1.0
 * @category Errors
 */
export type PaymentFlowError = InstanceType<(typeof ErrorClasses)[keyof typeof ErrorClasses]>

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

/**
 * The fields any error class takes; each class keeps those it has (`field` for
 * `ValidationError`, `retryAfter` for `RateLimitError` and `ApiError`, `body` for
 * `NetworkError`) and drops the others.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ErrorFields {
  readonly code: string
  readonly message: string
  readonly statusCode?: number | undefined
  readonly requestId?: string | undefined
  readonly field?: string | undefined
  readonly retryAfter?: number | undefined
  readonly body?: "unparseable" | "unexpected_shape" | undefined
}

const constructors: { readonly [T in ErrorTag]: new(fields: ErrorFields) => ErrorOf<T> } = ErrorClasses

/**
 * An error of the class `tag` (from `ErrorCodes.classOfStatus`, say), with the fields that
 * class has.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeError = <T extends ErrorTag>(tag: T, fields: ErrorFields): ErrorOf<T> => new constructors[tag](fields)

const tags: ReadonlySet<string> = new Set(Object.keys(REGISTRY))

/**
 * Whether a value is one of the SDK's errors. It checks the tag and the shape, not the class, so
 * an error made by another copy of the SDK (its CommonJS build, the pre-bundled
 * `@paymentflow/node/client`) is recognised too.
 *
 * @since 0.1.0
 * @category Refinements
 */
export const isPaymentFlowError = (u: unknown): u is PaymentFlowError =>
  u instanceof Error && Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) &&
  Predicate.hasProperty(u, "code") && typeof u.code === "string"
