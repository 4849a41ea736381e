/**
 * API versions, raw HTTP against the in-process sandbox. Every request names the version it
 * tests (never the SDK's pin): `2026-12-01`'s client secret and publishable-key rules, `2025-06-01`
 * as it always was, the account's default version, a replay rendered in the replaying request's
 * version, events in their endpoint's version, and a made-up third version registered with one
 * declared entry.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Versions from "@paymentflow/core/Versions"
import { Sandbox, type SandboxOptions } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import { parseArgs, UsageError } from "../src/internal/cli.js"
import { card, freshKey } from "./http.js"
import { waitFor } from "./waitFor.js"

const V1 = "2025-06-01"
const V2 = "2026-12-01"
const sk = freshKey("sk")
const pk = freshKey("pk")

interface Sent {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Record<string, unknown>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** One raw request; `version: null` sends no `PaymentFlow-Version`. */
const send = (
  version: string | null,
  method: "GET" | "POST",
  path: string,
  options: { readonly key?: string; readonly body?: unknown; readonly headers?: Record<string, string> } = {}
) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(`https://sandbox.api.paymentflow.com${path}`).pipe(
      HttpClientRequest.bearerToken(options.key ?? sk),
      HttpClientRequest.setHeaders({ ...(version === null ? {} : { "PaymentFlow-Version": version }), ...options.headers })
    )
    if (options.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, options.body)
    const response = yield* client.execute(request)
    const json: unknown = yield* Effect.orElseSucceed(response.json, () => undefined)
    return { status: response.status, headers: response.headers, body: isRecord(json) ? json : {} } satisfies Sent
  })

const ok = (sent: Sent) => {
  expect({ status: sent.status, body: sent.body }).toMatchObject({ status: 200 })
  return sent.body
}

const expectError = (sent: Sent, status: number, code: string, field?: string) => {
  expect(sent.status).toBe(status)
  expect(sent.body["error"]).toMatchObject({ code, ...(field === undefined ? {} : { field }) })
  if (field === undefined) expect(sent.body["error"]).not.toHaveProperty("field")
}

const SECRET = /^(pay_[A-Za-z0-9]{24})_secret_[A-Za-z0-9]{24}$/

const withSandbox = (options?: SandboxOptions) => Effect.provide(Sandbox.layer(options))

/** A pending payment created with the secret key under `version`. */
const pending = (version: string) => Effect.map(send(version, "POST", "/v1/payments", { body: { amount: 2500, currency: "USD" } }), ok)


