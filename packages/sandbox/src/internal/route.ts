/**
 * (Just over 300 lines: the guard's steps run in the contract's order, each short-circuiting the
 * next; splitting them would scatter that order. Its pieces with their own rules are already
 * apart: `clientSecret.ts`, `idempotency.ts`, `faults.ts`, `owner.ts`, `rateLimit.ts`.)
 *
 * The one generic guard every endpoint's handler is wrapped in, derived from its row of core's
 * table: authentication and permissions, rate limit, API version, path id, parameter decoding with
 * the row's schema (first failure → `Rule.violation`), idempotency, the `delay` fault, then the
 * state change, whose result is encoded with the row's success schema.
 *
 * The request's API version (`PaymentFlow-Version`, else the account's default) picks a plan from
 * the version registry (core's `Versions.ts`): the row's access under that version and how its
 * success body is rendered. The handlers are written once, for the newest version.
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { IdempotencyKey } from "@paymentflow/core/Fields"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Rule from "@paymentflow/core/Rule"
import * as Versions from "@paymentflow/core/Versions"
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
import * as Owner from "./owner.js"
import type { RateLimiter } from "./rateLimit.js"
import { parseUrl, rawPath, readInput } from "./request.js"
import { checkClientSecret } from "./clientSecret.js"
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

/** The contract's answer to a `PaymentFlow-Version` that names none of the versions served. */
export const versionUnknown = (versions: Versions.Registry): HttpServerResponse.HttpServerResponse =>
  Responses.error("version_unknown", `Unknown ${HEADERS.version.name}; this server serves ${Versions.supported(versions).join(", ")}`)


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

/** How one row is served under one API version. */
interface Served {
  readonly access: Endpoint.Access
  /** The request parameters as the handler's (newest) version takes them; `undefined`: as sent. */
  readonly request: ((input: Record<string, unknown>) => Record<string, unknown>) | undefined
  /** The success body as the version renders it; `undefined`: as the handler's (newest) one. */
  readonly render: ((wire: unknown) => unknown) | undefined
}

/** A stored (newest-rendered) success body, rendered again for the replaying request's version. */
const rerender = (body: Uint8Array, render: (wire: unknown) => unknown): unknown => render(JSON.parse(new TextDecoder().decode(body)))

/**
 * The generic guard, shared by every endpoint: `impl` sees decoded parameters and a valid id.
 */
