/**
 * A payment's client secret is a secret: a publishable client (the browser's) sends it — in the
 * query of `GET /v1/payments/{id}`, in the body of confirm — and it never appears unmasked in a
 * span (ours or the platform's `http.client`, which records `url.full`/`url.query`), in the
 * attempt's log line (which prints the path), or in an error. Against the in-process sandbox,
 * whose `HttpClient` is the platform's (so its `http.client` spans are real).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { maskClientSecret, PaymentFlow } from "@paymentflow/core"
import { makePublishableSubset } from "@paymentflow/core/PaymentFlow"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import { recording } from "./utils/Spans.js"

const SK = "sk_test_clientsecretmasking01"
const PK = "pk_test_clientsecretmasking01"
const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }

/** Every span started, and every log line with its annotations, as text. */
const recorder = Effect.gen(function*() {
  const spans: Array<Tracer.Span> = []
  const tracer = yield* recording(spans)
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, message }) => {
    lines.push([String(message), ...[...HashMap.toEntries(annotations)].map(([k, v]) => `${k}=${String(v)}`)].join(" "))
  })
  const spanTexts = () => spans.flatMap((s) => [s.name, ...[...s.attributes.entries()].map(([k, v]) => `${k}=${String(v)}`)])
  return { spans, lines, tracer, logger, spanTexts }
})

describe("the client secret stays secret", () => {
  it.scoped("retrieve and confirm by the secret: the request carries it; no span, log line or error shows it", () =>
    Effect.gen(function*() {
      const rec = yield* recorder
      const sent: Array<string> = []
      const traceparents: Array<string | undefined> = []
      const server = yield* PaymentFlow.make({ apiKey: SK })
      const page = yield* makePublishableSubset(
        // `transformClient` sees the request as it goes out (and bypasses no span: the adapter still runs it)
        { apiKey: PK, transformClient: HttpClient.tapRequest((request) =>
          Effect.sync(() => {
            sent.push(request.url + JSON.stringify(request.body))
            traceparents.push(request.headers["traceparent"])
          })) },
        ["payments.retrieve", "payments.confirm"]
      )
      const observed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(
          Effect.withTracer(rec.tracer),
          Effect.provide(Logger.replace(Logger.defaultLogger, rec.logger)),
          Logger.withMinimumLogLevel(LogLevel.Debug)
        )

      const created = yield* observed(server.payments.create({ amount: 2500, currency: "USD" }))
      const secret = created.clientSecret
      const retrieved = yield* observed(page.payments.retrieve(secret))
      expect(retrieved).toMatchObject({ id: created.id, status: "pending", clientSecret: secret })
      const confirmed = yield* observed(page.payments.confirm(secret, { paymentMethod: { card } }))
      expect(confirmed).toMatchObject({ id: created.id, status: "succeeded" })
      // another payment's secret shape for this id: 404, and the error does not repeat it
      const forged = `${created.id}_secret_000000000000000000000000`
      const missing = yield* observed(Effect.flip(page.payments.retrieve(forged)))
      expect(missing).toMatchObject({ _tag: "NotFoundError", code: "resource_missing" })

      // the requests did carry the secret: in the query of the GET, in the body of the POST
      expect(sent.filter((s) => s.includes(`client_secret=${secret}`))).toHaveLength(1)
      expect(sent.filter((s) => s.includes(`\\"client_secret\\":\\"${secret}\\"`))).toHaveLength(1)

      // traced all the same: every request carries `traceparent` naming its operation's span
      const [retrieveTrace, confirmTrace, forgedTrace] = traceparents
      const spanOf = (name: string) => rec.spans.find((s) => s.name === name)
      expect(retrieveTrace).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
      expect(retrieveTrace).toContain(`-${spanOf("PaymentFlow.payments.retrieve")?.spanId}-`)
      expect(confirmTrace).toContain(`-${spanOf("PaymentFlow.payments.confirm")?.spanId}-`)
      expect(forgedTrace).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)

      // spans: ours for every operation, and no platform http.client span (it records
      // `url.full`/`url.query`, and its failure keeps the request's headers)
      const names = rec.spans.map((s) => s.name)
      expect(names.filter((n) => n === "PaymentFlow.payments.retrieve")).toHaveLength(2)
      expect(names).toContain("PaymentFlow.payments.confirm")
      expect(names.filter((n) => n.startsWith("http.client"))).toEqual([])
      const spanText = rec.spanTexts().join("\n")
      expect(spanText.length).toBeGreaterThan(100)
      expect(spanText).not.toContain(secret)
      expect(spanText).not.toContain(forged)

      // the log lines print the path with the secret masked
      const retrieveLines = rec.lines.filter((l) => l.startsWith("PaymentFlow GET"))
      expect(retrieveLines).toHaveLength(2)
      expect(retrieveLines[0]).toContain(`/v1/payments/${created.id}?client_secret=${maskClientSecret(secret)}`)
      const logText = rec.lines.join("\n")
      expect(logText).not.toContain(secret)
      expect(logText).not.toContain(forged)

      // the error: message, toString, JSON, inspect
      const rendered = [missing.message, String(missing), JSON.stringify(missing), inspect(missing, { depth: 10 })].join("\n")
      expect(rendered).not.toContain(forged)
      expect(rendered).not.toContain("_secret_0000")
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false, processingDelay: 0 }))))
})
