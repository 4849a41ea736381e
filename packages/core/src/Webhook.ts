/**
 * (Over 300 lines: the Effect, synchronous and Promise verifiers — and their test-header twins —
 * are three entry points over one parse-check-decode pipeline, kept together so they cannot drift;
 * the pipeline's parts are in `internal/webhook{Header,Hex,Decode,Event}.ts` and `Hmac.ts`.)
 *
 * Webhook verification: check the `PaymentFlow-Signature` header on the raw body, then decode
 * the body into an {@link Event}.
 *
 * The signature is checked on the exact bytes received, before anything is parsed. Scheme:
 * `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, `<hex>` the lowercase hex HMAC-SHA256 of
 * `<t>.<raw body>` keyed with the whole `whsec_…` secret (UTF-8); one matching `v1` suffices
 * (secret rotation), other schemes are ignored, and the timestamp must be within `tolerance`
 * seconds (default 300) of the clock, in either direction.
 *
 * Three ways in, one verifier:
 * - {@link constructEvent}: an Effect, using the {@link Hmac} service (Web Crypto unless
 *   provided) and Effect's `Clock` (so `TestClock` drives it).
 * - {@link constructEventSync}: a plain function for a synchronous HMAC (node:crypto), throwing
 *   the typed errors — what the Node facade calls.
 * - {@link constructEventPromise}: a Promise, Web Crypto by default — what the browser facade calls.
 *
 * Why one file of ~400 lines: it is one public namespace (`Webhook.*`), and about half of it is
 * the JSDoc of that surface. What can live apart already does (`internal/`: header parsing,
 * constant-time hex, the signed payload, event decoding); what stays is the surface itself — its
 * errors and option types, the verifier's two halves (`begin`/`finish`, shared by the three
 * entry points above, so they cannot drift) and the test-header generators that sign the same
 * way. Splitting that surface would mean re-exporting the error classes across modules.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type { Event } from "./Event.js"
import { constantTimeEqual, Hmac, type HmacService, type SyncHmacService, webCrypto } from "./Hmac.js"
import { formatHeader, HEADER as SIGNATURE_HEADER, signedPayload } from "./internal/signature.js"
import { decodeEvent } from "./internal/webhookEvent.js"
import { isHeaderFailure, parseHeader, type ParsedHeader } from "./internal/webhookHeader.js"

/**
 * The name of the signature header, as sent (`PaymentFlow-Signature`). Node lowercases incoming
 * header names: read `req.headers["paymentflow-signature"]`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const HEADER: string = SIGNATURE_HEADER

/**
 * The default tolerance, in seconds, between the header's timestamp and the clock.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_TOLERANCE = 300

/**
 * @since 0.1.0
 * @category Errors
 */
export type SignatureErrorCode = "missing_header" | "malformed_header" | "no_matching_signature" | "timestamp_out_of_tolerance"

/**
 * The signature header does not prove the body came from PaymentFlow (answer 401 or 400 and
 * do not process it):
 * - `missing_header`: no (or a blank) `PaymentFlow-Signature` header;
 * - `malformed_header`: no `t=`, a bad or repeated `t=`, an entry that is not `key=value`, or a
 *   header over 8 KB or 32 entries;
 * - `no_matching_signature`: no `v1` signature matches the body with this secret (wrong
 *   secret, altered body, or no usable `v1`);
 * - `timestamp_out_of_tolerance`: the signature matches but `t` is too far from the clock
 *   (a replay, or a skewed clock). `timestamp` is the header's `t`.
 *
 * @since 0.1.0
 * @category Errors
 */
export class SignatureVerificationError extends Data.TaggedError("SignatureVerificationError")<{
  readonly code: SignatureErrorCode
  readonly message: string
  /** The header's `t`, when it had one. */
  readonly timestamp?: number | undefined
}> {}

/**
 * @since 0.1.0
 * @category Errors
 */
export type PayloadErrorCode = "invalid_utf8" | "invalid_json" | "unknown_event_type" | "invalid_event"

