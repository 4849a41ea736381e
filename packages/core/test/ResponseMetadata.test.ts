/**
 * Response metadata without giving up typed results (`PaymentFlow.withResponse` in Effect,
 * `.withResponse()` on the Promise client's calls), the attempt count on errors, plain string
 * ids, and the per-attempt log line (Effect's `Logger` at the `logLevel` option's level; the
 * Promise client's `logger` option), which never carries the key or the body.
 */
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlow, PaymentFlowClient, Retry, ValidationError } from "@paymentflow/core"
import type { PaymentId } from "@paymentflow/core/Fields"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type { Script } from "./utils/ScriptedHttp.js"
import * as Scripted from "./utils/ScriptedHttp.js"

/** A canary key: no log line, annotation or field may contain it. */
const SK = "sk_test_CanaryKeyNeverLogged0123"
const payId = Scripted.id("pay", 1)
const immediate = Retry.make({ maxRetries: 2, initialDelay: 0 })
const card = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }

const replayed: Script = () => ({
  status: 200,
  json: Scripted.paymentJson(payId),
  headers: { "idempotent-replayed": "true", "ratelimit-limit": "100", "ratelimit-remaining": "97", "ratelimit-reset": "12" }
})

const withClient = <A, E>(script: Script, f: (pf: PaymentFlow.Service) => Effect.Effect<A, E>, options: Partial<PaymentFlow.Options> = {}) => {
  const http = Scripted.make(script)
  return Effect.gen(function*() {
    const pf = yield* PaymentFlow.make({ apiKey: SK, retry: immediate, ...options })
    const exit = yield* Effect.exit(f(pf))
    return { exit, requests: http.requests }
  }).pipe(Effect.scoped, Effect.provide(http.layer))
}