describe("API version 2026-12-01", () => {
  it.scoped("a payment carries its client_secret, fixed for its life, in every secret-key response about it", () =>
    Effect.gen(function*() {
      const created = yield* pending(V2)
      const secret = created["client_secret"]
      expect(typeof secret === "string" ? SECRET.exec(secret)?.[1] : undefined).toBe(created["id"])
      const retrieved = ok(yield* send(V2, "GET", `/v1/payments/${created["id"]}`))
      expect(retrieved["client_secret"]).toBe(secret)
      const cancelled = ok(yield* send(V2, "POST", `/v1/payments/${created["id"]}/cancel`))
      expect(cancelled).toMatchObject({ status: "cancelled", client_secret: secret })
    }).pipe(withSandbox()))

  it.scoped("a publishable key cannot create a payment", () =>
    Effect.gen(function*() {
      const refused = yield* send(V2, "POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "USD" } })
      expectError(refused, 403, "permission_denied")
      expect(yield* Effect.flatMap(Sandbox, (s) => s.payments)).toEqual([])
    }).pipe(withSandbox()))

  it.scoped("a publishable key retrieves a payment only with its client_secret", () =>
    Effect.gen(function*() {
      const payment = yield* pending(V2)
      const other = yield* pending(V2)
      const path = `/v1/payments/${payment["id"]}`
      const secret = String(payment["client_secret"])
      expectError(yield* send(V2, "GET", path, { key: pk }), 400, "parameter_missing", "client_secret")
      expectError(yield* send(V2, "GET", `${path}?client_secret=`, { key: pk }), 400, "parameter_missing", "client_secret")
      expectError(yield* send(V2, "GET", `${path}?client_secret=${String(other["client_secret"])}`, { key: pk }), 404, "resource_missing")
      expectError(yield* send(V2, "GET", `${path}?client_secret=nonsense`, { key: pk }), 404, "resource_missing")
      const seen = ok(yield* send(V2, "GET", `${path}?client_secret=${secret}`, { key: pk }))
      expect(seen).toMatchObject({ id: payment["id"], client_secret: secret })
      // whatever the key, a secret that is presented must be the payment's
      expectError(yield* send(V2, "GET", `${path}?client_secret=${String(other["client_secret"])}`), 404, "resource_missing")
      expect(ok(yield* send(V2, "GET", `${path}?client_secret=${secret}`))["client_secret"]).toBe(secret)
    }).pipe(withSandbox()))

  it.scoped("a publishable key confirms a payment only with its client_secret (a body field)", () =>
    Effect.gen(function*() {
      const payment = yield* pending(V2)
      const other = yield* pending(V2)
      const path = `/v1/payments/${payment["id"]}/confirm`
      const secret = String(payment["client_secret"])
      const paymentMethod = card("4242424242424242")
      expectError(yield* send(V2, "POST", path, { key: pk, body: { payment_method: paymentMethod } }), 400, "parameter_missing", "client_secret")
      expectError(
        yield* send(V2, "POST", path, { key: pk, body: { payment_method: paymentMethod, client_secret: String(other["client_secret"]) } }),
        404,
        "resource_missing"
      )
      // nothing was confirmed by the refused requests
      expect(ok(yield* send(V2, "GET", `/v1/payments/${payment["id"]}`))["status"]).toBe("pending")
      const confirmed = ok(yield* send(V2, "POST", path, { key: pk, body: { payment_method: paymentMethod, client_secret: secret } }))
      expect(confirmed).toMatchObject({ status: "succeeded", client_secret: secret })
    }).pipe(withSandbox()))

  it.scoped("lists and events never carry client_secret, whatever the endpoint's version", () => {
    const payloads: Array<string> = []
    const handler = (payload: string) => Effect.sync(() => (payloads.push(payload), 200))
    return Effect.gen(function*() {
      const payment = yield* pending(V2)
      ok(yield* send(V2, "POST", `/v1/payments/${payment["id"]}/confirm`, { body: { payment_method: card("4242424242424242") } }))
      const list = ok(yield* send(V2, "GET", "/v1/payments"))
      expect(list["data"]).toEqual([expect.objectContaining({ id: payment["id"], status: "succeeded" })])
      expect(JSON.stringify(list)).not.toContain("client_secret")
      yield* waitFor(Effect.sync(() => payloads), (p) => p.length === 2)
      for (const payload of payloads) {
        expect(JSON.parse(payload)).toMatchObject({ type: "payment.succeeded", data: { id: payment["id"] } })
        expect(payload).not.toContain("_secret_")
      }
      const events = yield* Effect.flatMap(Sandbox, (s) => s.events)
      expect(events.map((e) => e.data)).toEqual([expect.not.objectContaining({ clientSecret: expect.anything() })])
    }).pipe(withSandbox({
      webhooks: [{ secret: "whsec_a", handler, version: V2 }, { secret: "whsec_b", handler }]
    }))
  })

  it.scoped("a payment created under 2025-06-01 shows its client_secret when retrieved under 2026-12-01", () =>
    Effect.gen(function*() {
      const old = yield* pending(V1)
      expect(old).not.toHaveProperty("client_secret")
      const now = ok(yield* send(V2, "GET", `/v1/payments/${old["id"]}`))
      expect(String(now["client_secret"])).toMatch(SECRET)
      expect(String(now["client_secret"]).startsWith(`${String(old["id"])}_secret_`)).toBe(true)
    }).pipe(withSandbox()))
})

describe("API version 2025-06-01: as it always was", () => {
  it.scoped("no client_secret anywhere; a publishable key creates, retrieves and confirms with the id alone", () =>
    Effect.gen(function*() {
      const created = ok(yield* send(V1, "POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "USD" } }))
      expect(created).not.toHaveProperty("client_secret")
      const retrieved = ok(yield* send(V1, "GET", `/v1/payments/${created["id"]}`, { key: pk }))
      expect(retrieved).not.toHaveProperty("client_secret")
      const confirmed = ok(yield* send(V1, "POST", `/v1/payments/${created["id"]}/confirm`, {
        key: pk,
        body: { payment_method: card("4242424242424242") }
      }))
      expect(confirmed).toMatchObject({ status: "succeeded" })
      expect(confirmed).not.toHaveProperty("client_secret")
      expect(ok(yield* send(V1, "GET", `/v1/payments/${created["id"]}`))).not.toHaveProperty("client_secret")
    }).pipe(withSandbox()))

  it.scoped("the client_secret parameter does not exist, empty or not", () =>
    Effect.gen(function*() {
      const payment = yield* pending(V1)
      const secret = String(ok(yield* send(V2, "GET", `/v1/payments/${payment["id"]}`))["client_secret"])
      for (const value of [secret, ""]) {
        expectError(yield* send(V1, "GET", `/v1/payments/${payment["id"]}?client_secret=${value}`, { key: pk }), 400, "parameter_unknown", "client_secret")
        expectError(
          yield* send(V1, "POST", `/v1/payments/${payment["id"]}/confirm`, {
            body: { payment_method: card("4242424242424242"), client_secret: value }
          }),
          400,
          "parameter_unknown",
          "client_secret"
        )
      }
    }).pipe(withSandbox()))
})

describe("the account's default version", () => {
  it.scoped("without PaymentFlow-Version a request is served as 2025-06-01 by default", () =>
    Effect.gen(function*() {
      const created = ok(yield* send(null, "POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "USD" } }))
      expect(created).not.toHaveProperty("client_secret")
    }).pipe(withSandbox()))

  it.scoped("the defaultVersion option changes it (requests and webhook endpoints without a version)", () => {
    const payloads: Array<string> = []
    return Effect.gen(function*() {
      expectError(yield* send(null, "POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "USD" } }), 403, "permission_denied")
      const created = ok(yield* send(null, "POST", "/v1/payments", { body: { amount: 100, currency: "USD" } }))
      expect(String(created["client_secret"])).toMatch(SECRET)
      expectError(yield* send(null, "GET", `/v1/payments/${created["id"]}`, { key: pk }), 400, "parameter_missing", "client_secret")
      // a header still picks the version
      expect(ok(yield* send(V1, "GET", `/v1/payments/${created["id"]}`, { key: pk }))).not.toHaveProperty("client_secret")
      ok(yield* send(null, "POST", `/v1/payments/${created["id"]}/cancel`))
      yield* waitFor(Effect.sync(() => payloads), (p) => p.length === 1)
      expect(JSON.parse(payloads[0]!)).toMatchObject({ type: "payment.cancelled" })
    }).pipe(withSandbox({
      defaultVersion: V2,
      webhooks: [{ secret: "whsec_a", handler: (payload) => Effect.sync(() => (payloads.push(payload), 200)) }]
    }))
  })

  it("an unknown default version, or webhook endpoint version, is refused when the sandbox is made", () => {
    expect(() => Effect.runSync(Effect.scoped(Effect.asVoid(Effect.provide(Sandbox, Sandbox.layer({ defaultVersion: "1999-01-01" })))))).toThrow(
      /defaultVersion must be one of 2026-12-01, 2025-06-01/
    )
    expect(() =>
      Effect.runSync(Effect.scoped(Effect.asVoid(Effect.provide(Sandbox, Sandbox.layer({ webhooks: [{ url: "http://127.0.0.1:9/h", secret: "whsec_a", version: "x" }] })))))
    ).toThrow(/version must be one of/)
  })

  it("--default-version and --webhook URL=SECRET@VERSION", () => {
    const parsed = parseArgs(["--default-version", V2, "--webhook", `http://127.0.0.1:9/h=whsec_abc@${V1}`, "--webhook=http://127.0.0.1:9/k=whsec_def"])
    expect(parsed).toMatchObject({
      _tag: "Serve",
      options: {
        defaultVersion: V2,
        webhooks: [{ url: "http://127.0.0.1:9/h", secret: "whsec_abc", version: V1 }, { url: "http://127.0.0.1:9/k", secret: "whsec_def" }]
      }
    })
    expect(parsed._tag === "Serve" ? parsed.options.webhooks?.[1] : undefined).not.toHaveProperty("version")
    expect(parseArgs([])).not.toHaveProperty("options.defaultVersion")
    expect(() => parseArgs(["--default-version", "2024-01-01"])).toThrow(UsageError)
    expect(() => parseArgs(["--webhook", "http://127.0.0.1:9/h=whsec_abc@2024-01-01"])).toThrow(UsageError)
  })
})

describe("idempotent replays", () => {
  it.scoped("a replay is rendered in the version of the request that replays it", () =>
    Effect.gen(function*() {
      const body = { amount: 100, currency: "USD" }
      const headers = { "Idempotency-Key": "k-versions-1" }
      const first = ok(yield* send(V2, "POST", "/v1/payments", { body, headers }))
      expect(String(first["client_secret"])).toMatch(SECRET)
      const older = yield* send(V1, "POST", "/v1/payments", { body, headers })
      expect(older.headers["idempotent-replayed"]).toBe("true")
      expect(ok(older)).toEqual(Object.fromEntries(Object.entries(first).filter(([k]) => k !== "client_secret")))
      const again = yield* send(V2, "POST", "/v1/payments", { body, headers })
      expect(again.headers["idempotent-replayed"]).toBe("true")
      expect(ok(again)).toEqual(first)
      // and the other way round: first under 2025-06-01, replayed under 2026-12-01
      const headers2 = { "Idempotency-Key": "k-versions-2" }
      const firstOld = ok(yield* send(V1, "POST", "/v1/payments", { body, headers: headers2 }))
      expect(firstOld).not.toHaveProperty("client_secret")
      const newer = yield* send(V2, "POST", "/v1/payments", { body, headers: headers2 })
      expect(newer.headers["idempotent-replayed"]).toBe("true")
      expect(ok(newer)).toMatchObject({ ...firstOld, client_secret: expect.stringMatching(SECRET) })
      expect(yield* Effect.flatMap(Sandbox, (s) => s.payments)).toHaveLength(2)
    }).pipe(withSandbox()))
})

describe("adding a version is one declared entry", () => {
  /**
   * A made-up version, older than every real one: a customer's phone was sent as `mobile` and
   * not shown by retrieve, and events named a payment's status `state`.
   */
  const V0 = "2024-01-01"
  const versions = Versions.withOlder(Versions.registry, {
    version: V0,
    description: "a made-up version for this test",
    changes: [{
      description: "customers take `mobile`, retrieve shows no phone; events name the payment's status 'state'",
      request: (key, params) => {
        if (key !== "customers.create" || !("mobile" in params)) return params
        const { mobile, ...rest } = params
        return { ...rest, phone: mobile }
      },
      response: (key, body) => {
        if (key !== "customers.retrieve" || !isRecord(body)) return body
        const { phone: _phone, ...rest } = body
        return rest
      },
      event: (_type, data) => {
        if (!isRecord(data) || !("status" in data)) return data
        const { status, ...rest } = data
        return { ...rest, state: status }
      }
    }]
  })

  it.scoped("the made-up version renders one endpoint its way; the others are unchanged; older changes apply too", () => {
    const payloads: Array<{ readonly endpoint: string; readonly payload: string }> = []
    const handler = (endpoint: string) => (payload: string) => Effect.sync(() => (payloads.push({ endpoint, payload }), 200))
    return Effect.gen(function*() {
      const customer = ok(yield* send(V0, "POST", "/v1/customers", { body: { email: "jane@example.com", mobile: "+1 555" } }))
      // the create is rendered as every version renders it: only customers.retrieve changed
      expect(customer["phone"]).toBe("+1 555")
      const retrieved = ok(yield* send(V0, "GET", `/v1/customers/${customer["id"]}`))
      expect(retrieved).not.toHaveProperty("phone")
      expect(retrieved).toMatchObject({ id: customer["id"], email: "jane@example.com" })
      expect(ok(yield* send(V1, "GET", `/v1/customers/${customer["id"]}`))["phone"]).toBe("+1 555")
      // the request change is this version's only: 2025-06-01 never knew `mobile`
      expectError(yield* send(V1, "POST", "/v1/customers", { body: { email: "j@example.com", mobile: "+1" } }), 400, "parameter_unknown", "mobile")
      // 2025-06-01's changes apply to the older version too: a publishable key creates, no client_secret
      const payment = ok(yield* send(V0, "POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "USD", payment_method: card("4242424242424242") } }))
      expect(payment).not.toHaveProperty("client_secret")
      // events in each endpoint's version
      yield* waitFor(Effect.sync(() => payloads), (p) => p.length === 2)
      const byEndpoint = Object.fromEntries(payloads.map((p) => [p.endpoint, JSON.parse(p.payload)]))
      expect(byEndpoint["old"].data).toMatchObject({ id: payment["id"], state: "succeeded" })
      expect(byEndpoint["old"].data).not.toHaveProperty("status")
      expect(byEndpoint["new"].data).toMatchObject({ id: payment["id"], status: "succeeded" })
      // a version the registry does not hold is still unknown
      expectError(yield* send("2023-01-01", "GET", `/v1/customers/${customer["id"]}`), 400, "version_unknown")
    }).pipe(withSandbox({
      versions,
      webhooks: [
        { name: "old", secret: "whsec_a", handler: handler("old"), version: V0 },
        { name: "new", secret: "whsec_b", handler: handler("new"), version: V2 }
      ]
    }))
  })

  it("the registry is data: its versions, newest first, and each one's plan", () => {
    expect(Versions.supported(Versions.registry)).toEqual([V2, V1])
    expect(Versions.supported(versions)).toEqual([V2, V1, V0])
    expect(Versions.plan(versions, "2023-01-01")).toBeUndefined()
    // under 2026-12-01 retrieve needs the client secret, under 2025-06-01 it does not
    const retrieve = { publishable: "with_client_secret" } as const
    expect(Versions.plan(Versions.registry, V2)?.access("payments.retrieve", retrieve)).toEqual(retrieve)
    expect(Versions.plan(Versions.registry, V1)?.access("payments.retrieve", retrieve)).toBe("publishable")
    // the row says 2026-12-01's rule (secret keys only); 2025-06-01 lets a publishable key create
    expect(Versions.plan(Versions.registry, V2)?.access("payments.create", "secret")).toBe("secret")
    expect(Versions.plan(Versions.registry, V1)?.access("payments.create", "secret")).toBe("publishable")
    expect(Versions.plan(Versions.registry, V2)?.response).toBeUndefined()
  })
})
