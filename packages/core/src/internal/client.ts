/**
 * The interpreter of the endpoint table on `HttpClient`. Everything that can be computed once
 * per endpoint (codecs, path pieces, allowed error classes, span attributes) is computed in
 * `makeOperation`; the per-call path only validates, builds one request and reads one body.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as HashMap from "effect/HashMap"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as RateLimiter from "effect/RateLimiter"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as ApiKey from "../ApiKey.js"
import { classOfStatus, ErrorBody } from "../ErrorBody.js"
import * as Endpoint from "../Endpoint.js"
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  type ErrorTag,
  NetworkError,
  NotFoundError,
  type PaymentFlowError,
  RateLimitError,
  ValidationError
} from "../Errors.js"
import { API_VERSION, IdempotencyKey } from "../Fields.js"
import * as Retry from "../Retry.js"
import * as Rule from "../Rule.js"
import { VERSION } from "./version.js"

/** Default base URLs of the two environments. */
export const BASE_URLS = {
  production: "https://api.paymentflow.com",
  sandbox: "https://sandbox.api.paymentflow.com"
} as const

/** The options the interpreter needs (the public `PaymentFlow.Options` is a superset). */
/** The client's options and the per-call options are the public ones (one definition). */
export type { Options as ClientOptions, RequestOptions as CallOptions } from "../PaymentFlow.js"
import type { Options as ClientOptions, RequestOptions as CallOptions } from "../PaymentFlow.js"
import { type DirectRequest, type DirectSend, DirectSendKey } from "../DirectSend.js"

/** What every operation of one client shares. */
export interface ClientContext {
  readonly client: HttpClient.HttpClient
  readonly baseUrl: string
  readonly headers: Headers.Headers
  readonly rawKey: string
  readonly maskedKey: string
  /** Why no request may be sent at all (bad key, environment mismatch, insecure base URL). */
  readonly refusal: AuthenticationError | undefined
  readonly publishable: boolean
  readonly timeout: Duration.Duration
  readonly retry: Retry.Policy | undefined
  readonly limiter: RateLimiter.RateLimiter | undefined
}

/** A table-interpreted operation, untyped: the public types are laid over it in `PaymentFlow.ts`. */
export type AnyOperation = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, PaymentFlowError>

const isDirectSend = (value: unknown): value is DirectSend => typeof value === "function"

const directSendOf = (client: HttpClient.HttpClient): DirectSend | undefined => {
  const candidate: unknown = Reflect.get(client, DirectSendKey)
  return isDirectSend(candidate) ? candidate : undefined
}

const detectRuntime = (): string => {
  const g: Record<string, unknown> = globalThis
  const proc = g["process"]
  if (typeof proc === "object" && proc !== null && "versions" in proc) {
    const versions = proc.versions
    if (typeof versions === "object" && versions !== null) {
      if ("bun" in versions && typeof versions.bun === "string") return `bun ${versions.bun}`
      if ("node" in versions && typeof versions.node === "string") return `node ${versions.node}`
    }
  }
  if ("Deno" in g) return "deno"
  if ("document" in g) return "browser"
  return "unknown"
}

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/**
 * Parses a base URL override. A non-https URL is refused unless its host is loopback: the key
 * would otherwise travel in clear text. The refusal is an `AuthenticationError` on every
 * operation (it protects the key, and every operation's error channel has that class), rather
 * than a defect at construction, so a bad `PAYMENTFLOW_BASE_URL` never crashes a process.
 */
export const parseBaseUrl = (raw: string): Either.Either<string, AuthenticationError> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Either.left(new AuthenticationError({ code: "base_url_invalid", message: `The base URL is not a valid URL` }))
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return Either.left(
      new AuthenticationError({
        code: "insecure_base_url",
        message: `Refusing to send the API key to ${url.protocol}//${url.host}: the base URL must be https unless its host is loopback`
      })
    )
  }
  return Either.right(url.origin + url.pathname.replace(/\/+$/, ""))
}

