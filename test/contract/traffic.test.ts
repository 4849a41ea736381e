/**
 * `openapi.json` checked by live traffic: the SDK runs every operation against the in-process
 * sandbox (valid and invalid input, 401/403/404/409/429, injected 500/503), and a validator nobody
 * here wrote (`openapi-backend`, Ajv's draft 2020-12 for OpenAPI 3.1 schemas) checks every
 * response (declared status, headers, body) and every request the SDK sent. Requests the sandbox
 * refuses with 400 for a reason a schema can state must be refused by the document too.
 *
 * Left out: transport faults that send no valid response by design (`truncate`,
 * `drop-after-commit`, the proxy-style `html-502`).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { BrowserPaymentFlow } from "@paymentflow/browser/BrowserPaymentFlow"
import { PaymentFlow, PaymentId, Retry } from "@paymentflow/core"
import * as Api from "@paymentflow/core/Api"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { HEADERS } from "@paymentflow/core/Headers"
import { Sandbox } from "@paymentflow/sandbox"
import { Ajv2020 } from "ajv/dist/2020.js"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { OpenAPIBackend } from "openapi-backend"

const SK = "sk_test_abcdefghijklmnop1234"
const PK = "pk_test_abcdefghijklmnop1234"
const UNKNOWN_SK = "sk_test_zzzzzzzzzzzzzzzz9999"
const visa = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }

const documentText = readFileSync(fileURLToPath(new URL("../../openapi.json", import.meta.url)), "utf8")
const documentInfo: { readonly info: { readonly version: string } } = JSON.parse(documentText)
const DOCUMENT_VERSION = documentInfo.info.version

const validator = async () => {
  const api = new OpenAPIBackend({
    definition: JSON.parse(documentText),
    strict: true,
    validate: true,
    // `quick` skips its own document check, which knows OpenAPI 3.0 only (openapi.test.ts checks
    // the document as 3.1); requests and responses are still validated, each when first seen
    quick: true,
    coerceTypes: true,
    // OpenAPI 3.1 schemas are JSON Schema 2020-12: validate with Ajv's 2020 dialect
    customizeAjv: (_default, options) => {
      const ajv = new Ajv2020({ ...options, strict: false, allErrors: true })
      // `format: email` travels with the contract's own `pattern`, which is what is checked
      ajv.addFormat("email", true)
      return ajv
    }
  })
  await api.init()
  return api
}

interface Exchange {
  /** `probe`: a request about the key alone (its input is not meant to be valid, so not checked) */
  readonly source: "sdk" | "raw" | "probe"
  readonly method: string
  readonly url: URL
  readonly requestHeaders: Record<string, string>
  readonly requestBody: string
  readonly status: number
  readonly responseHeaders: Record<string, string>
  readonly responseBody: string
}

/** A fetch that serves from the sandbox and records every exchange. */
const recorder = (sandbox: { readonly handler: (request: Request, signal?: AbortSignal | null) => Promise<Response> }) => {
  const exchanges: Array<Exchange> = []
  let source: Exchange["source"] = "sdk"
  let fault: string | undefined
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, { ...init, signal: null })
    if (fault !== undefined) request.headers.set("PaymentFlow-Sandbox-Fault", fault)
    const requestBody = await request.clone().text()
    const response = await sandbox.handler(request, init?.signal ?? null)
    exchanges.push({
      source,
      method: request.method,
      url: new URL(request.url),
      requestHeaders: Object.fromEntries(request.headers),
      requestBody,
      status: response.status,
      responseHeaders: Object.fromEntries(response.headers),
      responseBody: await response.clone().text()
    })
    return response
  }
  return {
    exchanges,
    fetch,
    withFault: <A, E, R>(value: string, effect: Effect.Effect<A, E, R>) =>
      Effect.acquireUseRelease(Effect.sync(() => (fault = value)), () => effect, () => Effect.sync(() => (fault = undefined))),
    raw: (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; key?: string; probe?: boolean } = {}) =>
      Effect.promise(async () => {
        source = options.probe === true ? "probe" : "raw"
        try {
          const response = await fetch(`https://sandbox.api.paymentflow.com${path}`, {
            method,
            headers: {
              authorization: `Bearer ${options.key ?? SK}`,
              // the version the document describes (a request without it is the account's default)
              "paymentflow-version": DOCUMENT_VERSION,
              ...(options.body === undefined ? {} : { "content-type": "application/json" }),
              ...options.headers
            },
            ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
          })
          return { status: response.status, body: await response.json() as unknown }
        } finally {
          source = "sdk"
        }
      })
  }
}

