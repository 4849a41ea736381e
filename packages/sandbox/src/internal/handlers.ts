/**
 * The endpoint implementations, each wrapped by one generic guard derived from its table row:
 * authentication and permissions, rate limit, API version, path id, parameter decoding with core's
 * schema (first failure → `Rule.violation`), idempotency, then the state change.
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import { maskApiKey } from "@paymentflow/core/ApiKey"
import type * as Endpoint from "@paymentflow/core/Endpoint"
import { API_KEY_PATTERN, IdempotencyKey, SUPPORTED_API_VERSIONS } from "@paymentflow/core/Fields"
import * as Rule from "@paymentflow/core/Rule"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Config } from "./config.js"
import * as Faults from "./faults.js"
import type { Failure } from "./failure.js"
import * as Idempotency from "./idempotency.js"
import type { RateLimiter } from "./rateLimit.js"
import { parseUrl, rawPath, readInput } from "./request.js"
import * as Responses from "./responses.js"
import type { State } from "./state.js"

/** What the handlers share. */
export interface Engine {
  readonly config: Config
  readonly state: State
  readonly rateLimiter: RateLimiter | undefined
  readonly idempotency: Idempotency.Idempotency
}

/** The request as `HttpApiBuilder` hands it to a raw handler. */
export interface RawRequest {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly path?: { readonly id: string } | undefined
}

