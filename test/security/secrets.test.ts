/**
 * A canary secret key driven through every operation and every error path — the in-process
 * sandbox (successes, contract errors, injected faults, a 401), local refusals, and a hostile
 * server that echoes the `Authorization` header back in every field it can — with every log
 * line captured at `LogLevel.All`, every span attribute, event and exit captured by a recording
 * tracer, and every error rendered every way a user might (`message`, `String`, `JSON.stringify`,
 * `util.inspect`, `Cause.pretty`), through the Effect client and the Promise facade.
 *
 * The key must never appear: no 6-character piece of its secret part is found anywhere. Where
 * the key is mentioned, its masked form (first 7, `...`, last 4) is.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { CustomerId, maskApiKey, PaymentFlow, PaymentFlowClient, PaymentId, RefundId, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { type Recorder, recorder, renderAll } from "./capture.js"

const CANARY = "sk_test_CaNaRy7Q2xW9pL4mZ8vB3nK6"
const MASKED = "sk_test...3nK6"
const SECRET_PART = CANARY.slice("sk_test_".length)
const visa = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
const notATestCard = { card: { number: "4111111111111111", expMonth: 12, expYear: 2099, cvc: "123" } }

/** Every 6-character piece of the secret part that is found in `text`. */
const leaks = (text: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (let i = 0; i + 6 <= SECRET_PART.length; i++) {
    const piece = SECRET_PART.slice(i, i + 6)
    if (text.includes(piece)) found.push(piece)
  }
  return found
}

interface Capture extends Recorder {
  readonly texts: Array<string>
}

const makeCapture = (): Capture => {
  const texts: Array<string> = []
  return { texts, ...recorder((_, text) => texts.push(text)) }
}

/** Runs `effect` with everything captured; records its exit rendered every way. */
const captured = <A, E, R>(capture: Capture, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const native = yield* Effect.tracer
    const exit = yield* effect.pipe(
      Effect.withTracer(capture.tracer(native)),
      Effect.provide(capture.logger),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.exit
    )
    capture.texts.push(renderAll(exit))
    if (Exit.isFailure(exit)) {
      capture.texts.push(renderAll(exit.cause))
      for (const e of Cause.failures(exit.cause)) capture.texts.push(renderAll(e))
    }
    return exit
  })

/** No retry delay: every retry happens at once (the test clock never has to move). */
const immediate: Retry.Policy = Schedule.recurs(1)

const sandboxLayer = (apiKey: string | Redacted.Redacted<string>, sandbox: Parameters<typeof Sandbox.layer>[0] = { rateLimit: false, faults: true }) =>
  PaymentFlow.layer({ apiKey, retry: immediate }).pipe(Layer.provideMerge(Sandbox.layer(sandbox)))

const withFault = (fault: string) => HttpClient.mapRequest(HttpClientRequest.setHeader("paymentflow-sandbox-fault", fault))

/**
 * A server (or proxy) that echoes the Authorization header into every string of its body and into
 * its `Request-Id` (which the SDK puts into errors, the span and the log line). (The raw response
 * headers a caller reads with `.withResponse()` are the server's, as it sent them.)
 */
const echoingClient = (status: number, shape: "envelope" | "html" | "transport" | "payment") =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) => {
      const auth = request.headers["authorization"] ?? ""
      if (shape === "transport") {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error(`connect failed for ${auth}`) }))
      }
      const headers = { "content-type": shape === "html" ? "text/html" : "application/json", "request-id": auth }
      const body = shape === "html"
        ? `<html>${auth}</html>`
        : shape === "payment"
        ? JSON.stringify({ id: auth, object: "payment", amount: auth })
        : JSON.stringify({ error: { type: "validation_error", code: `bad ${auth}`, message: `you sent ${auth}`, field: auth } })
      return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status, headers })))
    })
  )

