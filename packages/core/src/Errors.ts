/**
 * The SDK's typed errors. Every operation's error channel is a union of some of these.
 *
 * They are `Schema.TaggedError` classes: put them in your own `HttpApi` error schemas or RPC
 * definitions, and encode or decode them (the encoded form is `{ _tag, code, message, ... }`:
 * the fields below, nothing more). Each class's `code` is typed as the codes the registry
 * (`ErrorCodes.REGISTRY`) gives it, plus any other string: the API adds codes over time, and
 * a client must accept codes it does not know.
 *
 * Over 300 lines for one reason: the seven classes are one registry's classes, each with its
 * documented fields and the cross-copy `instanceof` brand; splitting them would scatter the one
 * list `ErrorClasses` checks against `ErrorBody.REGISTRY`.
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
  requestId: Schema.optional(Schema.String),
  /** How many attempts the call made (retries included); absent when nothing was sent. */
  attempts: Schema.optional(Schema.Number)
})

/**
 * The brand every error of this SDK carries, under a global symbol (`Symbol.for`), so that copies
 * of the SDK — its ESM and CommonJS builds, the pre-bundled `@paymentflow/node/client` — all see
 * it. `instanceof` reads it (see {@link hasInstance}).
 *
 * @since 0.1.0
 * @category Symbols
 */
export const PaymentFlowErrorTypeId: unique symbol = Symbol.for("@paymentflow/core/PaymentFlowError")

/**
 * @since 0.1.0
 * @category Symbols
 */
export type PaymentFlowErrorTypeId = typeof PaymentFlowErrorTypeId

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance]

/**
 * `instanceof` for the SDK's error classes, across copies: a value is an instance of the class
 * `base` (tag `tag`) when its prototype chain says so, or when it carries the brand and the same
 * `_tag` — an error made by another copy of the SDK. `ValidationError`'s check never accepts a
 * `NotFoundError` (the tags differ). A user's subclass (`class MyError extends ValidationError`)
 * keeps ordinary `instanceof`: only the SDK's own classes match by brand.
 */
const hasInstance = (self: unknown, base: unknown, tag: string, u: unknown): boolean => {
  if (typeof self === "function" && ordinaryHasInstance.call(self, u)) return true
  return self === base && typeof u === "object" && u !== null && PaymentFlowErrorTypeId in u &&
    Predicate.hasProperty(u, "_tag") && u._tag === tag
}

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
) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `AuthenticationError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is AuthenticationError {
    return hasInstance(this, AuthenticationError, "AuthenticationError", u)
  }
}

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
}) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `ValidationError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is ValidationError {
    return hasInstance(this, ValidationError, "ValidationError", u)
  }
}

/**
 * 429. `retryAfter` is the server's `Retry-After`, in seconds.
 *
 * @since 0.1.0
 * @category Errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()("RateLimitError", {
  ...common("RateLimitError"),
  retryAfter: Schema.optional(Schema.Number)
}) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `RateLimitError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is RateLimitError {
    return hasInstance(this, RateLimitError, "RateLimitError", u)
  }
}

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
}) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `NetworkError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is NetworkError {
    return hasInstance(this, NetworkError, "NetworkError", u)
  }
}

/**
 * 404.
 *
 * @since 0.1.0
 * @category Errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", common("NotFoundError")) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `NotFoundError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is NotFoundError {
    return hasInstance(this, NotFoundError, "NotFoundError", u)
  }
}

/**
 * 409: a state conflict or an idempotency conflict.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", common("ConflictError")) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `ConflictError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is ConflictError {
    return hasInstance(this, ConflictError, "ConflictError", u)
  }
}

/**
 * 5xx, or any answer the operation does not document.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", {
  ...common("ApiError"),
  retryAfter: Schema.optional(Schema.Number)
}) {
  /**
   * Brands the error for {@link hasInstance} (a prototype getter: not an own field, so neither
   * encoded nor shown).
   *
   * @since 0.1.0
   */
  get [PaymentFlowErrorTypeId](): PaymentFlowErrorTypeId {
    return PaymentFlowErrorTypeId
  }
  /**
   * `instanceof` across copies of the SDK (ESM and CommonJS builds, `@paymentflow/node/client`):
   * any `ApiError` made by any copy matches.
   *
   * @since 0.1.0
   */
  static override [Symbol.hasInstance](u: unknown): u is ApiError {
    return hasInstance(this, ApiError, "ApiError", u)
  }
}

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
  readonly attempts?: number | undefined
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

/**
 * The same error, saying how many attempts the call made (the client sets it when a call that
 * sent something fails).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const withAttempts = <E extends PaymentFlowError>(error: E, attempts: number): E => {
  const fields: ErrorFields = {
    code: error.code,
    message: error.message,
    statusCode: error.statusCode,
    requestId: error.requestId,
    attempts,
    field: "field" in error ? error.field : undefined,
    retryAfter: "retryAfter" in error ? error.retryAfter : undefined,
    body: "body" in error ? error.body : undefined
  }
  // `makeError` builds the class of `error._tag`, which is `E`'s own.
  return makeError(error._tag, fields) as E
}
