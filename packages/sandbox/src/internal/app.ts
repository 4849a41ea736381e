/**
 * The sandbox as one `HttpApp`. `HttpApiBuilder` is the one router: it serves the `HttpApi`
 * derived from core's rows (`../HttpApi.ts`), one raw handler per row (raw: the handlers decode
 * with core's schemas themselves, so every error is the contract's envelope and code), plus the
 * sandbox-only routes (`/openapi.json`, its reference page `/docs`). Around it, what every response
 * goes through: CORS preflight, faults (`faults.ts`), the contract's answer to a miss
 * (`misses.ts`), Request-Id, RateLimit-* and CORS headers, and a last line of defence that turns
 * any defect into a 500.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as FiberRef from "effect/FiberRef"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { api } from "../HttpApi.js"
import { bearerToken } from "./auth.js"
import * as Documents from "./documents.js"
import * as Faults from "./faults.js"
import * as Handlers from "./handlers.js"
import { requestId } from "./ids.js"
import * as Control from "./control.js"
import * as Misses from "./misses.js"
import { operationOf } from "./operations.js"
import { rawPath } from "./request.js"
import * as Responses from "./responses.js"
import type { Engine, RawHandler } from "./route.js"

/** The API reference page rendered from the served OpenAPI document (`docsPage.ts`). */
export const DOCS_PATH = "/docs"

const ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
const ALLOW_HEADERS = [
  "Authorization",
  "Content-Type",
  HEADERS.idempotencyKey.name,
  HEADERS.version.name,
  HEADERS.client.name,
  "PaymentFlow-Sandbox-Fault", // sandbox-only (faults.ts), not a contract header
  "traceparent",
  "tracestate",
  "b3"
].join(", ")
/** Every response header of the contract, so a browser page may read them. */
const EXPOSE_HEADERS = Object.values(HEADERS).filter((h) => h.in === "response").map((h) => h.name).join(", ")

/** The methods the router serves; any other (HEAD, PUT, …) is a miss without asking it (it would serve HEAD as GET). */
const ROUTED_METHODS = new Set(["GET", "POST", "PATCH", "DELETE"])

/** The routes of one sandbox instance, by `group.name` (the control rows' included): what the shared router calls. */
export interface Routes {
  readonly handlers: ReadonlyMap<string, RawHandler>
  /** `/openapi.json` and `/docs`, in the request's version (`documents.ts`). */
  readonly documents: Documents.Documents
}

/**
 * The routes of the sandbox serving the current request (a `FiberRef`). The router is built once per process
 * (`sharedRouter`): it holds no state, and each instance provides its own routes per request, so
 * a fresh sandbox (a new test) costs its state, not a new router.
 */
const currentRoutes = FiberRef.unsafeMake<Routes | undefined>(undefined)

/** The current instance's routes (set by its app around every request it serves). */
const withRoutes = (f: (routes: Routes) => Effect.Effect<HttpServerResponse.HttpServerResponse>) =>
  Effect.flatMap(FiberRef.get(currentRoutes), (routes) =>
    routes === undefined ? Effect.dieMessage("sandbox router called outside a sandbox instance") : f(routes))

/** A sandbox-only route: the current instance's handler for it. */
const instanceRoute = (pick: (routes: Routes) => RawHandler) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => withRoutes((routes) => pick(routes)({ request })))

const rowHandler = (key: string): RawHandler => (request) => withRoutes((routes) => routes.handlers.get(key)!(request))

/** `HttpApiBuilder` serving the rows' `HttpApi` and the sandbox-only routes: the one router. */
const buildRouter = Effect.gen(function*() {
  const group = (name: (typeof Api.groups)[number]) =>
    HttpApiBuilder.group(api, name, (builder) =>
      Api.all
        .filter((e) => e.group === name)
        .reduce((h, e) => h.handleRaw(e.name, rowHandler(`${e.group}.${e.name}`)), builder) as unknown as HttpApiBuilder.Handlers<
          never,
          never,
          never,
          never
        >)
  // ^ the `api` types its endpoints as `AnyWithProps` (it is derived from a table at run time),
  // so HttpApiBuilder cannot see statically that the reduce handled every name; `Handlers.make`
  // has a handler for every row by type.
  const sandboxRoutes = HttpApiBuilder.Router.use((router) =>
    Effect.all([
      router.get("/openapi.json", instanceRoute((routes) => routes.documents.openApi)),
      router.get(DOCS_PATH, instanceRoute((routes) => routes.documents.docs))
    ])
  )
  const apiLayer = HttpApiBuilder.api(api).pipe(
    // `Layer.empty` first: `mergeAll` takes a non-empty list, and the groups are read from the rows
    Layer.provide(Layer.mergeAll(Layer.empty, ...Api.groups.map(group)))
  )
  // built on a scope that is never closed: the router lives as long as the process (it holds no state)
  const scope = yield* Scope.make()
  const context = yield* Layer.buildWithScope(
    // `Router.use` (the groups, the sandbox-only routes) and `Router.Live` share one router: layers are memoised per build
    Layer.mergeAll(apiLayer, sandboxRoutes, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer, HttpServer.layerContext),
    scope
  )
  // paths as the contract writes them: exact case, no trailing or doubled slash (find-my-way's
  // defaults would route `/V1/Payments/` as `/v1/payments`)
  const app = yield* Effect.provide(HttpApiBuilder.httpApp, context).pipe(
    HttpRouter.withRouterConfig({ caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false })
  )
  return Effect.provide(app, context)
})

