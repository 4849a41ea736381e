/**
 * The one generic guard every endpoint's handler is wrapped in, derived from its row of core's
 * table: authentication and permissions, rate limit, API version, path id, parameter decoding with
 * the row's schema (first failure → `Rule.violation`), idempotency, the `delay` fault, then the
 * state change, whose result is encoded with the row's success schema.
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import { IdempotencyKey, SUPPORTED_API_VERSIONS } from "@paymentflow/core/Fields"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Rule from "@paymentflow/core/Rule"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { type Authenticated, authenticate } from "./auth.js"
import type { Config } from "./config.js"
import * as Faults from "./faults.js"
import type { Failure } from "./failure.js"
import type { Handler, ParamsOf, SuccessOf } from "./handlers.js"
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

const decodeError = (issue: Parameters<typeof Rule.violation>[0]) => {
  const v = Rule.violation(issue)
  return Responses.error(Responses.isCode(v.code) ? v.code : "parameter_invalid", v.message, { field: v.field })
}

const failureResponse = (failure: Failure) => Responses.error(failure.code, failure.message, { field: failure.field })

const bodyOf = (response: HttpServerResponse.HttpServerResponse): Uint8Array | undefined =>
  response.body._tag === "Uint8Array" ? response.body.body : undefined

/** The parameters of a row without any (`Schema.Struct({})`; unknown ones are refused by hand). */
const NoParams = Schema.Struct({})

/**
 * The generic guard, shared by every endpoint: `impl` sees decoded parameters and a valid id.
 */
export const route = <K extends Api.EndpointKey>(engine: Engine, key: K, impl: Handler<K>): RawHandler => {
  const endpoint: (typeof Api.all)[number] = Api.endpoints[key]
  // The row's schemas as the types `Handler<K>` is written in (`ParamsOf<K>`, `SuccessOf<K>` are
  // those schemas' types; TypeScript cannot see that through the generic key).
  const params = (endpoint.params ?? NoParams) as unknown as Schema.Schema<ParamsOf<K>, unknown>
  const success = endpoint.success as unknown as Schema.Schema<SuccessOf<K>, unknown>
  const { config, idempotency, rateLimiter } = engine
  // built once per endpoint; synchronous (`Either`): no effect to run per request
  const decode = Schema.decodeUnknownEither(params, { onExcessProperty: "error", errors: "first" })
  const encode = Schema.encodeEither(success)
  const respond = (value: SuccessOf<K>) =>
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
          Responses.error("parameter_unknown", "is not a known parameter", { field: unknown })
        )
      }
    }
    const decoded = decode(input)
    if (decoded._tag === "Left") return Effect.succeed(decodeError(decoded.left.issue))
    const params = decoded.right

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
      return config.faults ? Faults.delayed(change) : change
    }

    // 6. idempotency (POST only; scoped to the key; stored for requests that passed validation)
    const idemKey = headers[HEADERS.idempotencyKey.key]
    if (!isIdempotentMethod(request.method) || idemKey === undefined) return run(noSettle)
    if (!isIdempotencyKey(idemKey)) {
      return Effect.succeed(Responses.error("parameter_invalid", `${HEADERS.idempotencyKey.name} must be 1 to 255 printable ASCII characters`))
    }
    const fingerprint = `${request.method} ${rawPath(request.url)}\n${Idempotency.canonical(input)}`
    const lookup = idempotency.begin(auth.key, idemKey, fingerprint, nowMs)
    switch (lookup._tag) {
      case "InUse":
        return Effect.succeed(
          Responses.error("idempotency_key_in_use", `A request with this ${HEADERS.idempotencyKey.name} is still being processed; retry later`)
        )
      case "Reused":
        return Effect.succeed(Responses.error(
          "idempotency_key_reused",
          `This ${HEADERS.idempotencyKey.name} was already used with different parameters; use a new key for a new request`
        ))
      case "Replay":
        return Effect.succeed(HttpServerResponse.uint8Array(lookup.response.body, {
          status: lookup.response.status,
          contentType: lookup.response.contentType,
          headers: { [HEADERS.idempotentReplayed.name]: "true" }
        }))
      case "New":
        break
    }
    let settled = false
    const settle = (response: HttpServerResponse.HttpServerResponse) => {
      settled = true
      const body = bodyOf(response)
      if (body !== undefined && Idempotency.isStorable(response.status)) {
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
    // 0. the router takes `/v1/payments/` as `:id` = "": that names no route (before anything, as a miss)
    if (validId !== undefined && (path?.id ?? "") === "") return Effect.succeed(Responses.error("route_missing", "Unknown route"))
    // 1. who is calling, and may they
    const auth = authenticate(config, headers, endpoint.access)
    if (HttpServerResponse.isServerResponse(auth)) return Effect.succeed(auth)
    // 2. rate limit (per key; only requests let through are counted)
    if (rateLimiter !== undefined) {
      const taken = rateLimiter.take(auth.key, nowMs)
      if (!taken.allowed) {
        return Effect.succeed(Responses.error("rate_limited", tooManyMessage, {
          headers: { [HEADERS.retryAfter.name]: String(taken.retryAfter) }
        }))
      }
    }
    // 3. API version: missing means the pinned one
    const version = headers[HEADERS.version.key]
    if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(version)) {
      return Effect.succeed(Responses.error(
        "version_unknown",
        `Unknown ${HEADERS.version.name}; this server serves ${SUPPORTED_API_VERSIONS.join(", ")}`
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