/** Builds what every operation of one client shares. */
export const makeContext = (options: ClientOptions): Effect.Effect<ClientContext, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const client = options.transformClient ? options.transformClient(base) : base
    const rawKey = ApiKey.value(options.apiKey)
    const maskedKey = ApiKey.maskApiKey(rawKey)
    const parsed = ApiKey.parse(rawKey)
    const environment = options.environment ?? parsed?.environment ?? "sandbox"
    let refusal: AuthenticationError | undefined
    let baseUrl: string = BASE_URLS[environment]
    if (parsed === undefined) {
      refusal = new AuthenticationError({
        code: rawKey === "" ? "api_key_missing" : "api_key_invalid",
        message: rawKey === ""
          ? "No API key was given"
          : `The API key ${maskedKey} is malformed: expected pk_ or sk_, then live_ or test_, then at least 16 letters or digits`
      })
    } else if (parsed.environment !== environment) {
      refusal = new AuthenticationError({
        code: "api_key_environment_mismatch",
        message: `The API key ${maskedKey} is a ${parsed.environment} key, but the client is configured for ${environment}`
      })
    }
    if (options.baseUrl !== undefined) {
      const result = parseBaseUrl(options.baseUrl)
      if (Either.isLeft(result)) refusal ??= result.left
      else baseUrl = result.right
    }
    const limiter = options.rateLimit
      ? yield* RateLimiter.make({ limit: options.rateLimit.limit, interval: options.rateLimit.interval })
      : undefined
    const headers = Headers.fromInput({
      authorization: `Bearer ${rawKey}`,
      "paymentflow-version": API_VERSION,
      "paymentflow-client": options.userAgent ?? `paymentflow-typescript/${VERSION} (${detectRuntime()})`,
      accept: "application/json"
    })
    const retry = options.retry ?? (options.maxRetries === undefined
      ? Retry.schedule
      : options.maxRetries <= 0
      ? undefined
      : Retry.make({ maxRetries: options.maxRetries }))
    return {
      client,
      baseUrl,
      headers,
      rawKey,
      maskedKey,
      refusal,
      publishable: parsed?.kind === "publishable",
      timeout: Duration.decode(options.timeout ?? "30 seconds"),
      retry,
      limiter
    }
  })

const decodeErrorBody = Schema.decodeUnknownEither(ErrorBody)
const validateIdempotencyKey = Schema.validateEither(IdempotencyKey)

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


const headerValue = (value: string | ReadonlyArray<string> | undefined): string | undefined =>
  value === undefined || typeof value === "string" ? value : value[0]

const generateIdempotencyKey = (): string => `pf_${globalThis.crypto.randomUUID()}`

interface CallState {
  attempts: number
  status: number | undefined
  requestId: string | undefined
  span: Tracer.Span | undefined
}

const describeCause = (error: HttpClientError.HttpClientError): string => {
  const cause: unknown = error.cause
  const detail = cause instanceof Error ? cause.message : cause === undefined ? error.reason : String(cause)
  return detail
}

const bigint0 = BigInt(0)

/** The nearest parent span whose context does not disable propagation (as `Effect.withSpan`). */
const parentOf = (span: Option.Option<Tracer.AnySpan>): Option.Option<Tracer.AnySpan> => {
  let current = span
  while (current._tag === "Some" && Context.get(current.value.context, Tracer.DisablePropagation)) {
    current = current.value._tag === "Span" ? current.value.parent : Option.none()
  }
  return current
}

/**
 * Opens a client span on the fiber as `Effect.useSpan` does (tracer, parent, annotations and
 * links from the fiber, the clock's time), for a fiber whose tracer is enabled, without its
 * `fiber.getFiberRefs()`, which copies the fiber's whole FiberRefs map on every span.
 */
