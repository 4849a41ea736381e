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

  return ({ path, request }) =>
    Effect.gen(function*() {
      const headers = request.headers
      // 1. who is calling, and may they
      const auth = authenticate(config, headers, endpoint.access)
      if (HttpServerResponse.isServerResponse(auth)) return auth
      // 2. rate limit (per key; only requests let through are counted)
      const nowMs = yield* Clock.currentTimeMillis
      if (rateLimiter !== undefined) {
        const taken = rateLimiter.take(auth.key, nowMs)
        if (!taken.allowed) {
          return Responses.error("rate_limited", `Too many requests: at most ${config.rateLimit} per ${Duration.format(config.rateLimitWindow)} per API key`, {
            headers: { "Retry-After": String(taken.retryAfter) }
          })
        }
      }
      // 3. API version: missing means the pinned one
      const version = headers["paymentflow-version"]
      if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(version)) {
        return Responses.error(
          "version_unknown",
          `Unknown PaymentFlow-Version; this server serves ${SUPPORTED_API_VERSIONS.join(", ")}`
        )
      }
      // 4. a malformed id names no object
      const id = path?.id ?? ""
      if (validId !== undefined && !validId(id)) {
        return Responses.error("resource_missing", `No such ${resource}`)
      }
      // 5. parameters
      const url = parseUrl(request.url)
      if (url === undefined) return Responses.error("route_missing", "Unknown route")
      const input = yield* Effect.either(readInput(request, url, config.maxBodyBytes))
      if (input._tag === "Left") return input.left
      // `Schema.Struct({})` accepts any object: an endpoint without parameters checks by hand
      const unknown = endpoint.params === undefined ? Object.keys(input.right)[0] : undefined
      if (unknown !== undefined) {
        return Responses.error("parameter_unknown", `${unknown.slice(0, 100)}: is not a known parameter`, { field: unknown })
      }
      const decoded = decode(input.right)
      if (decoded._tag === "Left") return decodeError(decoded.left.issue)

      const faults = config.faults ? Faults.parse(headers[Faults.HEADER]) : {}
      const delay = "invalid" in faults ? undefined : faults.delayMillis

      // `settle` runs in the same uninterruptible step as the change, so what must follow a
      // committed change (storing its idempotent response) cannot be skipped by a client that
      // goes away between the two.
      const run = (settle: (response: HttpServerResponse.HttpServerResponse) => Effect.Effect<void>) =>
        Effect.gen(function*() {
          if (delay !== undefined && delay > 0) yield* Effect.sleep(delay)
          // the change itself is not cut in half by a client that goes away
          return yield* Effect.uninterruptible(
            Effect.matchEffect(impl({ params: decoded.right, id }), {
              onFailure: (failure) => Effect.succeed(failureResponse(failure)),
              onSuccess: respond
            }).pipe(Effect.tap(settle))
          )
        })

      // 6. idempotency (POST only; scoped to the key; stored for requests that passed validation)
      const idemKey = headers["idempotency-key"]
      if (!isIdempotentMethod(request.method) || idemKey === undefined) return yield* run(() => Effect.void)
      if (!Schema.is(IdempotencyKey)(idemKey)) {
        return Responses.error("parameter_invalid", "Idempotency-Key must be 1 to 255 printable ASCII characters")
      }
      const fingerprint = `${request.method} ${rawPath(request.url)}\n${Idempotency.canonical(input.right)}`
      const lookup = idempotency.begin(auth.key, idemKey, fingerprint, nowMs)
      switch (lookup._tag) {
        case "InUse":
          return Responses.error("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry later")
        case "Reused":
          return Responses.error(
            "idempotency_key_reused",
            "This Idempotency-Key was already used with different parameters; use a new key for a new request"
          )
        case "Replay":
          return HttpServerResponse.uint8Array(lookup.response.body, {
            status: lookup.response.status,
            contentType: lookup.response.contentType,
            headers: { "Idempotent-Replayed": "true" }
          })
        case "New":
          break
      }
      let settled = false
      const settle = (response: HttpServerResponse.HttpServerResponse) =>
        Effect.gen(function*() {
          settled = true
          const body = bodyOf(response)
          if (body !== undefined && storable(response.status)) {
            const at = yield* Clock.currentTimeMillis
            idempotency.complete(auth.key, idemKey, fingerprint, { status: response.status, body, contentType: "application/json" }, at)
          } else {
            idempotency.release(auth.key, idemKey)
          }
        })
      // interrupted before the change (during a `delay` fault): nothing happened, free the key
      return yield* Effect.onExit(run(settle), () =>
        Effect.sync(() => {
          if (!settled) idempotency.release(auth.key, idemKey)
        }))
    }).pipe(
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
