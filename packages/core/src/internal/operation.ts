/**
 * One operation from one row of the endpoint table. Everything that can be computed once per row
 * (codecs, path pieces, allowed error classes, span attributes, headers) is computed in
 * {@link makeOperation}; a call encodes its arguments, builds one transport request (the same for
 * every attempt: one idempotency key) and runs the attempts under the retry policy, the rate
 * limiter, the per-attempt log line and the operation's span.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import type * as Tracer from "effect/Tracer"
import * as Endpoint from "../Endpoint.js"
import { AuthenticationError, type ErrorTag, type PaymentFlowError, withAttempts } from "../Errors.js"
import { HEADERS } from "../Headers.js"
import type * as Retry from "../Retry.js"
import type * as Transport from "../Transport.js"
import type { ClientContext } from "./context.js"
import { makeEncoder } from "./request.js"
import {
  currentMetadataCell,
  makeInterpret,
  type MetadataCell,
  requestIdOf,
  scrubber,
  transportFailure
} from "./response.js"
import { policyOf, retrying } from "./retry.js"

/**
 * The annotation every attempt's log line carries (`true`), so a logger can pick the SDK's lines
 * out (the Promise client's `logger` option does).
 */
export const LOG_MARKER = "paymentflow.attempt"

/** A table-interpreted operation, untyped: the public types are laid over it in `PaymentFlow.ts`. */
export type AnyOperation = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, PaymentFlowError>

/**
 * What one call has seen so far: the attempt count and the last response's status and request id
 * (for the span and the log line).
 */
interface CallState {
  attempts: number
  status: number | undefined
  requestId: string | undefined
  /** When the current attempt began (the clock's millis), for the log line's duration. */
  startedAt: number
}

/** A timeout as the transport takes it: milliseconds, `Infinity` for none. */
const millisOf = (timeout: Duration.Duration): number =>
  Duration.isFinite(timeout) ? Duration.toMillis(timeout) : Number.POSITIVE_INFINITY

/**
 * Builds one operation from one row of the table. The returned function takes
 * `(id?, params?, options?)` in the order the row implies; with `byClientSecret` (the browser's
 * client, on a row whose access is `{ publishable: "with_client_secret" }`) the object's client
 * secret in place of the id.
 */