/**
 * The body is correctly signed but is not an event this SDK knows: not UTF-8, not JSON, an
 * unknown `type` (`unknown_event_type`: a newer API version), or an event that does not match
 * its schema (`invalid_event`, with the wire `field`).
 *
 * @since 0.1.0
 * @category Errors
 */
export class WebhookPayloadError extends Data.TaggedError("WebhookPayloadError")<{
  readonly code: PayloadErrorCode
  readonly message: string
  /** The wire path of the offending field (`data.amount`), for `invalid_event`. */
  readonly field?: string | undefined
  /** The event's `type`, when it had a string one. */
  readonly eventType?: string | undefined
  /** The event's `id`, when it had a string one. */
  readonly eventId?: string | undefined
  readonly cause?: unknown
}> {}

/**
 * @since 0.1.0
 * @category Errors
 */
export type WebhookError = SignatureVerificationError | WebhookPayloadError

/**
 * The raw request body, exactly as received: a string, or the bytes (`Buffer` is a `Uint8Array`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Payload = string | Uint8Array

/**
 * The signature header's value. Repeated headers (an array) are joined with `,`.
 *
 * @since 0.1.0
 * @category Models
 */
export type SignatureHeader = string | ReadonlyArray<string> | null | undefined

/**
 * The endpoint's `whsec_…` secret, as a string or `Redacted`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Secret = string | Redacted.Redacted<string>

/**
 * @since 0.1.0
 * @category Models
 */