/** A raw handler: everything, errors included, is a response. */
export type RawHandler = (request: RawRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>

const isIdempotentMethod = (method: string) => method === "POST"

const isIdempotencyKey = Schema.is(IdempotencyKey)

/**
 * The URL of a request, parsed only when its query is read (GET, DELETE) or its path is not a
 * plain one: a body request's parameters never come from the query, and a path that starts
 * with a single `/` always parses.
 */
const parseRequestUrl = (request: HttpServerRequest.HttpServerRequest): URL | null | undefined => {
  const url = request.url
  if (request.method !== "GET" && request.method !== "DELETE" && url.startsWith("/") && !url.startsWith("//")) return null
  return parseUrl(url)
}

/** A storable response: passed validation and is not a 429 or 5xx. */
const storable = (status: number) => status !== 400 && status !== 429 && status < 500

export interface Authenticated {
  readonly key: string
  readonly kind: "pk" | "sk"
}

/**
 * The API key of a request, or the 401 / 403 that refuses it.
 */
export const authenticate = (
  config: Config,
  headers: Readonly<Record<string, string | undefined>>,
  access: Endpoint.Access
): Authenticated | HttpServerResponse.HttpServerResponse => {
  const header = headers["authorization"]
  if (header === undefined || header.trim() === "") {
    return Responses.error("api_key_missing", "No API key: send Authorization: Bearer <api key>")
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  const key = match?.[1]
  const parts = key === undefined ? null : API_KEY_PATTERN.exec(key)
  if (key === undefined || parts === null) {
    return Responses.error("api_key_invalid", "The API key is malformed: send Authorization: Bearer <pk_test_… or sk_test_…>")
  }
  if (parts[2] === "live") {
    return Responses.error(
      "api_key_environment_mismatch",
      `The key ${maskApiKey(key)} is a live key; the sandbox accepts only *_test_* keys`
    )
  }
  if (config.apiKeys !== undefined && !config.apiKeys.has(key)) {
    return Responses.error("api_key_invalid", `The key ${maskApiKey(key)} is not known to this sandbox`)
  }
  const kind = parts[1] === "pk" ? "pk" : "sk"
  if (kind === "pk" && access === "secret") {
    return Responses.error("permission_denied", "This operation needs a secret key (sk_); publishable keys (pk_) may not use it")
  }
  return { key, kind }
}

const decodeError = (issue: Parameters<typeof Rule.violation>[0]) => {
  const v = Rule.violation(issue)
  return Responses.error(Responses.isCode(v.code) ? v.code : "parameter_invalid", Rule.formatViolation(v), { field: v.field })
}

const failureResponse = (failure: Failure) => Responses.error(failure.code, failure.message, { field: failure.field })

const bodyOf = (response: HttpServerResponse.HttpServerResponse): Uint8Array | undefined =>
  response.body._tag === "Uint8Array" ? response.body.body : undefined

/**
 * The generic guard, shared by every endpoint: `impl` sees decoded parameters and a valid id.
 */
export const route = <P, PI, S, SI>(
  engine: Engine,
  endpoint: Endpoint.Any,
  params: Schema.Schema<P, PI>,
  success: Schema.Schema<S, SI>,
  impl: (input: { readonly params: P; readonly id: string }) => Effect.Effect<S, Failure>
): RawHandler => {
  const { config, idempotency, rateLimiter } = engine
  // built once per endpoint; synchronous (`Either`): no effect to run per request
  const decode = Schema.decodeUnknownEither(params, { onExcessProperty: "error", errors: "first" })
  const encode = Schema.encodeEither(success)
  const respond = (value: S) =>
    Either.match(encode(value), {
      onLeft: (error) => Effect.die(error),
      onRight: (wire) => Effect.succeed(Responses.json(wire))
    })
  const validId = endpoint.id === undefined ? undefined : Schema.is(endpoint.id)
  const resource = endpoint.group.slice(0, -1)

  const tooManyMessage = `Too many requests: at most ${config.rateLimit} per ${Duration.format(config.rateLimitWindow)} per API key`
  const noSettle = () => Effect.void

  /**
   * Steps 5 and 6 (parameters, idempotency, the change), once the caller passed the guard. Plain
   * functions and combinators, no generator: this is every request's path.
   */
  const serve = (
    request: HttpServerRequest.HttpServerRequest,
    auth: Authenticated,
    id: string,
    nowMs: number,
    input: Record<string, unknown>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const headers = request.headers
    // `Schema.Struct({})` accepts any object: an endpoint without parameters checks by hand
    if (endpoint.params === undefined) {
      for (const unknown in input) {
        if (!Object.prototype.hasOwnProperty.call(input, unknown)) continue
        return Effect.succeed(
          Responses.error("parameter_unknown", `${unknown.slice(0, 100)}: is not a known parameter`, { field: unknown })
        )
      }
    }
    const decoded = decode(input)
    if (decoded._tag === "Left") return Effect.succeed(decodeError(decoded.left.issue))
    const params = decoded.right

    const faults = config.faults ? Faults.parse(headers[Faults.HEADER]) : undefined
    const delay = faults === undefined || "invalid" in faults ? undefined : faults.delayMillis

    // `settle` runs in the same uninterruptible step as the change, so what must follow a
    // committed change (storing its idempotent response) cannot be skipped by a client that
    // goes away between the two.
    const run = (settle: (response: HttpServerResponse.HttpServerResponse) => Effect.Effect<void>) => {
      // the change itself is not cut in half by a client that goes away
      const change = Effect.uninterruptible(
        Effect.matchEffect(impl({ params, id }), {
          onFailure: (failure) => Effect.succeed(failureResponse(failure)),
          onSuccess: respond
        }).pipe(Effect.tap(settle))
      )
      return delay !== undefined && delay > 0 ? Effect.zipRight(Effect.sleep(delay), change) : change
    }

    // 6. idempotency (POST only; scoped to the key; stored for requests that passed validation)
    const idemKey = headers["idempotency-key"]
    if (!isIdempotentMethod(request.method) || idemKey === undefined) return run(noSettle)
    if (!isIdempotencyKey(idemKey)) {
      return Effect.succeed(Responses.error("parameter_invalid", "Idempotency-Key must be 1 to 255 printable ASCII characters"))
    }
    const fingerprint = `${request.method} ${rawPath(request.url)}\n${Idempotency.canonical(input)}`
    const lookup = idempotency.begin(auth.key, idemKey, fingerprint, nowMs)
    switch (lookup._tag) {
      case "InUse":
        return Effect.succeed(
          Responses.error("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry later")
        )
      case "Reused":
        return Effect.succeed(Responses.error(
          "idempotency_key_reused",
          "This Idempotency-Key was already used with different parameters; use a new key for a new request"
        ))
      case "Replay":
        return Effect.succeed(HttpServerResponse.uint8Array(lookup.response.body, {
          status: lookup.response.status,
          contentType: lookup.response.contentType,
          headers: { "Idempotent-Replayed": "true" }
        }))
      case "New":
        break
    }
    let settled = false
    const settle = (response: HttpServerResponse.HttpServerResponse) => {
      settled = true
      const body = bodyOf(response)
      if (body !== undefined && storable(response.status)) {
        return Effect.map(Clock.currentTimeMillis, (at) => {
          idempotency.complete(auth.key, idemKey, fingerprint, { status: response.status, body, contentType: "application/json" }, at)
        })
      }
      idempotency.release(auth.key, idemKey)
      return Effect.void
    }
    // interrupted before the change (during a `delay` fault): nothing happened, free the key
    return Effect.onExit(run(settle), () =>
      Effect.sync(() => {
        if (!settled) idempotency.release(auth.key, idemKey)
      }))
  }

  const handle = (
    request: HttpServerRequest.HttpServerRequest,
    path: RawRequest["path"],
    nowMs: number
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const headers = request.headers
    // 1. who is calling, and may they
    const auth = authenticate(config, headers, endpoint.access)
    if (HttpServerResponse.isServerResponse(auth)) return Effect.succeed(auth)
    // 2. rate limit (per key; only requests let through are counted)
    if (rateLimiter !== undefined) {
      const taken = rateLimiter.take(auth.key, nowMs)
      if (!taken.allowed) {
        return Effect.succeed(Responses.error("rate_limited", tooManyMessage, {
          headers: { "Retry-After": String(taken.retryAfter) }
        }))
      }
    }
    // 3. API version: missing means the pinned one
    const version = headers["paymentflow-version"]
    if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(version)) {
      return Effect.succeed(Responses.error(
        "version_unknown",
        `Unknown PaymentFlow-Version; this server serves ${SUPPORTED_API_VERSIONS.join(", ")}`
      ))
    }
    // 4. a malformed id names no object
    const id = path?.id ?? ""
    if (validId !== undefined && !validId(id)) {
      return Effect.succeed(Responses.error("resource_missing", `No such ${resource}`))
    }
    // 5. parameters
    const url = parseRequestUrl(request)
    if (url === undefined) return Effect.succeed(Responses.error("route_missing", "Unknown route"))
    return Effect.matchEffect(readInput(request, url, config.maxBodyBytes), {
      onFailure: Effect.succeed,
      onSuccess: (input) => serve(request, auth, id, nowMs, input)
    })
  }

  return ({ path, request }) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) => handle(request, path, nowMs)).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.as(Effect.logError("sandbox handler defect", defect), Responses.error("internal_error", "Internal error"))
      )
    )
}

