import { describe, expect, it } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodePaymentFlow, PaymentFlow, UndiciHttpClient } from "@paymentflow/node"
import { SandboxServer } from "@paymentflow/sandbox/server"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { loopback } from "./utils/loopback.js"

const SK = "sk_test_nodeabcdefghijklmnop1"


describe("UndiciHttpClient", () => {
  it.live("sends method, path, query, headers and body; reads status, headers and body (tracing off: the fast path)", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => {
        res.writeHead(201, { "content-type": "application/json", "request-id": "req_x" })
        res.end(JSON.stringify({ ok: true }))
      })
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(`${server.url}/v1/things?a=1`, { headers: { "x-test": "yes" } }).pipe(
          HttpClientRequest.bodyText("{\"b\":2}", "application/json")
        )
      )
      expect(response.status).toBe(201)
      expect(response.headers["request-id"]).toBe("req_x")
      expect(yield* response.json).toEqual({ ok: true })
      expect(server.seen[0]).toMatchObject({ method: "POST", url: "/v1/things?a=1", body: "{\"b\":2}" })
      expect(server.seen[0]?.headers["x-test"]).toBe("yes")
      expect(server.seen[0]?.headers["content-type"]).toBe("application/json")
      expect(server.seen[0]?.headers["traceparent"]).toBeUndefined()
    }).pipe(Effect.withTracerEnabled(false), Effect.scoped, Effect.provide(UndiciHttpClient.layer)))

  for (const tracing of [true, false]) {
    it.live(`interrupting a request aborts it (the server sees the connection close), tracing ${tracing ? "on" : "off"}`, () =>
      Effect.gen(function*() {
        const server = yield* loopback(() => {
          // never answers
        })
        const client = yield* HttpClient.HttpClient
        const fiber = yield* Effect.fork(client.execute(HttpClientRequest.get(`${server.url}/hang`)))
        while (server.seen.length === 0) yield* Effect.yieldNow()
        yield* Fiber.interrupt(fiber)
        while (server.cutOff.length === 0) yield* Effect.yieldNow()
        expect(server.cutOff).toEqual([true])
      }).pipe(Effect.withTracerEnabled(tracing), Effect.scoped, Effect.provide(UndiciHttpClient.layer)))
  }

  it.live("a refused connection is a RequestError (the client maps it to NetworkError)", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const exit = yield* Effect.exit(client.execute(HttpClientRequest.get("http://127.0.0.1:9/")))
      expect(Exit.isFailure(exit)).toBe(true)
      const pf = yield* PaymentFlow
      const error = yield* Effect.flip(pf.customers.list(undefined, { maxRetries: 0 }))
      expect(error).toMatchObject({ _tag: "NetworkError", code: "connection_failed" })
    }).pipe(Effect.provide(Layer.merge(UndiciHttpClient.layer, NodePaymentFlow.layer({ apiKey: SK, baseUrl: "http://127.0.0.1:9" })))))
})

describe("NodePaymentFlow", () => {
  it.live("layer: the service over undici against the sandbox server", () =>
    Effect.gen(function*() {
      const { url } = yield* SandboxServer
      const amount = yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const payment = yield* pf.payments.create({ amount: 999, currency: "GBP" })
        return (yield* pf.payments.retrieve(payment.id)).amount
      }).pipe(Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: url })))
      expect(amount).toBe(999)
    }).pipe(Effect.provide(SandboxServer.layer({ rateLimit: false }))))

  it.live("layerConfig reads PAYMENTFLOW_API_KEY, PAYMENTFLOW_ENVIRONMENT and PAYMENTFLOW_BASE_URL", () =>
    Effect.gen(function*() {
      const { url } = yield* SandboxServer
      const provider = (env: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
      const ok = yield* Effect.provide(
        Effect.flatMap(PaymentFlow, (pf) => pf.customers.create({ email: "cfg@example.com" })),
        NodePaymentFlow.layerConfig().pipe(Layer.provide(provider({ PAYMENTFLOW_API_KEY: SK, PAYMENTFLOW_BASE_URL: url })))
      )
      expect(ok.email).toBe("cfg@example.com")
      const mismatch = yield* Effect.provide(
        Effect.flip(Effect.flatMap(PaymentFlow, (pf) => pf.customers.list())),
        NodePaymentFlow.layerConfig().pipe(
          Layer.provide(provider({ PAYMENTFLOW_API_KEY: SK, PAYMENTFLOW_ENVIRONMENT: "production", PAYMENTFLOW_BASE_URL: url }))
        )
      )
      expect(mismatch).toMatchObject({ _tag: "AuthenticationError", code: "api_key_environment_mismatch" })
      const missing = yield* Effect.exit(Effect.provide(PaymentFlow, NodePaymentFlow.layerConfig().pipe(Layer.provide(provider({})))))
      expect(Exit.isFailure(missing)).toBe(true)
      expect(String(Exit.isFailure(missing) ? missing.cause : "")).toContain("PAYMENTFLOW_API_KEY")
      const badEnv = yield* Effect.exit(
        Effect.provide(PaymentFlow, NodePaymentFlow.layerConfig().pipe(Layer.provide(provider({ PAYMENTFLOW_API_KEY: SK, PAYMENTFLOW_ENVIRONMENT: "staging" }))))
      )
      expect(Exit.isFailure(badEnv)).toBe(true)
    }).pipe(Effect.provide(SandboxServer.layer({ rateLimit: false }))))
})