const startSpan = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  name: string,
  options: Tracer.SpanOptions & { readonly kind: Tracer.SpanKind; readonly attributes: Readonly<Record<string, unknown>> }
): { readonly span: Tracer.Span; readonly end: (exit: Exit.Exit<unknown, unknown>) => void } => {
  const services = fiber.currentDefaultServices
  const clock = Context.get(services, Clock.Clock)
  const timing = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
  const links = Chunk.toReadonlyArray(fiber.getFiberRef(FiberRef.currentTracerSpanLinks))
  const span = fiber.currentTracer.span(
    name,
    parentOf(Context.getOption(fiber.currentContext, Tracer.ParentSpan)),
    Context.empty(),
    links,
    timing ? clock.unsafeCurrentTimeNanos() : bigint0,
    options.kind,
    options
  )
  const annotations = fiber.getFiberRef(FiberRef.currentTracerSpanAnnotations)
  if (HashMap.size(annotations) > 0) HashMap.forEach(annotations, (value, key) => span.attribute(key, value))
  for (const key in options.attributes) span.attribute(key, options.attributes[key])
  return { span, end: (exit) => span.end(timing ? clock.unsafeCurrentTimeNanos() : bigint0, exit) }
}

/**
 * Builds one operation from one row of the table. The returned function takes
 * `(id?, params?, options?)` in the order the row implies.
 */
