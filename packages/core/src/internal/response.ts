/**
 * Reading one attempt's outcome: a whole response (status, headers, body) into the row's result
 * or a typed error, and a transport failure into a `NetworkError`. Every string the server (or a
 * proxy) sends back is scrubbed of the raw API key.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Schema from "effect/Schema"
import { classOfStatus, ErrorBody } from "../ErrorBody.js"
import { ApiError, type ErrorTag, makeError, NetworkError, type PaymentFlowError, RateLimitError } from "../Errors.js"
import { HEADERS } from "../Headers.js"
import * as Rule from "../Rule.js"
import type * as Transport from "../Transport.js"

const decodeErrorBody = Schema.decodeUnknownEither(ErrorBody)

const parseJson = (text: string): Either.Either<unknown, unknown> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (cause) {
    return Either.left(cause)
  }
}

const parseRetryAfter = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

/** Replaces the raw key by its mask: a proxy may echo the Authorization header. */
export type Scrub = (message: string) => string

/** The {@link Scrub} of one key. */
export const scrubber = (rawKey: string, maskedKey: string): Scrub => (message) =>
  rawKey.length > 0 && message.includes(rawKey) ? message.split(rawKey).join(maskedKey) : message

/**
 * The `Request-Id` of a response, scrubbed: it goes into errors, the span and the log line, and
 * a hostile proxy may echo the Authorization header into it as into any other field.
 */
export const requestIdOf = (headers: Readonly<Record<string, string>> | undefined, scrub: Scrub): string | undefined => {
  const id = headers?.[HEADERS.requestId.key]
  return id === undefined ? undefined : scrub(id)
}

/** The fields every error built from a PaymentFlow error body carries. */
interface Common {
  readonly code: string
  readonly message: string
  readonly statusCode: number
  readonly requestId: string | undefined
}

/**
 * The error of a PaymentFlow error body, built from the one registry (`Errors.makeError`, which
 * keeps only the fields the class has: `field` for ValidationError, `retryAfter` for
 * RateLimitError and ApiError). A class the row does not declare is `ApiError`.
 */
export const translate = (
  tag: ErrorTag,
  common: Common,
  field: string | undefined,
  retryAfter: number | undefined
): PaymentFlowError => makeError(tag, { ...common, field, retryAfter })

/** The error of a non-2xx response. */
const errorOf = (
  allowed: ReadonlySet<ErrorTag>,
  scrub: Scrub,
  status: number,
  text: string,
  retryAfterHeader: string | undefined,
  requestId: string | undefined
): PaymentFlowError => {
  const json = parseJson(text)
  const body = Either.isRight(json) ? decodeErrorBody(json.right) : undefined
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(retryAfterHeader) : undefined
  if (body === undefined || Either.isLeft(body)) {
    // Not a PaymentFlow error body (a proxy's HTML 502, an empty 429 from a load balancer).
    return status === 429
      ? new RateLimitError({ code: "rate_limited", message: "Too many requests", statusCode: status, requestId, retryAfter })
      : new ApiError({
        code: status >= 500 ? "bad_gateway" : "unexpected_response",
        message: `Unexpected HTTP ${status} response that is not a PaymentFlow error`,
        statusCode: status,
        requestId,
        retryAfter
      })
  }
  const e = body.right.error
  // every string of the body is the server's, and a proxy may echo the Authorization header
  const common = { code: scrub(e.code), message: scrub(e.message), statusCode: status, requestId }
  const tag = classOfStatus(status)
  return translate(
    allowed.has(tag) ? tag : "ApiError",
    common,
    tag === "ValidationError" && e.field !== undefined ? scrub(e.field) : undefined,
    retryAfter
  )
}

/**
 * Reads one whole response into the row's result or its typed error (an `Either`: the caller
 * adds the call's attempts to the error, and no effect is built per response).
 */
export type Interpret = (response: Transport.Response) => Either.Either<unknown, PaymentFlowError>