const expectNoLeak = (texts: ReadonlyArray<string>) => {
  const all = texts.join("\n")
  expect(all.length).toBeGreaterThan(1000)
  const found = leaks(all)
  if (found.length > 0) {
    const where = texts.filter((t) => leaks(t).length > 0).map((t) => t.slice(0, 400))
    expect.fail(`the key leaked (${found.join(", ")}) in:\n${where.slice(0, 3).join("\n---\n")}`)
  }
}

describe("the canary key never leaks", () => {
  it("the mask is first 7, ..., last 4", () => {
    expect(maskApiKey(CANARY)).toBe(MASKED)
  })

  it.effect("every operation and every contract error against the sandbox (key as string and as Redacted)", () =>
    Effect.gen(function*() {
      const capture = makeCapture()
      for (const apiKey of [CANARY, Redacted.make(CANARY)]) {
        yield* captured(
          capture,
          Effect.gen(function*() {
            const pf = yield* PaymentFlow
            const run = <A, E>(effect: Effect.Effect<A, E>) => captured(capture, effect)
            const customer = yield* pf.customers.create({ email: "canary@example.com", name: "Canary" })
            yield* run(pf.customers.retrieve(customer.id))
            yield* run(pf.customers.update(customer.id, { metadata: { k: "v" } }))
            yield* run(pf.customers.list({ limit: 2 }))
            yield* run(Stream.runCollect(pf.customers.listAll({ limit: 1 })).pipe(Effect.map(Chunk.size)))
            const payment = yield* pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id })
            yield* run(pf.payments.retrieve(payment.id))
            yield* run(pf.payments.list({ limit: 3 }))
            yield* run(Stream.runCollect(pf.payments.listAll({ limit: 1 })))
            const confirmed = yield* pf.payments.confirm(payment.id, { paymentMethod: visa })
            const pending = yield* pf.payments.create({ amount: 100, currency: "EUR" })
            yield* run(pf.payments.cancel(pending.id))
            const refund = yield* pf.refunds.create({ paymentId: confirmed.id, amount: 100 })
            yield* run(pf.refunds.retrieve(refund.id))
            yield* run(pf.refunds.list({ paymentId: confirmed.id }))
            yield* run(Stream.runCollect(pf.refunds.listAll()))
            // contract errors from the server
            yield* run(pf.payments.confirm(payment.id, { paymentMethod: visa })) // 409 not confirmable
            yield* run(pf.payments.create({ amount: 1, currency: "USD", paymentMethod: notATestCard })) // 400 card_not_test
            yield* run(pf.payments.retrieve(PaymentId.make("pay_000000000000000000000000"))) // 404
            yield* run(pf.refunds.retrieve(RefundId.make("ref_000000000000000000000000")))
            yield* run(pf.refunds.create({ paymentId: confirmed.id, amount: 99_999_999 })) // 400 refund_exceeds_payment
            yield* run(pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "canary-1" }))
            yield* run(pf.payments.create({ amount: 2, currency: "USD" }, { idempotencyKey: "canary-1" })) // 409 reused
            yield* run(pf.customers.delete(customer.id))
            yield* run(pf.customers.delete(CustomerId.make("cus_000000000000000000000000")))
            // local refusals
            yield* run(pf.payments.create({ amount: -1, currency: "USD" }))
            yield* run(pf.payments.create({ amount: 1, currency: "USD" }, { idempotencyKey: "\u0000" }))
          }).pipe(Effect.provide(sandboxLayer(apiKey)))
        )
      }
      expectNoLeak(capture.texts)
      const all = capture.texts.join("\n")
      expect(all).toContain(MASKED) // the per-request Debug log names the key, masked
      expect(all).toContain("card_not_test")
      expect(all).toContain("idempotency_key_reused")
    }))

  it.effect("injected faults: 500, 503, 429, html-502, truncate, drop-after-commit", () =>
    Effect.gen(function*() {
      const capture = makeCapture()
      for (const fault of ["500", "503", "429", "html-502", "truncate", "drop-after-commit"]) {
        const exit = yield* captured(
          capture,
          Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 1, currency: "USD" }, { maxRetries: 0 })).pipe(
            Effect.provide(PaymentFlow.layer({ apiKey: CANARY, transformClient: withFault(fault) }).pipe(
              Layer.provideMerge(Sandbox.layer({ rateLimit: false, faults: true }))
            ))
          )
        )
        expect(Exit.isFailure(exit), fault).toBe(true)
      }
      expectNoLeak(capture.texts)
    }))

  it.effect("401 from a sandbox that does not know the key; 429 from its rate limit", () =>
    Effect.gen(function*() {
      const capture = makeCapture()
      const unknown = yield* captured(
        capture,
        Effect.flatMap(PaymentFlow, (pf) => pf.payments.list()).pipe(
          Effect.provide(sandboxLayer(CANARY, { rateLimit: false, apiKeys: ["sk_test_someoneElse000000000000"] }))
        )
      )
      expect(unknown).toMatchObject({ _tag: "Failure" })
      const limited = yield* captured(
        capture,
        Effect.flatMap(PaymentFlow, (pf) => Effect.zipRight(pf.payments.list(), pf.payments.list({}, { maxRetries: 0 }))).pipe(
          Effect.provide(sandboxLayer(CANARY, { rateLimit: 1 }))
        )
      )
      expect(limited).toMatchObject({ _tag: "Failure" })
      expectNoLeak(capture.texts)
      expect(capture.texts.join("\n")).toContain(MASKED)
    }))

  it.effect("local refusals: malformed key, wrong environment, insecure base URL, pk_ on a secret operation", () =>
    Effect.gen(function*() {
      const capture = makeCapture()
      const malformed = `${CANARY.slice(0, -5)}!${CANARY.slice(-4)}`
      const cases: ReadonlyArray<PaymentFlow.Options> = [
        { apiKey: malformed },
        { apiKey: CANARY, environment: "production" },
        { apiKey: CANARY, baseUrl: "http://api.example.com" },
        { apiKey: CANARY, baseUrl: "not a url" },
        { apiKey: `pk_test_${SECRET_PART}` }
      ]
      for (const options of cases) {
        const exit = yield* captured(
          capture,
          Effect.flatMap(PaymentFlow, (pf) => pf.refunds.list()).pipe(Effect.provide(PaymentFlow.layer(options).pipe(Layer.provide(Sandbox.layer()))))
        )
        expect(Exit.isFailure(exit)).toBe(true)
      }
      expectNoLeak(capture.texts)
      const all = capture.texts.join("\n")
      expect(all).toContain(MASKED)
      expect(all).toContain("pk_test...3nK6")
    }))

  it.effect("a hostile server echoing the Authorization header into every field of its answer", () =>
    Effect.gen(function*() {
      const capture = makeCapture()
      const cases = [
        [400, "envelope"],
        [401, "envelope"],
        [404, "envelope"],
        [409, "envelope"],
        [429, "envelope"],
        [500, "envelope"],
        [503, "envelope"],
        [502, "html"],
        [200, "payment"],
        [200, "html"],
        [0, "transport"]
      ] as const
      for (const [status, shape] of cases) {
        const call = Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: 1, currency: "USD" }, { maxRetries: 0 })).pipe(
          Effect.provide(PaymentFlow.layer({ apiKey: CANARY }).pipe(Layer.provide(echoingClient(status === 0 ? 200 : status, shape))))
        )
        const exit = yield* captured(capture, call)
        expect(Exit.isFailure(exit), `${status} ${shape}`).toBe(true)
      }
      expectNoLeak(capture.texts)
    }))
})

