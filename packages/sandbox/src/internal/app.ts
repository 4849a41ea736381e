/**
 * The sandbox as one `HttpApp`: one raw handler per row of core's endpoint table (the table
 * core's `HttpApi` and `openapi.json` are derived from), routed by that table, wrapped in the
 * middleware every response goes through (Request-Id, RateLimit-*, CORS, route and method checks,
 * faults, and a last line of defence that turns any defect into a 500).
 *
 * The table's rows are matched once here, so unknown routes and wrong methods get the contract's
 * 404 / 405 before anything else; a matched request is then served by `HttpApiBuilder` from core's
 * derived `HttpApi`, one raw handler per row (raw: the handlers decode with core's schemas
 * themselves, so every error is the contract's envelope and code).
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import { api, openApi } from "../HttpApi.js"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { WebhookDeliveryList } from "../WebhookDelivery.js"
import * as Faults from "./faults.js"
import { authenticate, type Engine, type RawHandler } from "./handlers.js"
import * as Handlers from "./handlers.js"
import { requestId } from "./ids.js"
import { rawPath } from "./request.js"
import * as Responses from "./responses.js"
import type { Webhooks } from "./webhooks.js"

/** The sandbox-only route listing webhook deliveries (not part of the contract or openapi.json). */
export const DELIVERIES_PATH = "/v1/sandbox/webhook_deliveries"

const ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
const ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, PaymentFlow-Version, PaymentFlow-Client, PaymentFlow-Sandbox-Fault, traceparent, tracestate, b3"
const EXPOSE_HEADERS = "Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Idempotent-Replayed"

type Match =
  | { readonly _tag: "Found"; readonly handler: RawHandler; readonly id: string | undefined }
  | { readonly _tag: "MethodNotAllowed"; readonly allow: string }
  | { readonly _tag: "Missing" }

interface Route {
  readonly method: string
  readonly segments: ReadonlyArray<string>
  /** Where the `:id` segment is, if the path has one. */
  readonly idAt: number
  readonly handler: RawHandler
}