/** The {@link Interpret} of one row (its success schema and allowed error classes). */
export const makeInterpret = (
  operation: string,
  success: Schema.Schema.AnyNoContext,
  allowed: ReadonlySet<ErrorTag>,
  scrub: Scrub
): Interpret => {
  const decodeSuccess = Schema.decodeUnknownEither(success)
  return ({ body, headers, status }) => {
    const requestId = requestIdOf(headers, scrub)
    if (status < 200 || status >= 300) {
      return Either.left(errorOf(allowed, scrub, status, body, headers[HEADERS.retryAfter.key], requestId))
    }
    const json = parseJson(body)
    const decoded = Either.isRight(json) ? decodeSuccess(json.right) : undefined
    if (decoded !== undefined && Either.isRight(decoded)) return Either.right(decoded.right)
    return Either.left(
      new NetworkError({
        code: "invalid_response",
        message: decoded === undefined
          ? `HTTP ${status} response body is not JSON`
          : `HTTP ${status} response body is not a valid ${operation} result: ${Rule.formatViolation(Rule.violation(decoded.left.issue))}`,
        statusCode: status,
        requestId,
        body: decoded === undefined ? "unparseable" : "unexpected_shape"
      })
    )
  }
}

const describe = (cause: unknown): string => cause instanceof Error ? cause.message : String(cause)

/** The `NetworkError` of an attempt that got no whole response. */
export const transportFailure = (error: Transport.TransportError, timeout: Duration.Duration, scrub: Scrub): PaymentFlowError => {
  if (error.reason === "TimedOut") {
    return new NetworkError({ code: "timeout", message: `No response within ${Duration.format(timeout)}` })
  }
  if (error.status !== undefined) {
    // The same words on every transport: what cut the body off is each platform's own detail
    // (undici's "other side closed", fetch's "terminated"), so it stays out of the message.
    return new NetworkError({
      code: "connection_failed",
      message: `The response body could not be read: the connection ended before the HTTP ${error.status} response was complete`,
      statusCode: error.status,
      requestId: requestIdOf(error.headers, scrub)
    })
  }
  return new NetworkError({ code: "connection_failed", message: scrub(`The request could not be sent: ${describe(error.cause)}`) })
}

/**
 * What one call learned from its last response. Declared public as `PaymentFlow.ResponseMetadata`.
 */
export interface Metadata {
  /** The `Request-Id` header (for support tickets). */
  readonly requestId: string | undefined
  readonly statusCode: number
  /** `true` when the response replays an earlier call with the same `Idempotency-Key`. */
  readonly idempotentReplayed: boolean
  /** The `RateLimit-*` headers; `undefined` when the server sent none (its limit is off). */
  readonly rateLimit: { readonly limit: number; readonly remaining: number; readonly resetSeconds: number } | undefined
  /** How many attempts the call made, retries included. */
  readonly attempts: number
  /** Every response header, lowercase names. */
  readonly headers: Readonly<Record<string, string>>
}

const nonNegativeInt = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value.trim())
}

/** The metadata of one whole response, after `attempts` attempts. */
export const metadataOf = (response: Transport.Response, attempts: number): Metadata => {
  const { headers } = response
  const limit = nonNegativeInt(headers[HEADERS.rateLimitLimit.key])
  const remaining = nonNegativeInt(headers[HEADERS.rateLimitRemaining.key])
  const resetSeconds = nonNegativeInt(headers[HEADERS.rateLimitReset.key])
  return {
    requestId: headers[HEADERS.requestId.key],
    statusCode: response.status,
    idempotentReplayed: headers[HEADERS.idempotentReplayed.key]?.trim().toLowerCase() === "true",
    rateLimit: limit !== undefined && remaining !== undefined && resetSeconds !== undefined
      ? { limit, remaining, resetSeconds }
      : undefined,
    attempts,
    headers
  }
}

/**
 * Where a call under `withResponse` (or a Promise call) leaves what its metadata is built from: a
 * cell per `withResponse`. The operation stores the last response and its attempts; the
 * {@link Metadata} is built only when someone reads it ({@link readMetadata}), so a Promise call
 * whose caller never asks costs two field writes.
 */
export interface MetadataCell {
  response: Transport.Response | undefined
  attempts: number
}

/** Why `withResponse` has no metadata to give: what it wrapped got no response. */
export const NO_RESPONSE = "PaymentFlow.withResponse: the effect ran no PaymentFlow operation that got a response"

/** A fresh, empty cell. */
export const makeMetadataCell = (): MetadataCell => ({ response: undefined, attempts: 0 })

/** The metadata of the last response recorded in `cell`; `undefined` when none was. */
export const readMetadata = (cell: MetadataCell): Metadata | undefined =>
  cell.response === undefined ? undefined : metadataOf(cell.response, cell.attempts)

/**
 * The cell of the innermost `withResponse` around the running fiber (`undefined`: nobody asked,
 * and the operation builds no metadata).
 */
export const currentMetadataCell: FiberRef.FiberRef<MetadataCell | undefined> = FiberRef.unsafeMake<
  MetadataCell | undefined
>(undefined)
