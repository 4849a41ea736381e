/**
 * The service over undici sends on undici's transport port (`UndiciHttpClient.transport`: the
 * dispatcher, the per-attempt timer inside the request, no `http.client` span): the behaviours
 * the generic `HttpClient` adapter has must hold there too — timeout aborts, interruption
 * aborts, retries reuse the key, the operation's span and its propagation, the Debug line, and
 * middleware (`transformClient`, a wrapping layer) still sees every request.
 */
import { describe, expect, it } from "@effect/vitest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodePaymentFlow, PaymentFlow, UndiciHttpClient } from "@paymentflow/node"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Schedule from "effect/Schedule"
import * as Tracer from "effect/Tracer"
import type { ServerResponse } from "node:http"
import { paymentJson } from "../../../test/fixtures/wire.js"
import { loopback } from "./utils/loopback.js"
import { recording } from "../../core/test/utils/Spans.js"

const SK = "sk_test_nodeabcdefghijklmnop1"

const PAYMENT = paymentJson("pay_0000000001abcdefghijklmn", { customer_email: null, created: 1_750_000_000 })


const ok = (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "request-id": "req_direct" })
  res.end(JSON.stringify(PAYMENT))
}


describe("the undici transport (NodePaymentFlow over undici)", () => {
  it.live("a slow response is NetworkError timeout and the request is aborted", () =>
    Effect.gen(function*() {
      const server = yield* loopback(() => {
        // never answers
      })
      const error = yield* Effect.flip(
        Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 100, currency: "USD" }, { timeout: "250 millis", maxRetries: 0 }))
          .pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })))
      )
      expect(error).toMatchObject({ _tag: "NetworkError", code: "timeout" })
      while (server.cutOff.length === 0) yield* Effect.yieldNow()
      expect(server.cutOff).toEqual([true])
    }).pipe(Effect.scoped))

  it.live("interrupting a call aborts its request", () =>
    Effect.gen(function*() {
      const server = yield* loopback(() => {
        // never answers
      })
      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const fiber = yield* Effect.fork(pf.payments.list())
        while (server.seen.length === 0) yield* Effect.sleep("1 millis")
        yield* Fiber.interrupt(fiber)
      }).pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })))
      while (server.cutOff.length === 0) yield* Effect.yieldNow()
      expect(server.cutOff).toEqual([true])
    }).pipe(Effect.scoped))

  it.live("a 503 then a 200: retried with the same idempotency key and the same body", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res, n) => {
        if (n === 1) {
          res.writeHead(503, { "content-type": "application/json" })
          res.end(JSON.stringify({ error: { type: "api_error", code: "unavailable", message: "try again" } }))
        } else ok(res)
      })
      const payment = yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" }))
        .pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url, retry: Schedule.recurs(2) })))
      expect(payment.id).toBe(PAYMENT.id)
      expect(server.seen).toHaveLength(2)
      const [first, second] = server.seen
      expect(first?.headers["idempotency-key"]).toMatch(/^pf_/)
      expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"])
      expect(second?.body).toBe(first?.body)
      expect(JSON.parse(first?.body ?? "")).toEqual({ amount: 2500, currency: "USD" })
      expect(first?.headers["content-type"]).toBe("application/json")
      expect(first?.headers["authorization"]).toBe(`Bearer ${SK}`)
      expect(first?.url).toBe("/v1/payments")
    }).pipe(Effect.scoped))

  it.live("a base URL with a path prefix keeps it", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.list({ limit: 5 }).pipe(Effect.ignore))
        .pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: `${server.url}/proxy/` })))
      expect(server.seen[0]?.url).toBe("/proxy/v1/payments?limit=5")
      expect(server.seen[0]?.method).toBe("GET")
    }).pipe(Effect.scoped))

  it.live("tracing on: one span per operation, with attributes; traceparent names it; no http.client span", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recording(spans)
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.withTracer(tracer)
      )
      expect(spans.map((s) => s.name)).toEqual(["PaymentFlow.payments.create"])
      const span = spans[0]
      expect(span?.status._tag).toBe("Ended")
      expect(Object.fromEntries(span?.attributes ?? [])).toMatchObject({
        "http.request.method": "POST",
        "url.path": "/v1/payments",
        "paymentflow.operation": "payments.create",
        "http.response.status_code": 200,
        "paymentflow.request_id": "req_direct",
        "paymentflow.attempts": 1
      })
      expect(server.seen[0]?.headers["traceparent"]).toBe(`00-${span?.traceId}-${span?.spanId}-01`)
      expect(JSON.stringify(span?.attributes ? [...span.attributes] : [])).not.toContain(SK)
    }).pipe(Effect.scoped))

  it.live("the operation span is a child of the caller's span and carries Effect.annotateSpans; the generic path (transformClient) opens the same one span, and a middleware's span nests under it", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recording(spans)
      const create = Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" }))
      yield* create.pipe(
        Effect.withSpan("outer"),
        Effect.annotateSpans("tenant", "t1"),
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.withTracer(tracer)
      )
      const byName = (name: string) => spans.find((s) => s.name === name)
      const outer = byName("outer")
      const op = byName("PaymentFlow.payments.create")
      expect(op?.parent._tag === "Some" ? op.parent.value.spanId : undefined).toBe(outer?.spanId)
      expect(op?.traceId).toBe(outer?.traceId)
      expect(op?.attributes.get("tenant")).toBe("t1")
      expect(op?.kind).toBe("client")

      spans.length = 0
      yield* create.pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url, transformClient: HttpClient.transform((effect) => Effect.withSpan(effect, "middleware")) })),
        Effect.withTracer(tracer)
      )
      const generic = byName("PaymentFlow.payments.create")
      const middleware = byName("middleware")
      // the user's own span, and no platform http.client span
      expect(spans.map((s) => s.name).sort()).toEqual(["PaymentFlow.payments.create", "middleware"])
      expect(middleware?.parent._tag === "Some" ? middleware.parent.value.spanId : undefined).toBe(generic?.spanId)
      expect(generic?.status._tag).toBe("Ended")
      expect(server.seen[1]?.headers["traceparent"]).toBe(`00-${generic?.traceId}-${generic?.spanId}-01`)
    }).pipe(Effect.scoped))

  it.live("tracing on with propagation off: the span, but no traceparent/b3 headers", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recording(spans)
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.locally(HttpClient.currentTracerPropagation, false),
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.withTracer(tracer)
      )
      expect(spans.map((s) => s.name)).toEqual(["PaymentFlow.payments.create"])
      expect(server.seen[0]?.headers["traceparent"]).toBeUndefined()
      expect(server.seen[0]?.headers["b3"]).toBeUndefined()
    }).pipe(Effect.scoped))

  it.live("tracing off: no span and no traceparent", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recording(spans)
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.withTracer(tracer),
        Effect.withTracerEnabled(false)
      )
      expect(spans).toEqual([])
      expect(server.seen[0]?.headers["traceparent"]).toBeUndefined()
    }).pipe(Effect.scoped))

  it.live("the Debug line: method, path, status, request id, attempt, masked key", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const lines: Array<string> = []
      const logger = Logger.make(({ logLevel, message }) => {
        if (logLevel._tag === "Debug") lines.push(Array.isArray(message) ? message.join(" ") : String(message))
      })
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      expect(lines).toEqual(["PaymentFlow POST /v1/payments -> 200 (request req_direct, attempt 1, key sk_test...nop1)"])
    }).pipe(Effect.scoped))

  it.live("transformClient still applies (the generic path)", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(NodePaymentFlow.layer({
          apiKey: SK,
          baseUrl: server.url,
          transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-proxy", "yes"))
        }))
      )
      expect(server.seen[0]?.headers["x-proxy"]).toBe("yes")
    }).pipe(Effect.scoped))

  it.live("an HttpClient wrapped by another layer over undici's still sees every request (the adapter, not undici's transport)", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => ok(res))
      const wrapped = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.mapRequest(HttpClientRequest.setHeader("x-wrapped", "yes")))
      ).pipe(Layer.provideMerge(UndiciHttpClient.layer))
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK, baseUrl: server.url }).pipe(Layer.provide(wrapped)))
      )
      expect(server.seen[0]?.headers["x-wrapped"]).toBe("yes")
    }).pipe(Effect.scoped))

  it.live("a reset after the headers is the same NetworkError on undici's transport and the HttpClient adapter: status, request id, message", () =>
    Effect.gen(function*() {
      const body = JSON.stringify(PAYMENT)
      const server = yield* loopback((res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "request-id": "req_midbody" })
        res.write(body.slice(0, 40), () => res.socket?.destroy())
      })
      const attempt = (layer: Layer.Layer<PaymentFlow>) =>
        Effect.flip(Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" }, { maxRetries: 0 }))).pipe(
          Effect.provide(layer)
        )
      const expected = {
        _tag: "NetworkError",
        code: "connection_failed",
        statusCode: 200,
        requestId: "req_midbody",
        message: "The response body could not be read: the connection ended before the HTTP 200 response was complete"
      }
      // undici's own transport (the dispatcher handler)
      expect(yield* attempt(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url }))).toMatchObject(expected)
      // the generic adapter over undici's HttpClient (`transformClient` takes that path)
      expect(yield* attempt(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url, transformClient: (client) => client })))
        .toMatchObject(expected)
      // the generic adapter over fetch
      expect(yield* attempt(PaymentFlow.layer({ apiKey: SK, baseUrl: server.url }).pipe(Layer.provide(FetchHttpClient.layer))))
        .toMatchObject(expected)
      expect(server.seen).toHaveLength(3)
    }).pipe(Effect.scoped))
})