export const makeOperation = (ctx: ClientContext, endpoint: Endpoint.Any): AnyOperation => {
  const spanName = `PaymentFlow.${endpoint.group}.${endpoint.name}`
  const allowed: ReadonlySet<ErrorTag> = new Set<ErrorTag>([...endpoint.errors, ...Endpoint.COMMON_ERRORS])
  const idempotent = Endpoint.isIdempotent(endpoint)
  const inQuery = Endpoint.paramsInQuery(endpoint)
  const pathParts = endpoint.path.split(":id")
  const prefix = ctx.baseUrl + (pathParts[0] ?? "")
  const suffix = pathParts[1] ?? ""
  const method = endpoint.method
  const encodeId = endpoint.id ? Schema.encodeUnknownEither(endpoint.id) : undefined
  const encodeParams = endpoint.params
    ? Schema.encodeUnknownEither(endpoint.params, { onExcessProperty: "error", errors: "first" })
    : undefined
  const decodeSuccess = Schema.decodeUnknownEither(endpoint.success)
  const spanOptions = {
    kind: "client" as const,
    captureStackTrace: false,
    attributes: { "http.request.method": method, "url.path": endpoint.path, "paymentflow.operation": `${endpoint.group}.${endpoint.name}` }
  }
  const refusal = ctx.refusal ?? (ctx.publishable && endpoint.access === "secret"
    ? new AuthenticationError({
      code: "permission_denied",
      message: `${spanName} needs a secret key (sk_); ${ctx.maskedKey} is a publishable key`
    })
    : undefined)
  const refused = refusal === undefined ? undefined : Effect.fail(refusal)
  const invalid = (field: string | undefined, code: string, message: string): PaymentFlowError =>
    allowed.has("ValidationError")
      ? new ValidationError({ code, field, message })
      : new NotFoundError({ code: "resource_missing", message })

  const scrub = (message: string): string =>
    ctx.rawKey.length > 0 && message.includes(ctx.rawKey) ? message.split(ctx.rawKey).join(ctx.maskedKey) : message

  const toError = (status: number, text: string, retryAfterHeader: string | undefined, requestId: string | undefined): PaymentFlowError => {
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
    if (!allowed.has(tag)) return new ApiError({ ...common, retryAfter })
    switch (tag) {
      case "ValidationError":
        return new ValidationError({ ...common, field: e.field === undefined ? undefined : scrub(e.field) })
      case "AuthenticationError":
        return new AuthenticationError(common)
      case "NotFoundError":
        return new NotFoundError(common)
      case "ConflictError":
        return new ConflictError(common)
      case "RateLimitError":
        return new RateLimitError({ ...common, retryAfter })
      default:
        return new ApiError({ ...common, retryAfter })
    }
  }

  /** Records the response on the call and the span. */
  const received = (state: CallState, status: number, requestId: string | undefined): void => {
    state.status = status
    state.requestId = requestId
    if (state.span !== undefined) {
      state.span.attribute("http.response.status_code", status)
      if (requestId !== undefined) state.span.attribute("paymentflow.request_id", requestId)
    }
  }

  /** The result of one whole response body. */
  const interpret = (
    status: number,
    text: string,
    retryAfterHeader: string | undefined,
    requestId: string | undefined
  ): Effect.Effect<unknown, PaymentFlowError> => {
    if (status < 200 || status >= 300) return Effect.fail(toError(status, text, retryAfterHeader, requestId))
    const json = parseJson(text)
    const decoded = Either.isRight(json) ? decodeSuccess(json.right) : undefined
    if (decoded !== undefined && Either.isRight(decoded)) return Effect.succeed(decoded.right)
    return Effect.fail(
      new NetworkError({
        code: "invalid_response",
        message: decoded === undefined
          ? `HTTP ${status} response body is not JSON`
          : `HTTP ${status} response body is not a valid ${spanName} result: ${Rule.formatViolation(Rule.violation(decoded.left.issue))}`,
        statusCode: status,
        requestId,
        body: decoded === undefined ? "unparseable" : "unexpected_shape"
      })
    )
  }

  const handle = (state: CallState) => (response: HttpClientResponse.HttpClientResponse): Effect.Effect<unknown, PaymentFlowError> => {
    const status = response.status
    const requestId = response.headers["request-id"]
    received(state, status, requestId)
    return Effect.matchEffect(response.text, {
      onFailure: (error) =>
        Effect.fail(
          new NetworkError({
            code: "connection_failed",
            message: `The response body could not be read: ${describeCause(error)}`,
            statusCode: status,
            requestId
          })
        ),
      onSuccess: (text) => interpret(status, text, response.headers["retry-after"], requestId)
    })
  }

  const logAttempt = (state: CallState, url: string) =>
    Effect.logDebug(
      `PaymentFlow ${method} ${url.slice(ctx.baseUrl.length)} -> ${state.status ?? "no response"} ` +
        `(request ${state.requestId ?? "-"}, attempt ${state.attempts}, key ${ctx.maskedKey})`
    )

  const toNetworkError = (error: HttpClientError.HttpClientError): PaymentFlowError =>
    new NetworkError({ code: "connection_failed", message: scrub(`The request could not be sent: ${describeCause(error)}`) })

  const timeoutError = (timeout: Duration.Duration): PaymentFlowError =>
    new NetworkError({ code: "timeout", message: `No response within ${Duration.format(timeout)}` })

  // The direct path (see `DirectSend`): the origin and path prefix of the base URL, once.
  const direct = directSendOf(ctx.client)
  const origin = direct === undefined ? "" : new URL(ctx.baseUrl).origin
  const hasBody = method !== "GET" && method !== "DELETE"
  const directHeaders: Readonly<Record<string, string>> = hasBody
    ? { ...ctx.headers, "content-type": "application/json" }
    : { ...ctx.headers }

  /** One attempt on the direct path: one `Effect.async`, whose interruption aborts the request. */
  const directAttempt = (
    send: DirectSend,
    state: CallState,
    request: DirectRequest,
    timeout: Duration.Duration
  ): Effect.Effect<unknown, PaymentFlowError> =>
    Effect.async<unknown, PaymentFlowError>((resume) => {
      state.attempts++
      state.span?.attribute("paymentflow.attempts", state.attempts)
      const abort = send(request, {
        onResponse: (status, headers, text) => {
          const requestId = headerValue(headers["request-id"])
          received(state, status, requestId)
          resume(interpret(status, text, headerValue(headers["retry-after"]), requestId))
        },
        onError: (cause, timedOut) =>
          resume(Effect.fail(
            timedOut
              ? timeoutError(timeout)
              : new NetworkError({
                code: "connection_failed",
                message: scrub(`The request could not be sent: ${cause instanceof Error ? cause.message : String(cause)}`)
              })
          ))
      })
      return Effect.sync(abort)
    })

  return (...args: ReadonlyArray<unknown>): Effect.Effect<unknown, PaymentFlowError> => {
    if (refused !== undefined) return refused
    let index = 0
    let url = prefix
    if (encodeId !== undefined) {
      const id = args[index++]
      const encoded = encodeId(id)
      if (Either.isLeft(encoded)) {
        return Effect.fail(invalid("id", "parameter_invalid", `id: ${Rule.violation(encoded.left.issue).message}`))
      }
      url += encodeURIComponent(String(encoded.right)) + suffix
    }
    let json: string | undefined
    if (encodeParams !== undefined) {
      const params = args[index++] ?? {}
      const encoded = encodeParams(params)
      if (Either.isLeft(encoded)) {
        const v = Rule.violation(encoded.left.issue)
        return Effect.fail(invalid(v.field, v.code, Rule.formatViolation(v)))
      }
      if (inQuery) {
        const query = new URLSearchParams()
        const record: unknown = encoded.right
        if (typeof record === "object" && record !== null) {
          for (const [k, v] of Object.entries(record)) {
            if (v !== undefined) query.append(k, String(v))
          }
        }
        const qs = query.toString()
        if (qs !== "") url += `?${qs}`
      } else {
        json = JSON.stringify(encoded.right)
      }
    } else if (method === "POST") {
      json = "{}"
    }
    const lastArg = args[index]
    const options: CallOptions | undefined = typeof lastArg === "object" && lastArg !== null ? lastArg : undefined

    let idempotencyKey: string | undefined
    if (idempotent) {
      idempotencyKey = options?.idempotencyKey ?? generateIdempotencyKey()
      if (options?.idempotencyKey !== undefined && Either.isLeft(validateIdempotencyKey(idempotencyKey))) {
        return Effect.fail(invalid("idempotency_key", "parameter_invalid", "idempotency_key: must be 1 to 255 printable ASCII characters"))
      }
    }
    const timeout = options?.timeout !== undefined ? Duration.decode(options.timeout) : ctx.timeout
    const policy = options?.retry ??
      (options?.maxRetries !== undefined
        ? (options.maxRetries <= 0 ? undefined : Retry.make({ maxRetries: options.maxRetries }))
        : ctx.retry)
    const state: CallState = { attempts: 0, status: undefined, requestId: undefined, span: undefined }

    return Effect.withFiberRuntime<unknown, PaymentFlowError>((fiber) => {
      const debug = !LogLevel.greaterThan(fiber.getFiberRef(FiberRef.currentMinimumLogLevel), LogLevel.Debug)
      const traced = fiber.getFiberRef(FiberRef.currentTracerEnabled)

      let attempt: Effect.Effect<unknown, PaymentFlowError>
      let own: Record<string, string> | undefined
      if (direct !== undefined) {
        // One request object for every attempt (the same idempotency key on each retry).
        let headers = directHeaders
        if (idempotencyKey !== undefined || traced) {
          own = { ...directHeaders }
          if (idempotencyKey !== undefined) own["idempotency-key"] = idempotencyKey
          headers = own
        }
        const request: DirectRequest = {
          method,
          origin,
          path: url.slice(origin.length),
          headers,
          body: json,
          timeoutMs: Duration.isFinite(timeout) ? Duration.toMillis(timeout) : Number.POSITIVE_INFINITY
        }
        attempt = Effect.suspend(() => directAttempt(direct, state, request, timeout))
      } else {
        let headers = ctx.headers
        if (idempotencyKey !== undefined) headers = Headers.set(headers, "idempotency-key", idempotencyKey)
        const body = json === undefined ? undefined : HttpBody.text(json, "application/json")
        const request = method === "GET"
          ? HttpClientRequest.get(url, { headers })
          : HttpClientRequest.make(method)(url, body === undefined ? { headers } : { headers, body })
        const send = Effect.suspend(() => {
          state.attempts++
          state.span?.attribute("paymentflow.attempts", state.attempts)
          return Effect.mapError(ctx.client.execute(request), toNetworkError)
        }).pipe(Effect.flatMap(handle(state)))
        // Effect.timeout forks two fibers per attempt; `timeout: Duration.infinity` skips it.
        attempt = Duration.isFinite(timeout)
          ? Effect.timeoutFail(send, { duration: timeout, onTimeout: () => timeoutError(timeout) })
          : send
      }
      if (debug) {
        attempt = Effect.onExit(attempt, () => {
          const log = logAttempt(state, url)
          return state.span === undefined || direct === undefined ? log : Effect.withParentSpan(log, state.span)
        })
      }
      const limited = ctx.limiter ? ctx.limiter(attempt) : attempt
      // The schedule is only driven after a failure: the success path pays nothing for retries.
      const retried = policy === undefined ? limited : Effect.catchAll(limited, (error) => retryAfterFailure(limited, policy, error))
      // Tracing off: no span at all (not even a no-op one).
      if (!traced) return retried
      const { end, span } = startSpan(fiber, spanName, spanOptions)
      state.span = span
      let traced_: Effect.Effect<unknown, PaymentFlowError> = retried
      if (direct === undefined) traced_ = Effect.withParentSpan(retried, span)
      // The direct path opens no child span, so the operation's span needs not be the parent
      // of anything; it is what `traceparent`/`b3` name, unless propagation is turned off.
      else if (own !== undefined && fiber.getFiberRef(HttpClient.currentTracerPropagation)) {
        Object.assign(own, HttpTraceContext.toHeaders(span))
      }
      return Effect.onExit(traced_, (exit) => Effect.sync(() => end(exit)))
    })
  }
}