export const makeOperation = (ctx: ClientContext, endpoint: Endpoint.Any, byClientSecret = false): AnyOperation => {
  const operation = `${endpoint.group}.${endpoint.name}`
  const spanName = `PaymentFlow.${operation}`
  const method = endpoint.method
  const allowed: ReadonlySet<ErrorTag> = new Set<ErrorTag>(Endpoint.errorsOf(endpoint))
  const scrub = scrubber(ctx.rawKey, ctx.maskedKey)
  const pathPrefix = ctx.baseUrl.slice(ctx.origin.length)
  const encode = makeEncoder(endpoint, pathPrefix, byClientSecret)
  const interpret = makeInterpret(spanName, endpoint.success, allowed, scrub)
  const transport = ctx.transport
  const origin = ctx.origin
  const defaultTimeoutMs = millisOf(ctx.timeout)
  const headers: Readonly<Record<string, string>> = method !== "GET" && method !== "DELETE"
    ? { ...ctx.headers, "content-type": "application/json" }
    : { ...ctx.headers }
  const spanOptions: Tracer.SpanOptions = {
    kind: "client",
    captureStackTrace: false,
    attributes: { "http.request.method": method, "url.path": endpoint.path, "paymentflow.operation": operation }
  }
  const refusal = ctx.refusal ?? (ctx.publishable && endpoint.access === "secret"
    ? new AuthenticationError({
      code: "permission_denied",
      message: `${spanName} needs a secret key (sk_); ${ctx.maskedKey} is a publishable key`
    })
    : undefined)
  const refused = refusal === undefined ? undefined : Effect.fail(refusal)

  /** The attempts of one call under its policy, its limiter, its log line and its span. */
  const run = (
    request: Transport.Request,
    shownPath: string,
    timeout: Duration.Duration,
    policy: Retry.Policy | undefined,
    log: boolean,
    cell: MetadataCell | undefined,
    span: Tracer.Span | undefined
  ): Effect.Effect<unknown, PaymentFlowError> => {
    const state: CallState = { attempts: 0, status: undefined, requestId: undefined, startedAt: 0 }
    const received = (status: number, requestId: string | undefined): void => {
      state.status = status
      state.requestId = requestId
      if (span !== undefined) {
        span.attribute("http.response.status_code", status)
        if (requestId !== undefined) span.attribute("paymentflow.request_id", requestId)
      }
    }
    const send = Effect.suspend(() => {
      state.attempts++
      span?.attribute("paymentflow.attempts", state.attempts)
      return transport.send(request)
    })
    // Each failure carries the attempts so far: the one the call ends with carries them all.
    let attempt: Effect.Effect<unknown, PaymentFlowError> = Effect.matchEffect(send, {
      onFailure: (error) => {
        if (error.status !== undefined) received(error.status, requestIdOf(error.headers, scrub))
        return Effect.fail(withAttempts(transportFailure(error, timeout, scrub), state.attempts))
      },
      onSuccess: (response) => {
        received(response.status, requestIdOf(response.headers, scrub))
        if (cell !== undefined) {
          cell.response = response
          cell.attempts = state.attempts
        }
        const result = interpret(response)
        return Either.isRight(result)
          ? Effect.succeed(result.right)
          : Effect.fail(withAttempts(result.left, state.attempts))
      }
    })
    if (log) {
      // the path as it may be shown: a client secret in the query is masked
      const path = shownPath.slice(pathPrefix.length)
      attempt = Clock.currentTimeMillis.pipe(
        Effect.tap((now) => void (state.startedAt = now)),
        Effect.zipRight(attempt),
        Effect.onExit(() =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => {
            const line = Effect.logWithLevel(
              ctx.logLevel,
              `PaymentFlow ${method} ${path} -> ${state.status ?? "no response"} ` +
                `(request ${state.requestId ?? "-"}, attempt ${state.attempts}, key ${ctx.maskedKey})`
            ).pipe(Effect.annotateLogs({
              [LOG_MARKER]: true,
              method,
              path,
              status: state.status ?? null,
              requestId: state.requestId ?? null,
              attempt: state.attempts,
              durationMs: now - state.startedAt,
              apiKey: ctx.maskedKey
            }))
            return span === undefined || ctx.nestsSpans ? line : Effect.withParentSpan(line, span)
          })
        )
      )
    }
    const retried = retrying(ctx.limiter ? ctx.limiter(attempt) : attempt, policy)
    // Where spans may open inside an attempt (a `transformClient`, a transport of yours, the
    // in-process sandbox), everything the traced call runs nests under its span; elsewhere
    // (undici) only the log line needs it (above), and the per-call context copy is skipped.
    return span !== undefined && ctx.nestsSpans ? Effect.withParentSpan(retried, span) : retried
  }

  return (...args: ReadonlyArray<unknown>): Effect.Effect<unknown, PaymentFlowError> => {
    if (refused !== undefined) return refused
    const encoded = encode(args)
    if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
    const { body, idempotencyKey, options, path, shownPath } = encoded.right
    const timeout = encoded.right.timeout ?? ctx.timeout
    const policy = policyOf(options, ctx.retry)
    const timeoutMs = timeout === ctx.timeout ? defaultTimeoutMs : millisOf(timeout)
    // a URL that carries a secret is not recorded by the transport's own span (see `Transport.Request.shownPath`),
    // so the operation's span is the one named in `traceparent`/`b3`
    const opensSpans = transport.opensSpans && shownPath === path
    // One request for every attempt of the call (one idempotency key); its headers copied once.
    const request = (trace: Readonly<Record<string, string>> | undefined): Transport.Request => {
      let sent = headers
      if (idempotencyKey !== undefined || trace !== undefined) {
        const copy: Record<string, string> = Object.assign({}, headers)
        if (idempotencyKey !== undefined) copy[HEADERS.idempotencyKey.key] = idempotencyKey
        sent = trace === undefined ? copy : Object.assign(copy, trace)
      }
      return shownPath === path
        ? { method, origin, path, headers: sent, body, timeoutMs }
        : { method, origin, path, shownPath, headers: sent, body, timeoutMs }
    }

    return Effect.withFiberRuntime<unknown, PaymentFlowError>((fiber) => {
      const log = !LogLevel.greaterThan(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), ctx.logLevel)
      const cell = fiber.getFiberRef(currentMetadataCell)
      // Tracing off: no span at all (not even a no-op one).
      if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) {
        return run(request(undefined), shownPath, timeout, policy, log, cell, undefined)
      }
      const propagate = !opensSpans && fiber.getFiberRef(HttpClient.currentTracerPropagation)
      return Effect.useSpan(spanName, spanOptions, (span) =>
        // A transport that opens no span names the operation's span in `traceparent`/`b3`.
        run(
          request(propagate ? HttpTraceContext.toHeaders(span) : undefined),
          shownPath,
          timeout,
          policy,
          log,
          cell,
          span
        ))
    })
  }
}