describe("the canary key never leaks through the Promise facade", () => {
  it("rejections, the client itself and its logs show at most the masked key", async () => {
    const capture = makeCapture()
    const rendered: Array<string> = []
    for (const [status, shape] of [[400, "envelope"], [500, "envelope"], [502, "html"], [200, "payment"], [0, "transport"]] as const) {
      const client = new PaymentFlowClient({
        apiKey: CANARY,
        maxRetries: 0,
        httpClient: echoingClient(status === 0 ? 200 : status, shape),
        tracing: true,
        layer: Layer.merge(capture.logger, Logger.minimumLogLevel(LogLevel.All))
      })
      const rejection: unknown = await client.payments.create({ amount: 1, currency: "USD" }).then(() => "resolved", (e: unknown) => e)
      expect(rejection).toBeInstanceOf(Error)
      rendered.push(renderAll(rejection), renderAll(client))
      const badId: unknown = await client.payments.retrieve(`pay_${CANARY}`).then(() => "resolved", (e: unknown) => e)
      rendered.push(renderAll(badId))
      await client.close()
    }
    for (const options of [{ apiKey: CANARY, environment: "production" as const }, { apiKey: CANARY, baseUrl: "http://evil.example.com" }]) {
      const client = new PaymentFlowClient(options)
      const rejection: unknown = await client.customers.list().then(() => "resolved", (e: unknown) => e)
      expect(rejection).toBeInstanceOf(Error)
      rendered.push(renderAll(rejection), renderAll(client))
      await client.close()
    }
    expectNoLeak([...rendered, ...capture.texts])
    expect(rendered.join("\n")).toContain(MASKED)
  })
})