const retryAfterFailure = <A>(
  attempt: Effect.Effect<A, PaymentFlowError>,
  policy: Retry.Policy,
  first: PaymentFlowError
): Effect.Effect<A, PaymentFlowError> =>
  Effect.flatMap(Schedule.driver(policy), (driver) => {
    const loop = (error: PaymentFlowError): Effect.Effect<A, PaymentFlowError> =>
      Effect.matchEffect(driver.next(error), {
        onFailure: () => Effect.fail(error),
        onSuccess: () => Effect.catchAll(attempt, loop)
      })
    return loop(first)
  })

/** The `listAll` of a list operation: every page, fetched as the stream is pulled. */
export const makeListAll = (list: AnyOperation) =>
(params?: unknown, options?: CallOptions): Stream.Stream<unknown, PaymentFlowError> => {
  const base: Record<string, unknown> = typeof params === "object" && params !== null ? { ...params } : {}
  const first: unknown = base["startingAfter"]
  return Stream.paginateChunkEffect(first, (cursor) => {
    const page: Record<string, unknown> = { ...base }
    if (cursor === undefined) delete page["startingAfter"]
    else page["startingAfter"] = cursor
    return Effect.map(list(page, options), (result) => {
      const data = readPage(result)
      const last = data.items[data.items.length - 1]
      const next = data.hasMore && last !== undefined ? Option.some<unknown>(readId(last)) : Option.none()
      return [Chunk.unsafeFromArray(data.items), next] as const
    })
  })
}

const readPage = (result: unknown): { readonly items: ReadonlyArray<unknown>; readonly hasMore: boolean } => {
  if (typeof result === "object" && result !== null && "data" in result && Array.isArray(result.data)) {
    const items: ReadonlyArray<unknown> = result.data
    return { items, hasMore: "hasMore" in result && result.hasMore === true }
  }
  return { items: [], hasMore: false }
}

const readId = (item: unknown): unknown => typeof item === "object" && item !== null && "id" in item ? item.id : undefined