type Recorder = ReturnType<typeof recorder>

const withSdk = (rec: Recorder, apiKey: string) =>
  PaymentFlow.layer({ apiKey, retry: Retry.make({ maxRetries: 0 }) }).pipe(
    Layer.provide(FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, rec.fetch as typeof globalThis.fetch))))
  )

/** Every operation, as a user would call it, including the error paths the server decides. */
const traffic = (rec: Recorder) =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const customer = yield* pf.customers.create({ email: "jane@example.com", name: "Jane", phone: "+15550100", metadata: { tier: "gold" } })
    yield* pf.customers.retrieve(customer.id)
    yield* pf.customers.update(customer.id, { name: "Jane D", phone: null, metadata: { tier: "" } })
    yield* pf.customers.list({ limit: 2, email: "jane@example.com" })
    const payment = yield* pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id, description: "Order #1", metadata: { order_id: "1" } })
    yield* pf.payments.confirm(payment.id, { paymentMethod: visa })
    yield* pf.payments.retrieve(payment.id)
    yield* pf.payments.list({ limit: 2, status: "succeeded", customer: customer.id })
    const page = yield* pf.payments.list({ limit: 1 })
    const last = page.data[0]
    if (last !== undefined) yield* pf.payments.list({ limit: 1, startingAfter: last.id })
    // idempotency: the same key twice replays; the same key with another body conflicts (409)
    yield* pf.payments.create({ amount: 100, currency: "EUR" }, { idempotencyKey: "order-42" })
    yield* pf.payments.create({ amount: 100, currency: "EUR" }, { idempotencyKey: "order-42" })
    yield* Effect.flip(pf.payments.create({ amount: 200, currency: "EUR" }, { idempotencyKey: "order-42" }))
    const pending = yield* pf.payments.create({ amount: 100, currency: "JPY" })
    yield* pf.payments.cancel(pending.id)
    yield* Effect.flip(pf.payments.cancel(pending.id)) // 409 payment_not_cancelable
    yield* Effect.flip(pf.payments.confirm(payment.id, { paymentMethod: visa })) // 409
    yield* Effect.flip(pf.refunds.create({ paymentId: pending.id })) // 409 payment_not_refundable
    const refund = yield* pf.refunds.create({ paymentId: payment.id, amount: 1000, reason: "customer_request" })
    yield* pf.refunds.retrieve(refund.id)
    yield* pf.refunds.list({ limit: 2, paymentId: payment.id })
    yield* Effect.flip(pf.refunds.create({ paymentId: payment.id, amount: 1501 })) // 400 refund_exceeds_payment
    yield* pf.payments.create({ amount: 100, currency: "USD", paymentMethod: { card: { ...visa.card, number: "4000000000000002" } } })
    yield* Effect.flip(pf.payments.list({ startingAfter: PaymentId.make("pay_000000000000000000000000") })) // 400 invalid_cursor
    // 404: well-formed ids of no object
    yield* Effect.flip(pf.payments.retrieve(PaymentId.make("pay_000000000000000000000000")))
    yield* Effect.flip(pf.payments.cancel(PaymentId.make("pay_000000000000000000000001")))
    // saved payment methods: tokenize, attach (the default), charge again in one call, detach
    const pm = yield* pf.paymentMethods.create(visa)
    yield* pf.paymentMethods.retrieve(pm.id)
    yield* pf.paymentMethods.attach(pm.id, { customer: customer.id })
    yield* pf.customers.update(customer.id, { defaultPaymentMethod: pm.id })
    yield* pf.payments.create({ amount: 700, currency: "USD", customer: customer.id, paymentMethod: pm.id })
    yield* pf.customers.listPaymentMethods(customer.id, { limit: 2 })
    const other = yield* pf.customers.create({ email: "other@example.com" })
    yield* Effect.flip(pf.paymentMethods.attach(pm.id, { customer: other.id })) // 409 payment_method_already_attached
    yield* pf.paymentMethods.detach(pm.id)
    yield* Effect.flip(pf.paymentMethods.detach(pm.id)) // 409 payment_method_not_attached
    yield* Effect.flip(pf.payments.create({ amount: 700, currency: "USD", customer: customer.id, paymentMethod: pm.id })) // 400 payment_method_unusable
    yield* Effect.flip(pf.paymentMethods.retrieve("pm_000000000000000000000000")) // 404
    yield* Effect.flip(pf.customers.listPaymentMethods("cus_000000000000000000000000")) // 404
    const gone = yield* pf.customers.create({ email: "gone@example.com" })
    yield* pf.customers.delete(gone.id)
    yield* Effect.flip(pf.customers.retrieve(gone.id))
    yield* Effect.flip(pf.customers.delete(gone.id))
    // input the SDK refuses before sending (no request): still no violation
    yield* Effect.flip(pf.payments.create({ amount: 0, currency: "USD" }))
    // injected faults: 429, 500, 503 on every method
    for (const fault of ["429", "500", "503"]) {
      yield* rec.withFault(fault, Effect.flip(pf.payments.create({ amount: 100, currency: "USD" })))
      yield* rec.withFault(fault, Effect.flip(pf.payments.retrieve(payment.id)))
      yield* rec.withFault(fault, Effect.flip(pf.customers.update(customer.id, { name: "X" })))
      yield* rec.withFault(fault, Effect.flip(pf.customers.delete(customer.id)))
      yield* rec.withFault(fault, Effect.flip(pf.refunds.list({ limit: 2 })))
    }
    return { payment, customer }
  })