const miss = Misses.make(Api.all)

let router: Effect.Effect<Effect.Effect.Success<typeof buildRouter>> | undefined
/** The one router of the process, built on first use (concurrent first uses share one build). */
const sharedRouter = () => (router ??= Effect.runSync(Effect.cached(buildRouter)))

/**
 * @internal
 */
export const make = (instance: Control.Controlled) =>
  Effect.gen(function*() {
    const { config, faults: queue } = instance
    // the control rows act on the instance (its clock, faults, resets), the others on its current state
    const control = Control.make(instance)
    const documents = Documents.make(config)
    const built = new WeakMap<Engine, Routes>()
    const routesOf = ({ engine }: ReturnType<Control.Controlled["current"]>): Routes => {
      let routes = built.get(engine)
      if (routes === undefined) {
        routes = { handlers: new Map([...Handlers.make(engine), ...control]), documents }
        built.set(engine, routes)
      }
      return routes
    }
    const router = yield* sharedRouter()
    const routed = Effect.suspend(() => Effect.locally(router, currentRoutes, routesOf(instance.current())))
    const missed = (request: HttpServerRequest.HttpServerRequest) => miss(request.method, rawPath(request.url))

    const route = (request: HttpServerRequest.HttpServerRequest) =>
      ROUTED_METHODS.has(request.method)
        // a failure here is the router's `RouteNotFound` (handlers answer every error themselves)
        ? Effect.catchAll(routed, () => Effect.succeed(missed(request)))
        : Effect.succeed(missed(request))

    const queued = (request: HttpServerRequest.HttpServerRequest) =>
      queue.size === 0
        ? undefined
        : queue.take(bearerToken(request.headers["authorization"]), operationOf(request.method, rawPath(request.url)))
    const served = Faults.middleware(config.faults, queued, route)

    const respond = (request: HttpServerRequest.HttpServerRequest) => {
      if (request.method !== "OPTIONS") return served(request)
      const requested = request.headers["access-control-request-headers"]
      return Effect.succeed(HttpServerResponse.empty({
        status: 204,
        headers: {
          "Access-Control-Allow-Methods": ALLOW_METHODS,
          // Effect adds traceparent / b3 headers: echo whatever the browser asks to send
          "Access-Control-Allow-Headers": requested !== undefined && requested.trim() !== "" ? requested : ALLOW_HEADERS,
          "Access-Control-Max-Age": "600"
        }
      }))
    }

    /** The headers of every response (the same object each time when the rate limit is off). */
    const commonHeaders: Readonly<Record<string, string>> = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": EXPOSE_HEADERS
    }
    const finish = (request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse, id: string) => {
      const rateLimiter = instance.current().engine.rateLimiter
      // one `setHeaders`: each call copies the response's headers
      if (rateLimiter === undefined) {
        return Effect.succeed(HttpServerResponse.setHeaders(response, { [HEADERS.requestId.name]: id, ...commonHeaders }))
      }
      const key = bearerToken(request.headers["authorization"])
      return Effect.map(Clock.currentTimeMillis, (now) => {
        const rate = rateLimiter.peek(key, now)
        return HttpServerResponse.setHeaders(response, {
          [HEADERS.requestId.name]: id,
          [HEADERS.rateLimitLimit.name]: String(rate.limit),
          [HEADERS.rateLimitRemaining.name]: String(rate.remaining),
          [HEADERS.rateLimitReset.name]: String(rate.reset),
          ...commonHeaders
        })
      })
    }

    const handle = (request: HttpServerRequest.HttpServerRequest) => {
      const id = requestId()
      return Effect.flatMap(respond(request), (response) => finish(request, response, id))
    }

    const app: HttpApp.Default = Effect.flatMap(HttpServerRequest.HttpServerRequest, handle).pipe(
      // the control endpoints' clock (the TestClock itself in a test)
      instance.clock.wrap,
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(cause)
          : Effect.as(
            Effect.logError("sandbox defect", cause),
            HttpServerResponse.setHeaders(Responses.error("internal_error", "Internal error"), {
              [HEADERS.requestId.name]: requestId(),
              ...commonHeaders
            })
          )
      )
    )
    return app
  })