const success = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${String(exit.cause)}`)
  return exit.value
}

describe("PaymentFlow.withResponse (Effect)", () => {
  it.effect("the typed result with request id, status, replay flag (a boolean), rate limit, attempts and headers", () =>
    Effect.gen(function*() {
      const { exit } = yield* withClient(replayed, (pf) => pf.payments.create({ amount: 2500, currency: "USD" }).pipe(PaymentFlow.withResponse))
      const { data, response } = success(exit)
      const id: PaymentId = data.id
      expect(id).toBe(payId)
      expect(response).toMatchObject({
        requestId: "req_000000000000000000000000",
        statusCode: 200,
        idempotentReplayed: true,
        rateLimit: { limit: 100, remaining: 97, resetSeconds: 12 },
        attempts: 1
      })
      expect(response.headers["idempotent-replayed"]).toBe("true")
    }))

  it.effect("no replay header: idempotentReplayed false; no RateLimit headers: rateLimit undefined", () =>
    Effect.gen(function*() {
      const { exit } = yield* withClient(
        () => ({ status: 200, json: Scripted.paymentJson(payId) }),
        (pf) => PaymentFlow.withResponse(pf.payments.retrieve(payId))
      )
      const { response } = success(exit)
      expect(response.idempotentReplayed).toBe(false)
      expect(response.rateLimit).toBeUndefined()
    }))

  it.effect("after a retried 503 the metadata is the last response's, with the attempt count", () =>
    Effect.gen(function*() {
      const { exit } = yield* withClient(
        (_, i) => i === 0 ? { status: 503, json: Scripted.errorJson("api_error", "service_unavailable", "down") } : replayed(_, i),
        (pf) => pf.payments.create({ amount: 2500, currency: "USD" }).pipe(PaymentFlow.withResponse)
      )
      const { response } = success(exit)
      expect(response.attempts).toBe(2)
      expect(response.requestId).toBe("req_000000000000000000000001")
    }))

  it.effect("a failed call's error carries requestId and attempts; a local refusal has no attempts", () =>
    Effect.gen(function*() {
      const down: Script = () => ({ status: 503, json: Scripted.errorJson("api_error", "service_unavailable", "down") })
      const { exit } = yield* withClient(down, (pf) => Effect.flip(pf.payments.create({ amount: 2500, currency: "USD" }).pipe(PaymentFlow.withResponse)))
      expect(success(exit)).toMatchObject({ _tag: "ApiError", statusCode: 503, attempts: 3, requestId: "req_000000000000000000000002" })
      const local = yield* withClient(down, (pf) => Effect.flip(pf.payments.retrieve("pay_nope")))
      const refused = success(local.exit)
      expect(refused).toBeInstanceOf(ValidationError)
      expect(refused).toMatchObject({ field: "id" })
      expect(refused.attempts).toBeUndefined()
      expect(local.requests).toHaveLength(0)
    }))

  it.effect("ids from strings: a route's plain string goes straight in", () =>
    Effect.gen(function*() {
      const fromRoute: string = payId
      const { exit, requests } = yield* withClient(replayed, (pf) => pf.payments.retrieve(fromRoute))
      expect(success(exit).id).toBe(payId)
      expect(requests[0]?.url.pathname).toBe(`/v1/payments/${payId}`)
    }))

  it.effect("an effect that ran no operation dies, saying so", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PaymentFlow.withResponse(Effect.succeed(1)))
      expect(Exit.isFailure(exit) && String(exit.cause)).toContain("ran no PaymentFlow operation")
    }))
})

describe("the per-attempt log line", () => {
  it.effect("logLevel Info: one Info line per attempt with method, path, status, request id, duration and masked key", () =>
    Effect.gen(function*() {
      const lines: Array<{ level: string; message: string; annotations: Record<string, unknown> }> = []
      const capture = Logger.make(({ annotations, logLevel, message }) => {
        lines.push({
          level: logLevel.label,
          message: Array.isArray(message) ? message.join(" ") : String(message),
          annotations: Object.fromEntries(HashMap.toEntries(annotations))
        })
      })
      yield* withClient(
        (_, i) => i === 0 ? { status: 503, json: Scripted.errorJson("api_error", "service_unavailable", "down") } : replayed(_, i),
        (pf) => pf.payments.create({ amount: 2500, currency: "USD", paymentMethod: card }),
        { logLevel: "Info" }
      ).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, capture)))
      expect(lines.map((l) => [l.level, l.message])).toEqual([
        ["INFO", "PaymentFlow POST /v1/payments -> 503 (request req_000000000000000000000000, attempt 1, key sk_test...0123)"],
        ["INFO", "PaymentFlow POST /v1/payments -> 200 (request req_000000000000000000000001, attempt 2, key sk_test...0123)"]
      ])
      expect(lines[1]?.annotations).toMatchObject({
        method: "POST",
        path: "/v1/payments",
        status: 200,
        requestId: "req_000000000000000000000001",
        attempt: 2,
        apiKey: "sk_test...0123"
      })
      expect(typeof lines[1]?.annotations["durationMs"]).toBe("number")
      const everything = JSON.stringify(lines)
      expect(everything).not.toContain(SK)
      expect(everything).not.toContain("4242424242424242")
    }))

  it.effect("by default the line is Debug: silent under Effect's default minimum level", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const capture = Logger.make(({ logLevel }) => void lines.push(logLevel.label))
      yield* withClient(replayed, (pf) => pf.payments.retrieve(payId)).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.Info)
      )
      expect(lines).toEqual([])
    }))
})

describe("PaymentFlowClient (Promise)", () => {
  it("await is unchanged; .withResponse() gives { data, response } from the same single call", async () => {
    const http = Scripted.make(replayed)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const payment = await client.payments.create({ amount: 2500, currency: "USD" })
    expect(payment.id).toBe(payId)
    const { data, response } = await client.payments.create({ amount: 2500, currency: "USD" }).withResponse()
    expect(data.id).toBe(payId)
    expect(response).toMatchObject({ idempotentReplayed: true, statusCode: 200, attempts: 1, rateLimit: { remaining: 97 } })
    expect(http.requests).toHaveLength(2)
    await client.close()
  })

  it(".withResponse() after the result was awaited: the same call's metadata, no second request", async () => {
    const http = Scripted.make(replayed)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const call = client.payments.create({ amount: 2500, currency: "USD" })
    const payment = await call
    const first = call.withResponse()
    expect(call.withResponse()).toBe(first)
    const { data, response } = await first
    expect(data).toBe(payment)
    expect(response).toMatchObject({ idempotentReplayed: true, statusCode: 200, attempts: 1, requestId: "req_000000000000000000000000" })
    // what `.then` derives is a plain Promise, without `.withResponse()`
    const derived = call.then((p) => p.id)
    expect(derived.constructor).toBe(Promise)
    expect(await derived).toBe(payId)
    expect(http.requests).toHaveLength(1)
    await client.close()
  })

  it("a failed call rejects with the SDK error (attempts included), through await and .withResponse()", async () => {
    const http = Scripted.make(() => ({ status: 404, json: Scripted.errorJson("not_found_error", "resource_missing", "No such payment") }))
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer, maxRetries: 0 })
    await expect(client.payments.retrieve(payId)).rejects.toMatchObject({ _tag: "NotFoundError", attempts: 1 })
    await expect(client.payments.retrieve(payId).withResponse()).rejects.toMatchObject({ _tag: "NotFoundError" })
    await expect(client.payments.retrieve(payId).catch((e: unknown) => e)).resolves.toMatchObject({ statusCode: 404 })
    await client.close()
  })

  it("the logger option: logger.info(fields, message) per attempt, never the key or the body", async () => {
    const calls: Array<ReadonlyArray<unknown>> = []
    const logger = { info: (...args: ReadonlyArray<unknown>) => void calls.push(args) }
    const http = Scripted.make(replayed)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer, logger })
    await client.payments.create({ amount: 2500, currency: "USD", paymentMethod: card })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.[0]).toMatchObject({
      method: "POST",
      path: "/v1/payments",
      status: 200,
      requestId: "req_000000000000000000000000",
      attempt: 1,
      apiKey: "sk_test...0123"
    })
    expect(calls[0]?.[1]).toContain("PaymentFlow POST /v1/payments -> 200")
    expect(JSON.stringify(calls)).not.toContain(SK)
    expect(JSON.stringify(calls)).not.toContain("4242424242424242")
    await client.close()
  })
})