const empty = Api.EmptyParams

/**
 * Every endpoint of core's table, by `group.name`.
 */
export const make = (engine: Engine): Readonly<Record<Api.EndpointKey, RawHandler>> => {
  const e = Api.endpoints
  const s = engine.state
  return {
    "payments.create": route(engine, e["payments.create"], e["payments.create"].params, e["payments.create"].success, ({ params }) =>
      s.createPayment(params)),
    "payments.retrieve": route(engine, e["payments.retrieve"], empty, e["payments.retrieve"].success, ({ id }) =>
      s.retrievePayment(id)),
    "payments.list": route(engine, e["payments.list"], e["payments.list"].params, e["payments.list"].success, ({ params }) =>
      s.listPayments(params)),
    "payments.confirm": route(engine, e["payments.confirm"], e["payments.confirm"].params, e["payments.confirm"].success, ({ id, params }) =>
      s.confirmPayment(id, params)),
    "payments.cancel": route(engine, e["payments.cancel"], empty, e["payments.cancel"].success, ({ id }) =>
      s.cancelPayment(id)),
    "refunds.create": route(engine, e["refunds.create"], e["refunds.create"].params, e["refunds.create"].success, ({ params }) =>
      s.createRefund(params)),
    "refunds.retrieve": route(engine, e["refunds.retrieve"], empty, e["refunds.retrieve"].success, ({ id }) =>
      s.retrieveRefund(id)),
    "refunds.list": route(engine, e["refunds.list"], e["refunds.list"].params, e["refunds.list"].success, ({ params }) =>
      s.listRefunds(params)),
    "customers.create": route(engine, e["customers.create"], e["customers.create"].params, e["customers.create"].success, ({ params }) =>
      s.createCustomer(params)),
    "customers.retrieve": route(engine, e["customers.retrieve"], empty, e["customers.retrieve"].success, ({ id }) =>
      s.retrieveCustomer(id)),
    "customers.update": route(engine, e["customers.update"], e["customers.update"].params, e["customers.update"].success, ({ id, params }) =>
      s.updateCustomer(id, params)),
    "customers.delete": route(engine, e["customers.delete"], empty, e["customers.delete"].success, ({ id }) =>
      s.deleteCustomer(id)),
    "customers.list": route(engine, e["customers.list"], e["customers.list"].params, e["customers.list"].success, ({ params }) =>
      s.listCustomers(params))
  }
}