/** A path parameter as a router hands it over: percent-decoded (a malformed escape is kept as sent, and names no object). */
const decodeSegment = (segment: string): string => {
  if (!segment.includes("%")) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * The router: core's endpoint table (the same rows `HttpApi` is derived from), each row with its
 * raw handler, indexed by the number of path segments. Built once per sandbox; a request costs one
 * `split` and a few string comparisons.
 */
const makeRouter = (table: Readonly<Record<Api.EndpointKey, RawHandler>>) => {
  const handlers = new Map<string, RawHandler>(Object.entries(table))
  const bySize = new Map<number, Array<Route>>()
  for (const endpoint of Api.all) {
    const key = `${endpoint.group}.${endpoint.name}`
    const handler = handlers.get(key)
    if (handler === undefined) throw new Error(`no sandbox handler for ${key}`)
    const segments = endpoint.path.split("/")
    const route: Route = { method: endpoint.method, segments, idAt: segments.findIndex((s) => s.startsWith(":")), handler }
    const list = bySize.get(segments.length) ?? []
    list.push(route)
    bySize.set(segments.length, list)
  }
  const fits = (route: Route, segments: ReadonlyArray<string>): boolean => {
    for (let i = 0; i < segments.length; i++) {
      const s = route.segments[i]!
      if (i === route.idAt ? segments[i] === "" : s !== segments[i]) return false
    }
    return true
  }
  /** Which row of the table a method and path name. */
  return (method: string, pathname: string): Match => {
    const segments = pathname.split("/")
    const candidates = bySize.get(segments.length)
    let allow: Array<string> | undefined
    if (candidates !== undefined) {
      for (const route of candidates) {
        if (!fits(route, segments)) continue
        if (route.method === method) {
          return { _tag: "Found", handler: route.handler, id: route.idAt === -1 ? undefined : decodeSegment(segments[route.idAt]!) }
        }
        ;(allow ??= []).push(route.method)
      }
    }
    return allow === undefined ? { _tag: "Missing" } : { _tag: "MethodNotAllowed", allow: allow.join(", ") }
  }
}

const encodeDeliveries = Schema.encodeSync(WebhookDeliveryList)

let openApiBody: string | undefined
const openApiJson = () => (openApiBody ??= JSON.stringify(openApi(), null, 2))

/** Serves core's `HttpApi` with `HttpApiBuilder`: one raw handler per row of the table. */
const buildApi = (table: Readonly<Record<Api.EndpointKey, RawHandler>>) =>
  Effect.gen(function*() {
    const byKey = new Map<string, RawHandler>(Object.entries(table))
    const group = (name: "payments" | "refunds" | "customers") =>
      HttpApiBuilder.group(api, name, (handlers) =>
        Api.all
          .filter((e) => e.group === name)
          .reduce((h, e) => {
            const key = `${e.group}.${e.name}`
            const handler = byKey.get(key)
            if (handler === undefined) throw new Error(`no sandbox handler for ${key}`)
            return h.handleRaw(e.name, handler)
          }, handlers) as unknown as HttpApiBuilder.Handlers<never, never, never, never>)
    // ^ core's `api` types its endpoints as `AnyWithProps` (it is derived from a table at run
    // time), so HttpApiBuilder cannot see statically that the reduce handled every name.
    const apiLayer = HttpApiBuilder.api(api).pipe(
      Layer.provide([group("payments"), group("refunds"), group("customers")])
    )
    const context = yield* Layer.build(
      Layer.mergeAll(apiLayer, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, HttpServer.layerContext)
    )
    const app = yield* Effect.provide(HttpApiBuilder.httpApp, context)
    return Effect.provide(app, context)
  })

/**
 * @internal
 */
export const make = (engine: Engine, webhooks: Webhooks) =>
  Effect.gen(function*() {
    const table = Handlers.make(engine)
    const match = makeRouter(table)
    const served = yield* buildApi(table)
    const { config, rateLimiter } = engine

    const deliveries = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function*() {
        const auth = authenticate(config, request.headers, "secret")
        if (HttpServerResponse.isServerResponse(auth)) return auth
        const data = yield* webhooks.deliveries
        return Responses.json(encodeDeliveries({ object: "list", data, hasMore: false, totalCount: data.length }))
      })

    const respond = (
      request: HttpServerRequest.HttpServerRequest,
      faults: Faults.Faults
    ): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> => {
      if (request.method === "OPTIONS") {
        const requested = request.headers["access-control-request-headers"]
        return Effect.succeed(HttpServerResponse.empty({
          status: 204,
          headers: {
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": requested !== undefined && requested.trim() !== "" ? requested : ALLOW_HEADERS,
            "Access-Control-Max-Age": "600"
          }
        }))
      }
      switch (faults.status) {
        case 500:
          return Effect.succeed(Responses.error("internal_error", "Injected fault: internal error"))
        case 503:
          return Effect.succeed(Responses.error("service_unavailable", "Injected fault: service unavailable", { headers: { "Retry-After": "1" } }))
        case 429:
          return Effect.succeed(Responses.error("rate_limited", "Injected fault: rate limited", { headers: { "Retry-After": "1" } }))
        case 502:
          return Effect.succeed(HttpServerResponse.text(
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n",
            { status: 502, contentType: "text/html; charset=utf-8" }
          ))
      }
      const pathname = rawPath(request.url)
      if (pathname === "/openapi.json" && request.method === "GET") {
        return Effect.succeed(HttpServerResponse.text(openApiJson(), { contentType: "application/json" }))
      }
      if (pathname === DELIVERIES_PATH) {
        return request.method === "GET"
          ? deliveries(request)
          : Effect.succeed(
            Responses.error("method_not_allowed", `${request.method} is not allowed on ${DELIVERIES_PATH}`, { headers: { Allow: "GET" } })
          )
      }
      const found = match(request.method, pathname)
      if (found._tag === "Missing") {
        return Effect.succeed(Responses.error("route_missing", `Unknown route: ${request.method} ${pathname.slice(0, 200)}`))
      }
      if (found._tag === "MethodNotAllowed") {
        return Effect.succeed(Responses.error("method_not_allowed", `${request.method} is not allowed here; allowed: ${found.allow}`, {
          headers: { Allow: found.allow }
        }))
      }
      return served.pipe(
        // the route was matched above, so HttpApiBuilder can only miss on an id it cannot route
        Effect.catchAll(() =>
          Effect.succeed(
            found.id === undefined
              ? Responses.error("route_missing", "Unknown route")
              : Responses.error("resource_missing", "No such object")
          )
        )
      )
    }

    /** The headers of every response (the same object each time when the rate limit is off). */
    const commonHeaders: Readonly<Record<string, string>> = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": EXPOSE_HEADERS
    }
    const finish = (request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse, id: string) => {
      // one `setHeaders`: each call copies the response's headers
      if (rateLimiter === undefined) {
        return Effect.succeed(HttpServerResponse.setHeaders(response, { "Request-Id": id, ...commonHeaders }))
      }
      const auth = request.headers["authorization"]
      const key = auth === undefined ? undefined : /^Bearer[ ]+(\S+)\s*$/i.exec(auth)?.[1]
      return Effect.map(Clock.currentTimeMillis, (now) => {
        const rate = rateLimiter.peek(key, now)
        return HttpServerResponse.setHeaders(response, {
          "Request-Id": id,
          "RateLimit-Limit": String(rate.limit),
          "RateLimit-Remaining": String(rate.remaining),
          "RateLimit-Reset": String(rate.reset),
          ...commonHeaders
        })
      })
    }

    /** After the response: the `drop` and `truncate` faults (with the `faults` option only). */
    const applyFaults = (response: HttpServerResponse.HttpServerResponse, faults: Faults.Faults) =>
      Effect.gen(function*() {
        if (faults.drop) {
          const transport = yield* Effect.serviceOption(Faults.Transport)
          if (Option.isSome(transport)) yield* transport.value.drop
        }
        if (faults.truncate && response.body._tag === "Uint8Array") {
          const body = response.body.body
          return HttpServerResponse.uint8Array(body.slice(0, Math.floor(body.length / 2)), {
            status: response.status,
            headers: response.headers,
            contentType: response.body.contentType
          })
        }
        return response
      })

    const handle = (request: HttpServerRequest.HttpServerRequest) => {
      const id = requestId()
      if (!config.faults) return Effect.flatMap(respond(request, {}), (response) => finish(request, response, id))
      const parsed = Faults.parse(request.headers[Faults.HEADER])
      if ("invalid" in parsed) {
        return finish(request, Responses.error("parameter_invalid", `PaymentFlow-Sandbox-Fault: unknown fault '${parsed.invalid}'`), id)
      }
      return Effect.flatMap(
        Effect.flatMap(respond(request, parsed), (response) => applyFaults(response, parsed)),
        (response) => finish(request, response, id)
      )
    }

    const app: HttpApp.Default = Effect.flatMap(HttpServerRequest.HttpServerRequest, handle).pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(cause)
          : Effect.as(
            Effect.logError("sandbox defect", cause),
            HttpServerResponse.setHeaders(Responses.error("internal_error", "Internal error"), {
              "Request-Id": requestId(),
              "Access-Control-Allow-Origin": "*",
              "Access-Control-Expose-Headers": EXPOSE_HEADERS
            })
          )
      )
    )
    return app
  })
