/**
 * The transport port: a platform's `Transport` standing in for the environment's `HttpClient`
 * receives every attempt of a call, built once (the same request, idempotency key included, on
 * every retry); its failures become `NetworkError`s; and it is bypassed whenever middleware
 * would otherwise miss a request (a `transformClient`, a `Transport` for another client).
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { PaymentFlow, PaymentId } from "@paymentflow/core"
import * as Transport from "@paymentflow/core/Transport"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Scripted from "./utils/ScriptedHttp.js"

const SK = "sk_test_abcdefghijklmnop1234"
const payId = Scripted.id("pay", 1)

type Answer = Effect.Effect<Transport.Response, Transport.TransportError>

/** A fake port over the scripted client's layer, recording every request it is handed. */
const fakeTransport = (answer: (n: number) => Answer, standsInForTheClient = true) =>
  Effect.gen(function*() {
    const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
    const client = yield* Effect.provide(HttpClient.HttpClient, http.layer)
    const sent: Array<Transport.Request> = []
    const service: Transport.Service = {
      opensSpans: false,
      httpClient: standsInForTheClient ? client : HttpClient.make(() => Effect.die("another client")),
      send: (request) => Effect.suspend(() => answer(sent.push(request)))
    }
    const layer = Layer.succeedContext(Context.make(HttpClient.HttpClient, client).pipe(Context.add(Transport.Transport, service)))
    return { sent, http, layer }
  })

const payment = (headers: Record<string, string> = {}): Answer =>
  Effect.succeed({ status: 200, headers, body: JSON.stringify(Scripted.paymentJson(payId)) })

describe("the transport port", () => {
  it.effect("a provided Transport gets every attempt, built once: same request and idempotency key on the retry", () =>
    Effect.gen(function*() {
      const fake = yield* fakeTransport((n) =>
        n === 1 ? Effect.fail(new Transport.TransportError({ reason: "Failed", cause: new Error("ECONNRESET") })) : payment()
      )
      const result = yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK, baseUrl: "http://127.0.0.1:9/proxy", retry: Schedule.recurs(1), timeout: "5 seconds" })),
        Effect.provide(fake.layer)
      )
      expect(result.id).toBe(payId)
      expect(fake.http.requests).toEqual([])
      expect(fake.sent).toHaveLength(2)
      const [first, second] = fake.sent
      expect(second).toBe(first)
      expect(first).toMatchObject({
        method: "POST",
        origin: "http://127.0.0.1:9",
        path: "/proxy/v1/payments",
        body: JSON.stringify({ amount: 2500, currency: "USD" }),
        timeoutMs: 5000
      })
      expect(first?.headers["authorization"]).toBe(`Bearer ${SK}`)
      expect(first?.headers["content-type"]).toBe("application/json")
      expect(first?.headers["idempotency-key"]).toMatch(/^pf_/)
    }))

  it.effect("TimedOut is NetworkError timeout; a response's request-id reaches the typed error", () =>
    Effect.gen(function*() {
      const timedOut = yield* fakeTransport(() => Effect.fail(new Transport.TransportError({ reason: "TimedOut", cause: undefined })))
      const timeout = yield* Effect.flip(Effect.flatMap(PaymentFlow, (pf) => pf.payments.list()).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK, maxRetries: 0, timeout: "2 seconds" })),
        Effect.provide(timedOut.layer)
      ))
      expect(timeout).toMatchObject({ _tag: "NetworkError", code: "timeout", message: "No response within 2s" })

      const missing = yield* fakeTransport(() =>
        Effect.succeed({
          status: 404,
          headers: { "request-id": "req_fromtheport" },
          body: JSON.stringify(Scripted.errorJson("not_found_error", "resource_missing", "No such payment"))
        })
      )
      const notFound = yield* Effect.flip(Effect.flatMap(PaymentFlow, (pf) => pf.payments.retrieve(PaymentId.make(payId))).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK, maxRetries: 0 })),
        Effect.provide(missing.layer)
      ))
      expect(notFound).toMatchObject({ _tag: "NotFoundError", code: "resource_missing", requestId: "req_fromtheport", statusCode: 404 })
    }))

  it.effect("bypassed with transformClient, and when it stands in for another HttpClient: the HttpClient sees the request", () =>
    Effect.gen(function*() {
      const transformed = yield* fakeTransport(() => payment())
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(PaymentFlow.layer({
          apiKey: SK,
          transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-middleware", "yes"))
        })),
        Effect.provide(transformed.layer)
      )
      expect(transformed.sent).toEqual([])
      expect(transformed.http.requests.map((r) => r.headers["x-middleware"])).toEqual(["yes"])

      const foreign = yield* fakeTransport(() => payment(), false)
      yield* Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 2500, currency: "USD" })).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK })),
        Effect.provide(foreign.layer)
      )
      expect(foreign.sent).toEqual([])
      expect(foreign.http.requests).toHaveLength(1)
    }))
})