describe("the canary key never leaks through @paymentflow/node (undici) against the sandbox server", () => {
  it("every fault and contract error, tracing on and off, Debug logs captured", async () => {
    const { PaymentFlowClient: NodeClient } = await import("@paymentflow/node")
    const { SandboxServer } = await import("@paymentflow/sandbox/server")
    const server = await SandboxServer.start({ rateLimit: false, faults: true })
    const capture = makeCapture()
    const rendered: Array<string> = []
    try {
      for (const tracing of [false, true]) {
        const tracerLayer = Layer.unwrapEffect(Effect.map(Effect.tracer, (native) => Layer.setTracer(capture.tracer(native))))
        const client = new NodeClient({
          apiKey: CANARY,
          baseUrl: server.url,
          maxRetries: 0,
          timeout: 2_000,
          tracing,
          layer: Layer.mergeAll(capture.logger, Logger.minimumLogLevel(LogLevel.All), tracerLayer)
        })
        const attempt = async (f: () => Promise<unknown>) => {
          const outcome: unknown = await f().then((v) => v, (e: unknown) => e)
          rendered.push(renderAll(outcome))
        }
        const payment = await client.payments.create({ amount: 2500, currency: "USD" })
        for (const fault of ["500", "503", "429", "html-502", "truncate", "drop-after-commit"]) {
          const faulty = new NodeClient({
            apiKey: CANARY,
            baseUrl: server.url,
            maxRetries: 0,
            transformClient: withFault(fault),
            tracing,
            layer: Layer.mergeAll(capture.logger, Logger.minimumLogLevel(LogLevel.All), tracerLayer)
          })
          await attempt(() => faulty.payments.create({ amount: 1, currency: "USD" }))
          await faulty.close()
        }
        await attempt(() => client.payments.confirm(payment.id, { paymentMethod: notATestCard }))
        await attempt(() => client.payments.retrieve("pay_000000000000000000000000"))
        await attempt(() => client.refunds.create({ paymentId: payment.id }))
        await attempt(() => client.customers.list({ limit: 1000 }))
        await client.close()
      }
      const refused = new NodeClient({ apiKey: CANARY, baseUrl: `http://127.0.0.1:${new URL(server.url).port}`, environment: "production" })
      rendered.push(renderAll(await refused.payments.list().then(() => "resolved", (e: unknown) => e)))
      await refused.close()
    } finally {
      await server.close()
    }
    expectNoLeak([...rendered, ...capture.texts])
    expect(capture.texts.join("\n")).toContain(MASKED)
    // with tracing on, the operation spans were recorded (and checked above)
    expect(capture.texts.some((t) => t.startsWith("span PaymentFlow.payments.create"))).toBe(true)
  }, 60_000)
})
