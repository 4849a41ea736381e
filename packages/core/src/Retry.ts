/**
 * When and how the client retries, as `Schedule`s users can use as they are or compose with
 * their own (`Schedule.union`, `Schedule.upTo`, ...).
 *
 * What is retried, and why it is safe: every POST carries one `Idempotency-Key` for the whole
 * logical call, so the server replays a request it already committed instead of acting twice.
 *
 * - `NetworkError` `connection_failed` (no response, reset, a body cut off mid-read) and
 *   `timeout`: the request may or may not have reached the server; the idempotency key makes
 *   the retry safe.
 * - `NetworkError` `invalid_response` whose body was not JSON at all (cut off or garbled on the
 *   way): the change may be committed and the caller must not lose it, so it is asked again —
 *   a POST is replayed under its idempotency key. Likewise an error status whose body is not a
 *   PaymentFlow error (`ApiError` `unexpected_response`, e.g. a truncated 409).
 * - `invalid_response` with well-formed JSON of the wrong shape is NOT retried: the server would
 *   answer the same again.
 * - 429 (`RateLimitError`), waiting at least the server's `Retry-After` (capped at 60 s).
 * - 500 / 502 / 503 / 504 (`ApiError`, including a proxy's HTML 502), honouring `Retry-After`.
 * - 409 `idempotency_key_in_use`: the first attempt with this key is still running.
 * - Never 400, 401, 403, 404 or any other 409: the answer would not change.
 *
 * Delays grow exponentially from 500 ms (×2, jittered, at most 8 s).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"
import type { PaymentFlowError } from "./Errors.js"

/**
 * A retry policy for an operation: its input is the error of the failed attempt.
 *
 * @since 0.1.0
 * @category Models
 */
export type Policy = Schedule.Schedule<unknown, PaymentFlowError>

/**
 * Retries after the first attempt, unless the options say otherwise.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_MAX_RETRIES = 2

/**
 * The longest `Retry-After` the client will wait for.
 *
 * @since 0.1.0
 * @category Constants
 */
export const MAX_RETRY_AFTER: Duration.Duration = Duration.seconds(60)

const RETRYABLE_STATUS: ReadonlySet<number> = new Set([500, 502, 503, 504])

/**
 * Whether a failed attempt is worth another one (see the module documentation).
 *
 * @since 0.1.0
 * @category Predicates
 */
export const isRetryable = (error: PaymentFlowError): boolean => {
  switch (error._tag) {
    case "NetworkError":
      return error.code !== "invalid_response" || error.body === "unparseable"
    case "RateLimitError":
      return true
    case "ConflictError":
      return error.code === "idempotency_key_in_use"
    case "ApiError":
      return (error.statusCode !== undefined && RETRYABLE_STATUS.has(error.statusCode)) ||
        (error.statusCode === 409 && error.code === "idempotency_key_in_use") ||
        error.code === "unexpected_response"
    default:
      return false
  }
}

/**
 * The wait the server asked for (`Retry-After` on 429 and 503), capped at {@link MAX_RETRY_AFTER}.
 *
 * @since 0.1.0
 * @category Utils
 */
export const retryAfter = (error: PaymentFlowError): Duration.Duration | undefined => {
  const seconds = error._tag === "RateLimitError" || error._tag === "ApiError" ? error.retryAfter : undefined
  return seconds === undefined ? undefined : Duration.min(Duration.seconds(seconds), MAX_RETRY_AFTER)
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** Retries after the first attempt (default 2). `0` means exactly one attempt. */
  readonly maxRetries?: number | undefined
  /** The first backoff delay (default 500 ms); each retry doubles it, with jitter. */
  readonly initialDelay?: Duration.DurationInput | undefined
  /** The longest backoff delay (default 8 s). `Retry-After` may ask for longer, up to 60 s. */
  readonly maxDelay?: Duration.DurationInput | undefined
}

/**
 * Exponential backoff with jitter, capped: the delays of the default policy, without any
 * condition or limit, for composing your own.
 *
 * @since 0.1.0
 * @category Schedules
 */
export const backoff = (options?: Pick<Options, "initialDelay" | "maxDelay">): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.decode(options?.maxDelay ?? "8 seconds")
  return Schedule.exponential(options?.initialDelay ?? "500 millis", 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, cap))
  )
}

/**
 * The client's retry policy: retries {@link isRetryable} errors at most `maxRetries` times with
 * {@link backoff}, waiting at least the server's `Retry-After` when it sent one.
 *
 * @since 0.1.0
 * @category Schedules
 */
export const make = (options?: Options): Policy => {
  const maxRetries = Math.max(0, Math.floor(options?.maxRetries ?? DEFAULT_MAX_RETRIES))
  return Schedule.recurWhile<PaymentFlowError>(isRetryable).pipe(
    Schedule.intersect(Schedule.recurs(maxRetries)),
    Schedule.intersect(backoff(options)),
    Schedule.modifyDelay(([[error]], delay) => {
      const wait = retryAfter(error)
      return wait !== undefined && Duration.greaterThan(wait, delay) ? wait : delay
    })
  )
}

/**
 * The default policy: {@link make} with 2 retries.
 *
 * @since 0.1.0
 * @category Schedules
 */
export const schedule: Policy = /*#__PURE__*/ make()

/**
 * Never retries: exactly one attempt.
 *
 * @since 0.1.0
 * @category Schedules
 */
export const none: Policy = /*#__PURE__*/ Schedule.stop