export const route = <K extends Api.EndpointKey>(engine: Engine, key: K, impl: Handler<K>): RawHandler => {
  const endpoint: (typeof Api.all)[number] = Api.endpoints[key]
  // the router matched the row's method, so the row says whether the request carries a key
  const idempotent = Endpoint.isIdempotent(endpoint)
  // The row's schemas as the types `Handler<K>` is written in (`ParamsOf<K>`, `SuccessOf<K>` are
  // those schemas' types; TypeScript cannot see that through the generic key).
  // A row without parameters decodes core's `Api.EmptyParams` (unknown ones are refused by hand).
  const params = (endpoint.params ?? Api.EmptyParams) as unknown as Schema.Schema<ParamsOf<K>, unknown>
  const success = endpoint.success as unknown as Schema.Schema<SuccessOf<K>, unknown>
  const { config, idempotency, rateLimiter } = engine
  // each version's plan for this row, made once
  const plans = new Map<string, Served>(Versions.supported(config.versions).map((version) => {
    const plan = Versions.plan(config.versions, version)!
    const { request, response } = plan
    return [version, {
      access: plan.access(key, endpoint.access),
      request: request === undefined ? undefined : (input: Record<string, unknown>) => request(key, input),
      render: response === undefined ? undefined : (wire: unknown) => response(key, wire)
    }]
  }))
  const defaultPlan = plans.get(config.defaultVersion)!
  // built once per endpoint; synchronous (`Either`): no effect to run per request
  const decode = Schema.decodeUnknownEither(params, { onExcessProperty: "error", errors: "first" })
  const encode = Schema.encodeEither(success)
  /** The success response: `newest` (what is stored for a replay) and `sent` (in the request's version). */
  const respond = (value: SuccessOf<K>, served: Served, keep: boolean) =>
    Either.match(encode(value), {
      onLeft: (error) => Effect.die(error),
      onRight: (wire) => {
        if (served.render === undefined) {
          const response = Responses.json(wire)
          return Effect.succeed({ newest: response, sent: response })
        }
        const sent = Responses.json(served.render(wire))
        return Effect.succeed({ newest: keep ? Responses.json(wire) : sent, sent })
      }
    })
  const validId = endpoint.id === undefined ? undefined : Schema.is(endpoint.id)
  // "payment", "customer", "payment method" (from `paymentMethods`)
  const resource = endpoint.group.slice(0, -1).replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)

  const tooManyMessage = `Too many requests: at most ${config.rateLimit} per ${Duration.format(config.rateLimitWindow)} per API key`
  const noSettle = () => Effect.void

  /**
   * Steps 5 and 6 (parameters, idempotency, the change), once the caller passed the guard. Plain
   * functions and combinators, no generator: this is every request's path.
   */
  const serve = (
    request: HttpServerRequest.HttpServerRequest,
    auth: Authenticated,
    served: Served,
    id: string,
    nowMs: number,
    raw: Record<string, unknown>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const headers = request.headers
    // the version's parameters as the newest code takes them
    const taken = served.request === undefined ? raw : served.request(raw)
    // the access of the row under this version may ask for the payment's client secret (the one
    // object that has one; only payment rows use that access)
    const checked = typeof served.access === "object"
      ? checkClientSecret(taken, auth.kind, () => engine.state.payments.clientSecretOf(id), resource)
      : taken
    if (HttpServerResponse.isServerResponse(checked)) return Effect.succeed(checked)
    const input = checked
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
    // `settle` is given the newest rendering (what a replay renders again in its own version).
    const run = (settle: (response: HttpServerResponse.HttpServerResponse) => Effect.Effect<void>, keep: boolean) => {
      // the change itself is not cut in half by a client that goes away
      const change = Effect.uninterruptible(
        Effect.matchEffect(impl({ params, id }), {
          onFailure: (failure) => {
            const response = failureResponse(failure)
            return Effect.succeed({ newest: response, sent: response })
          },
          onSuccess: (value) => respond(value, served, keep)
        }).pipe(Effect.tap(({ newest }) => settle(newest)), Effect.map(({ sent }) => sent))
      )
      // a `delay` fault: chosen by header (the `faults` option) or queued (always honoured)
      return Faults.delayed(change)
    }

    // 6. idempotency (POST only; scoped to the key; stored for requests that passed validation)
    const idemKey = headers[HEADERS.idempotencyKey.key]
    if (!idempotent || idemKey === undefined) return run(noSettle, false)
    if (!isIdempotencyKey(idemKey)) {
      return Effect.succeed(Responses.error("parameter_invalid", `${HEADERS.idempotencyKey.name} must be 1 to 255 printable ASCII characters`))
    }
    // the digest first (asynchronous); then lookup and reservation in one synchronous step
    return Effect.flatMap(idempotency.fingerprint(request.method, rawPath(request.url), raw), (fingerprint) =>
      idempotentRun(auth, served, idemKey, fingerprint, nowMs, run))
  }

  /** Step 6 for a request that carries a valid key, given its fingerprint (a digest). */
  const idempotentRun = (
    auth: Authenticated,
    served: Served,
    idemKey: string,
    fingerprint: string,
    nowMs: number,
    run: (settle: (response: HttpServerResponse.HttpServerResponse) => Effect.Effect<void>, keep: boolean) => Effect.Effect<HttpServerResponse.HttpServerResponse>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
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
      case "Replay": {
        const replayed = { [HEADERS.idempotentReplayed.name]: "true" }
        if (served.render !== undefined && lookup.response.status === 200) {
          return Effect.succeed(HttpServerResponse.unsafeJson(rerender(lookup.response.body, served.render), { headers: replayed }))
        }
        return Effect.succeed(HttpServerResponse.uint8Array(lookup.response.body, {
          status: lookup.response.status,
          contentType: lookup.response.contentType,
          headers: replayed
        }))
      }
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
    return Effect.onExit(run(settle, true), () =>
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
    // the request's API version (an unknown one is refused at step 3; until then, the default's rules)
    const version = headers[HEADERS.version.key]
    const served = version === undefined ? defaultPlan : plans.get(version)
    // 1. who is calling, and may they
    const auth = authenticate(config, headers, (served ?? defaultPlan).access)
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
    // 3. API version: missing means the account's default
    if (served === undefined) return Effect.succeed(versionUnknown(config.versions))
    // 4. a malformed id names no object
    const id = path?.id ?? ""
    if (validId !== undefined && !validId(id)) {
      return Effect.succeed(Responses.error("resource_missing", `No such ${resource}`))
    }
    // 5. parameters
    const url = parseRequestUrl(request)
    if (url === undefined) return Effect.succeed(Responses.error("route_missing", "Unknown route"))
    const read = Effect.matchEffect(readInput(request, url, config.maxBodyBytes), {
      onFailure: Effect.succeed,
      onSuccess: (input: Record<string, unknown>) => serve(request, auth, served, id, nowMs, input)
    })
    // what a change creates is the calling key's data (`owner.ts`); a read creates nothing
    return request.method === "GET" ? read : Owner.as(auth.key)(read)
  }

  return ({ path, request }) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) => handle(request, path, nowMs)).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.as(Effect.logError("sandbox handler defect", defect), Responses.error("internal_error", "Internal error"))
      )
    )
}