export interface VerifyOptions {
  /** Seconds either side of the clock the header's `t` may be. Default 300. */
  readonly tolerance?: number | undefined
  /**
   * The current time in epoch milliseconds (like `Date.now`). Default: Effect's `Clock` in
   * {@link constructEvent}, `Date.now` in the sync and Promise functions.
   */
  readonly now?: (() => number) | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface SyncVerifyOptions extends VerifyOptions {
  /** A synchronous HMAC, e.g. `NodeHmac.hmac` from `@paymentflow/node`. */
  readonly hmac: SyncHmacService
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface PromiseVerifyOptions extends VerifyOptions {
  /** The HMAC to use. Default: Web Crypto. A service with `signSync` verifies synchronously. */
  readonly hmac?: HmacService | undefined
}

// ---------------------------------------------------------------------------------------------
// The verifier, in two halves around the HMAC so the same code serves the sync and async paths.
// ---------------------------------------------------------------------------------------------

interface Begun {
  readonly header: ParsedHeader
  readonly key: string
  /** `<t>.<raw body>`, the bytes the sender signed. */
  readonly signed: Payload
}

const encoder = new TextEncoder()

const secretOf = (secret: Secret): string => (Redacted.isRedacted(secret) ? Redacted.value(secret) : secret)

/** `<t>.` then the body, as bytes when the body is bytes, so exactly those bytes are signed. */
const signedData = (timestamp: number, payload: Payload): Payload => {
  if (typeof payload === "string") return signedPayload(timestamp, payload)
  const prefix = encoder.encode(signedPayload(timestamp, ""))
  const out = new Uint8Array(prefix.length + payload.length)
  out.set(prefix, 0)
  out.set(payload, prefix.length)
  return out
}

const begin = (payload: Payload, header: SignatureHeader, secret: Secret): Either.Either<Begun, SignatureVerificationError> => {
  const parsed = parseHeader(header)
  if (isHeaderFailure(parsed)) return Either.left(new SignatureVerificationError(parsed))
  const key = secretOf(secret)
  if (key === "") {
    return Either.left(
      new SignatureVerificationError({ code: "no_matching_signature", message: "The webhook secret is empty", timestamp: parsed.timestamp })
    )
  }
  return Either.right({ header: parsed, key, signed: signedData(parsed.timestamp, payload) })
}

const toleranceOf = (options: VerifyOptions | undefined): number => {
  const t = options?.tolerance
  // NaN or a negative number would disable or break the check: fall back to the default.
  return typeof t === "number" && t >= 0 ? t : DEFAULT_TOLERANCE
}

const finish = (
  begun: Begun,
  expected: string,
  nowMillis: number,
  tolerance: number,
  payload: Payload
): Either.Either<Event, WebhookError> => {
  const { signatures, timestamp } = begun.header
  let match = false
  for (const candidate of signatures) {
    if (constantTimeEqual(candidate, expected)) {
      match = true
      break
    }
  }
  if (!match) {
    return Either.left(
      new SignatureVerificationError({
        code: "no_matching_signature",
        message: "No signature in the PaymentFlow-Signature header matches the body with this secret",
        timestamp
      })
    )
  }
  const now = Math.floor(nowMillis / 1000)
  if (Math.abs(now - timestamp) > tolerance) {
    return Either.left(
      new SignatureVerificationError({
        code: "timestamp_out_of_tolerance",
        message: `The signature timestamp is ${now - timestamp} s from the clock (tolerance ${tolerance} s)`,
        timestamp
      })
    )
  }
  const event = decodeEvent(payload)
  return Either.isRight(event) ? Either.right(event.right) : Either.left(new WebhookPayloadError(event.left))
}

/**
 * The whole verification as one synchronous function, for a synchronous HMAC.
 *
 * @since 0.1.0
 * @category Verification
 */
export const verifySync = (
  payload: Payload,
  header: SignatureHeader,
  secret: Secret,
  options: SyncVerifyOptions
): Either.Either<Event, WebhookError> => {
  const begun = begin(payload, header, secret)
  if (Either.isLeft(begun)) return Either.left(begun.left)
  const expected = options.hmac.signSync(begun.right.key, begun.right.signed)
  const now = options.now ? options.now() : Date.now()
  return finish(begun.right, expected, now, toleranceOf(options), payload)
}

/**
 * Verifies `signatureHeader` on the raw `payload` with `secret`, then decodes the event.
 * Uses the {@link Hmac} service (Web Crypto unless provided; synchronous when the service has
 * `signSync`) and Effect's `Clock` unless `options.now` is given.
 *
 * @example
 * ```ts
 * import { Webhook } from "@paymentflow/core"
 * import { Effect, Redacted } from "effect"
 *
 * const secret = Redacted.make(process.env.PAYMENTFLOW_WEBHOOK_SECRET ?? "whsec_0123456789abcdef")
 *
 * // rawBody: the exact bytes received; header: the `PaymentFlow-Signature` request header
 * const verify = (rawBody: Uint8Array | string, header: string | undefined) =>
 *   Webhook.constructEvent(rawBody, header, secret).pipe(
 *     Effect.tap((event) => Effect.log(`${event.type} ${event.id}`))
 *   )
 *
 * // an unsigned body is refused before it is parsed
 * Effect.runPromise(Effect.flip(verify("{}", undefined))).then((error) => {
 *   console.log(error._tag, error.code) // SignatureVerificationError missing_header
 * })
 * ```
 *
 * @since 0.1.0
 * @category Verification
 */
export const constructEvent = (
  payload: Payload,
  signatureHeader: SignatureHeader,
  secret: Secret,
  options?: VerifyOptions
): Effect.Effect<Event, WebhookError> =>
  Effect.flatMap(Hmac, (hmac) => {
    const begun = begin(payload, signatureHeader, secret)
    if (Either.isLeft(begun)) return Effect.fail(begun.left)
    const tolerance = toleranceOf(options)
    const now = options?.now ? Effect.sync(options.now) : Clock.currentTimeMillis
    const { key, signed } = begun.right
    const signSync = hmac.signSync
    return signSync
      ? Effect.flatMap(now, (millis) => finish(begun.right, signSync(key, signed), millis, tolerance, payload))
      : Effect.flatMap(
        Effect.zip(hmac.sign(key, signed), now),
        ([expected, millis]) => finish(begun.right, expected, millis, tolerance, payload)
      )
  })

/**
 * {@link constructEvent} as a plain synchronous function: returns the event or throws a
 * {@link SignatureVerificationError} or {@link WebhookPayloadError}. Needs a synchronous HMAC;
 * the Node facade passes `NodeHmac.hmac`.
 *
 * @since 0.1.0
 * @category Verification
 */
export const constructEventSync = (
  payload: Payload,
  signatureHeader: SignatureHeader,
  secret: Secret,
  options: SyncVerifyOptions
): Event => {
  const result = verifySync(payload, signatureHeader, secret, options)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

/**
 * {@link constructEvent} as a Promise: resolves with the event or rejects with a
 * {@link SignatureVerificationError} or {@link WebhookPayloadError} (the error itself, so
 * `err._tag` and `err.code` can be read). Web Crypto unless `options.hmac` is given.
 *
 * @since 0.1.0
 * @category Verification
 */
export const constructEventPromise = async (
  payload: Payload,
  signatureHeader: SignatureHeader,
  secret: Secret,
  options?: PromiseVerifyOptions
): Promise<Event> => {
  const hmac = options?.hmac ?? webCrypto
  const signSync = hmac.signSync
  if (signSync) return constructEventSync(payload, signatureHeader, secret, { ...options, hmac: { ...hmac, signSync } })
  const begun = begin(payload, signatureHeader, secret)
  if (Either.isLeft(begun)) throw begun.left
  const expected = await (hmac.signPromise
    ? hmac.signPromise(begun.right.key, begun.right.signed)
    : Effect.runPromise(hmac.sign(begun.right.key, begun.right.signed)))
  const now = options?.now ? options.now() : Date.now()
  const result = finish(begun.right, expected, now, toleranceOf(options), payload)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

// ---------------------------------------------------------------------------------------------
// Test headers
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category Models
 */
export interface TestHeaderOptions {
  /** The body exactly as it will be sent. */
  readonly payload: Payload
  readonly secret: Secret
  /** Unix seconds. Default: the clock. */
  readonly timestamp?: number | undefined
}

const checkTimestamp = (timestamp: number): number => {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError("timestamp must be a non-negative integer of Unix seconds")
  return timestamp
}

/**
 * A valid `PaymentFlow-Signature` header for `payload`, for your own tests: what PaymentFlow
 * would send. Uses the {@link Hmac} service and Effect's `Clock` for the default timestamp.
 *
 * @since 0.1.0
 * @category Testing
 */
export const generateTestHeader = (options: TestHeaderOptions): Effect.Effect<string> =>
  Effect.gen(function*() {
    const hmac = yield* Hmac
    // read the clock on its own line: a `yield*` inside `??` breaks the CommonJS build
    const now = yield* Clock.currentTimeMillis
    const timestamp = options.timestamp ?? Math.floor(now / 1000)
    yield* Effect.sync(() => checkTimestamp(timestamp))
    const signature = yield* hmac.sign(secretOf(options.secret), signedData(timestamp, options.payload))
    return formatHeader(timestamp, [signature])
  })

/**
 * {@link generateTestHeader} as a plain function, for a synchronous HMAC.
 *
 * @since 0.1.0
 * @category Testing
 */
export const generateTestHeaderSync = (options: TestHeaderOptions & { readonly hmac: SyncHmacService }): string => {
  const timestamp = checkTimestamp(options.timestamp ?? Math.floor(Date.now() / 1000))
  return formatHeader(timestamp, [options.hmac.signSync(secretOf(options.secret), signedData(timestamp, options.payload))])
}

/**
 * {@link generateTestHeader} as a Promise; Web Crypto unless `hmac` is given.
 *
 * @since 0.1.0
 * @category Testing
 */
export const generateTestHeaderPromise = async (
  options: TestHeaderOptions & { readonly hmac?: HmacService | undefined }
): Promise<string> => {
  const timestamp = checkTimestamp(options.timestamp ?? Math.floor(Date.now() / 1000))
  const hmac = options.hmac ?? webCrypto
  const signature = await Effect.runPromise(hmac.sign(secretOf(options.secret), signedData(timestamp, options.payload)))
  return formatHeader(timestamp, [signature])
}