/** Requests the sandbox refuses with 400 for a reason a schema can state. */
const invalidRequests: ReadonlyArray<{ readonly name: string; readonly method: string; readonly path: string; readonly body?: unknown; readonly headers?: Record<string, string> }> = [
  { name: "amount: 0", method: "POST", path: "/v1/payments", body: { amount: 0, currency: "USD" } },
  { name: "amount: 1.5", method: "POST", path: "/v1/payments", body: { amount: 1.5, currency: "USD" } },
  { name: "amount over the maximum", method: "POST", path: "/v1/payments", body: { amount: 100_000_000, currency: "USD" } },
  { name: "currency in lower case", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "usd" } },
  { name: "customer: \"bogus\"", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", customer: "bogus" } },
  { name: "a malformed email", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", customer_email: "not-an-email" } },
  { name: "a 1001-character description", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", description: "d".repeat(1001) } },
  { name: "an unknown parameter", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", colour: "red" } },
  { name: "a missing amount", method: "POST", path: "/v1/payments", body: { currency: "USD" } },
  { name: "exp_month: 13", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", payment_method: { card: { number: "4242424242424242", exp_month: 13, exp_year: 2099, cvc: "123" } } } },
  { name: "a 2-digit cvc", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", payment_method: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "12" } } } },
  { name: "an 11-digit card number", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD", payment_method: { card: { number: "42424242424", exp_month: 12, exp_year: 2099, cvc: "123" } } } },
  { name: "51 metadata keys", method: "POST", path: "/v1/customers", body: { email: "a@example.com", metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) } },
  { name: "a 41-character metadata key", method: "POST", path: "/v1/customers", body: { email: "a@example.com", metadata: { ["k".repeat(41)]: "v" } } },
  { name: "a 501-character metadata value", method: "POST", path: "/v1/customers", body: { email: "a@example.com", metadata: { k: "v".repeat(501) } } },
  { name: "a 256-character Idempotency-Key", method: "POST", path: "/v1/payments", body: { amount: 100, currency: "USD" }, headers: { "idempotency-key": "k".repeat(256) } },
  { name: "an unknown PaymentFlow-Version", method: "GET", path: "/v1/payments", headers: { "paymentflow-version": "1999-01-01" } },
  { name: "limit: 0", method: "GET", path: "/v1/payments?limit=0" },
  { name: "limit: 101", method: "GET", path: "/v1/customers?limit=101" },
  { name: "limit: two", method: "GET", path: "/v1/refunds?limit=two" },
  { name: "a malformed cursor", method: "GET", path: "/v1/payments?starting_after=bogus" },
  { name: "status: unknown", method: "GET", path: "/v1/payments?status=lost" },
  { name: "a refund of amount 0", method: "POST", path: "/v1/refunds", body: { payment_id: "pay_000000000000000000000000", amount: 0 } },
  { name: "a non-empty body on cancel", method: "POST", path: "/v1/payments/pay_000000000000000000000000/cancel", body: { reason: "x" } }
]

const toRequest = (e: Exchange) => ({
  method: e.method,
  path: e.url.pathname,
  query: Object.fromEntries(e.url.searchParams),
  headers: e.requestHeaders,
  ...(e.requestBody === "" ? {} : { body: JSON.parse(e.requestBody) as unknown })
})

describe("openapi.json against live traffic", () => {
  it.effect("every response conforms (status, headers, body), and every request the SDK sends", () =>
    Effect.gen(function*() {
      const api = yield* Effect.promise(validator)
      const sandbox = yield* Sandbox
      const rec = recorder(sandbox)
      const { payment } = yield* traffic(rec).pipe(Effect.provide(withSdk(rec, SK)))
      // 401 (a key the sandbox does not hold) and 403 (a publishable key on a secret endpoint)
      yield* Effect.flip(Effect.flatMap(PaymentFlow, (pf) => pf.payments.list({ limit: 2 }))).pipe(Effect.provide(withSdk(rec, UNKNOWN_SK)))
      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        yield* Effect.flip(pf.payments.list({ limit: 2 }))
        yield* Effect.flip(pf.customers.create({ email: "pk@example.com" }))
        // without the client secret: 400 parameter_missing
        yield* Effect.flip(pf.payments.retrieve(payment.id))
      }).pipe(Effect.provide(withSdk(rec, PK)))
      // the browser's client: by the client secret (a query parameter, a body field)
      yield* Effect.gen(function*() {
        const page = yield* BrowserPaymentFlow
        yield* page.payments.retrieve(payment.clientSecret)
        yield* Effect.flip(page.payments.retrieve(`${payment.id}_secret_000000000000000000000000`))
        yield* Effect.flip(page.payments.confirm(payment.clientSecret, { paymentMethod: visa }))
      }).pipe(Effect.provide(
        BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: PK, maxRetries: 0 }).pipe(
          Layer.provide(FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, rec.fetch as typeof globalThis.fetch))))
        )
      ))
      // the SDK refuses a secret endpoint with a publishable key before sending: ask directly,
      // with a publishable key on every operation (403 exactly where the row refuses one)
      expect((yield* rec.raw("GET", "/v1/payments?limit=2", { key: PK })).status).toBe(403)
      expect((yield* rec.raw("POST", "/v1/customers", { key: PK, body: { email: "pk@example.com" } })).status).toBe(403)
      const refusesPk = new Set<string>()
      for (const key of Api.clientKeys) {
        const row = Api.endpoints[key]
        const path = row.path.replace(":id", "x_000000000000000000000000")
        const answer = yield* rec.raw(row.method, path, { key: PK, probe: true, ...(row.method === "POST" || row.method === "PATCH" ? { body: {} } : {}) })
        if (answer.status === 403) refusesPk.add(key)
      }
      expect([...refusesPk].sort()).toEqual(Api.clientKeys.filter((k) => !Endpoint.allowsPublishable(Api.endpoints[k].access)).sort())
      if (process.env.PAYMENTFLOW_TRAFFIC_REPORT) {
        console.log(`validated ${rec.exchanges.length} requests and responses (${rec.exchanges.filter((e) => e.source === "sdk").length} sent by the SDK)`)
      }

      const violations: Array<string> = []
      const statuses = new Set<number>()
      const operations = new Set<string>()
      const observed = new Map<string, Set<string>>()
      for (const e of rec.exchanges) {
        const what = `${e.method} ${e.url.pathname}${e.url.search} → ${e.status}`
        const operation = api.matchOperation(toRequest(e))
        if (operation === undefined) {
          violations.push(`${what}: no operation`)
          continue
        }
        operations.add(operation.operationId ?? "")
        statuses.add(e.status)
        const seen = observed.get(operation.operationId ?? "") ?? new Set<string>()
        observed.set(operation.operationId ?? "", seen.add(String(e.status)))
        const request = api.validateRequest(toRequest(e), operation)
        if (!request.valid && e.source !== "probe") violations.push(`${what}: request ${JSON.stringify(request.errors)}`)
        const declared = operation.responses?.[String(e.status)]
        if (declared === undefined || "$ref" in declared) {
          violations.push(`${what}: status not declared`)
          continue
        }
        const mediaType = (e.responseHeaders["content-type"] ?? "").split(";")[0]!.trim()
        if (!("content" in declared) || declared.content?.[mediaType] === undefined) violations.push(`${what}: ${mediaType} not declared`)
        const body = api.validateResponse(JSON.parse(e.responseBody), operation, e.status)
        if (!body.valid) violations.push(`${what}: body ${JSON.stringify(body.errors)}`)
        const headers = api.validateResponseHeaders(e.responseHeaders, operation, { statusCode: e.status })
        if (!headers.valid) violations.push(`${what}: headers ${JSON.stringify(headers.errors)}`)
        // a contract header on the wire must be declared where it travels (validators ignore the
        // undeclared ones, so generated clients would never see them)
        const declaredHeaders = new Set(Object.keys(declared.headers ?? {}).map((n) => n.toLowerCase()))
        const declaredParams = new Set((operation.parameters ?? []).flatMap((p) => "in" in p && p.in === "header" ? [p.name.toLowerCase()] : []))
        for (const h of Object.values(HEADERS)) {
          const name = h.name.toLowerCase()
          if (h.in === "response" && e.responseHeaders[name] !== undefined && !declaredHeaders.has(name)) {
            violations.push(`${what}: response header ${h.name} not declared`)
          }
          if (h.in === "request" && e.requestHeaders[name] !== undefined && !declaredParams.has(name)) {
            violations.push(`${what}: request header ${h.name} not declared`)
          }
        }
        if (e.requestBody !== "" && operation.requestBody === undefined) violations.push(`${what}: a body where none is declared`)
        // `openapi-backend` checks the values of the headers present; a required one must be there
        for (const [name, header] of Object.entries(declared.headers ?? {})) {
          if ("required" in header && header.required === true && e.responseHeaders[name.toLowerCase()] === undefined) {
            violations.push(`${what}: missing header ${name}`)
          }
        }
      }
      expect(violations).toEqual([])
      // what the run covered (so a shrinking run cannot pass by checking less): every client row,
      // named by core's table, so a new row must be exercised here too
      expect([...operations].sort()).toEqual([...Api.clientKeys].sort())
      // every status an operation answered is one it declares (the violations above, as a set)
      for (const [operationId, seen] of observed) {
        const declared = Object.keys(api.getOperation(operationId)?.responses ?? {})
        expect(declared, operationId).toEqual(expect.arrayContaining([...seen]))
      }
      // and what the document declares for 403/405 is exactly what auth and the misses answer:
      // 403 on the rows refusing a publishable key (observed above on each), 405 on none (a
      // method a path does not list, which matches no operation)
      for (const key of Api.clientKeys) {
        const responses = api.getOperation(key)?.responses ?? {}
        expect("403" in responses, key).toBe(refusesPk.has(key))
        expect(refusesPk.has(key) ? observed.get(key)?.has("403") : true, key).toBe(true)
        expect("405" in responses, key).toBe(false)
      }
      const unlisted = yield* Effect.promise(() =>
        sandbox.handler(new Request("https://sandbox.api.paymentflow.com/v1/payments", { method: "PUT", headers: { authorization: `Bearer ${SK}` } }))
      )
      expect(unlisted.status).toBe(405)
      expect(api.matchOperation({ method: "PUT", path: "/v1/payments", headers: {} })).toBeUndefined()
      expect([...statuses].sort()).toEqual([200, 400, 401, 403, 404, 409, 429, 500, 503])
      expect(rec.exchanges.length).toBeGreaterThanOrEqual(45)
      // a browser sees a response header only if CORS exposes it: every contract header is
      for (const e of rec.exchanges) {
        const exposed = (e.responseHeaders["access-control-expose-headers"] ?? "").split(",").map((h) => h.trim().toLowerCase())
        for (const h of Object.values(HEADERS)) if (h.in === "response") expect(exposed, h.name).toContain(h.name.toLowerCase())
      }
      const replayed = rec.exchanges.filter((e) => e.responseHeaders[HEADERS.idempotentReplayed.name.toLowerCase()] === "true")
      expect(replayed.length).toBe(1)
      const cancels = rec.exchanges.filter((e) => e.url.pathname.endsWith("/cancel"))
      expect(cancels.length).toBeGreaterThan(0)
      expect(cancels.every((e) => e.requestBody === "{}")).toBe(true)
    }).pipe(Effect.provide(Sandbox.layer({ faults: true, rateLimit: 10_000, apiKeys: [SK, PK] }))))

  it.effect("refuses every request the sandbox refuses with 400 for a reason a schema can state", () =>
    Effect.gen(function*() {
      const api = yield* Effect.promise(validator)
      const sandbox = yield* Sandbox
      const rec = recorder(sandbox)
      const passed: Array<string> = []
      for (const invalid of invalidRequests) {
        const answer = yield* rec.raw(invalid.method, invalid.path, {
          ...(invalid.body === undefined ? {} : { body: invalid.body }),
          ...(invalid.headers === undefined ? {} : { headers: invalid.headers })
        })
        expect(answer.status, invalid.name).toBe(400)
        const exchange = rec.exchanges[rec.exchanges.length - 1]!
        const operation = api.matchOperation(toRequest(exchange))
        expect(operation, invalid.name).toBeDefined()
        if (api.validateRequest(toRequest(exchange), operation).valid) passed.push(invalid.name)
        // and the sandbox's 400 itself conforms
        expect(api.validateResponse(answer.body, operation!, 400).valid, invalid.name).toBe(true)
      }
      expect(passed).toEqual([])
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false, apiKeys: [SK, PK] }))))

  it.effect("the validator is not blind: a response or request off the document fails", () =>
    Effect.gen(function*() {
      const api = yield* Effect.promise(validator)
      const op = api.getOperation("payments.retrieve")!
      expect(api.validateResponse({ error: { type: "not_found_error", code: "resource_missing", message: "x" } }, op, 404).valid).toBe(true)
      // an unknown code is accepted (the code stays open), an unknown type is not
      expect(api.validateResponse({ error: { type: "not_found_error", code: "brand_new", message: "x" } }, op, 404).valid).toBe(true)
      expect(api.validateResponse({ error: { type: "nope", code: "resource_missing", message: "x" } }, op, 404).valid).toBe(false)
      expect(api.validateResponse({ id: "pay_1" }, op, 200).valid).toBe(false)
      expect(api.validateResponseHeaders({ "retry-after": "soon", "request-id": "req_x" }, "payments.list", { statusCode: 429 }).valid).toBe(false)
    }))
})
