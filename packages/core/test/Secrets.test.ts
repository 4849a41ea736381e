/**
 * The API key never appears unmasked: not in logs, errors, spans, `toString`, `JSON.stringify`
 * or `util.inspect`.
 */
import { describe, expect, it } from "@effect/vitest"
import { maskApiKey, PaymentFlow, PaymentFlowClient, PaymentId } from "@paymentflow/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import * as Scripted from "./utils/ScriptedHttp.js"
import { recording } from "./utils/Spans.js"

const SK = "sk_test_abcdefghijklmnop1234"
const MASKED = "sk_test...1234"
const payId = Scripted.id("pay", 1)

describe("maskApiKey", () => {
  it("shows the first 7 characters, ..., and the last 4", () => {
    expect(maskApiKey(SK)).toBe(MASKED)
    expect(maskApiKey("pk_live_0123456789abcdefXYZW")).toBe("pk_live...XYZW")
  })
  it("never returns a short input whole", () => {
    expect(maskApiKey("sk_test_x")).toBe("***")
    expect(maskApiKey("")).toBe("***")
  })
})

describe("the key stays secret", () => {
  it.effect("one Debug log line per request, with the key masked", () =>
    Effect.gen(function*() {
      const logs: Array<string> = []
      const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
      const pf = yield* PaymentFlow.make({ apiKey: SK }).pipe(Effect.provide(http.layer))
      yield* pf.payments.create({ amount: 1, currency: "USD" }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, Logger.make(({ message, logLevel }) => {
          logs.push(`${logLevel.label} ${String(message)}`)
        }))),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      expect(logs).toHaveLength(1)
      expect(logs[0]).toContain("DEBUG PaymentFlow POST /v1/payments -> 200")
      expect(logs[0]).toContain(MASKED)
      expect(logs.join("\n")).not.toContain(SK)
    }).pipe(Effect.scoped))

  it.effect("spans: one per operation named PaymentFlow.<group>.<name>, with status, request id and attempts; no key", () =>
    Effect.gen(function*() {
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recording(spans)
      const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
      const pf = yield* PaymentFlow.make({ apiKey: SK }).pipe(Effect.provide(http.layer))
      yield* pf.payments.retrieve(PaymentId.make(payId)).pipe(Effect.withTracer(tracer))
      const op = spans.find((s) => s.name === "PaymentFlow.payments.retrieve")
      expect(op).toBeDefined()
      expect(op?.attributes.get("http.request.method")).toBe("GET")
      expect(op?.attributes.get("url.path")).toBe("/v1/payments/:id")
      expect(op?.attributes.get("http.response.status_code")).toBe(200)
      expect(op?.attributes.get("paymentflow.request_id")).toBe("req_000000000000000000000000")
      expect(op?.attributes.get("paymentflow.attempts")).toBe(1)
      // no span (the operation's is the only one) records the key
      const all = spans.flatMap((s) => [...s.attributes.values()].map(String))
      expect(all.length).toBeGreaterThan(5)
      expect(all.join("\n")).not.toContain(SK)
    }).pipe(Effect.scoped))

  it.effect("errors about the key mask it in message, toString, JSON and inspect", () =>
    Effect.gen(function*() {
      const malformed = "sk_test_abcdefghijklmnop!234"
      const http = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(payId) }))
      const pf = yield* PaymentFlow.make({ apiKey: malformed, environment: "production" }).pipe(Effect.provide(http.layer))
      const exit = yield* Effect.exit(pf.payments.list())
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const rendered = [String(exit.cause), JSON.stringify(exit.cause), inspect(exit.cause, { depth: 10 })].join("\n")
        expect(rendered).toContain("api_key_invalid")
        expect(rendered).not.toContain(malformed)
        expect(rendered).toContain("sk_test...!234")
      }
      expect(JSON.stringify(pf)).not.toContain(malformed)
      expect(inspect(pf, { depth: 10 })).not.toContain(malformed)
    }).pipe(Effect.scoped))

  it("the Promise client shows only the masked key", async () => {
    const client = new PaymentFlowClient({ apiKey: SK })
    expect(String(client)).toBe(`PaymentFlowClient(${MASKED})`)
    expect(JSON.stringify(client)).not.toContain(SK)
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(SK)
    await client.close()
  })
})
