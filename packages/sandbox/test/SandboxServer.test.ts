/**
 * Black box over real HTTP: plain `fetch` against `SandboxServer` on 127.0.0.1 (random port).
 * Every endpoint, the auth and version rules, every test card, refunds, customers and metadata
 * at their limits, lists and page walks, the headers every response carries, CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import * as Versions from "@paymentflow/core/Versions"
import { maskApiKey } from "@paymentflow/core/ApiKey"
import { Customer, DeletedCustomer } from "@paymentflow/core/Customer"
import { openApi } from "../src/HttpApi.js"
import * as DocsPage from "../src/internal/docsPage.js"
import { Payment } from "@paymentflow/core/Payment"
import { PaymentMethod } from "@paymentflow/core/PaymentMethod"
import { Refund } from "@paymentflow/core/Refund"
import { Sandbox } from "@paymentflow/sandbox"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"
import { card, client, decode, expectError, freshKey, type Reply, uniqueEmail } from "./http.js"

let server: RunningServer
let call: ReturnType<typeof client>

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: 100_000 })
  call = client(server.url)
})
afterAll(() => server.close())

const createPayment = async (body: Record<string, unknown> = {}) =>
  decode(Payment, await call("POST", "/v1/payments", { body: { amount: 2500, currency: "USD", ...body } }))

const succeededPayment = (amount = 2500) => createPayment({ amount, payment_method: card("4242424242424242") })

describe("authentication and permissions", () => {
  it("missing key → 401 api_key_missing", async () => {
    expectError(await call("GET", "/v1/customers", { key: null }), "api_key_missing")
  })

  it("malformed keys → 401 api_key_invalid", async () => {
    for (const authorization of ["Bearer nope", "Basic c2tfdGVzdF94eHg=", "Bearer sk_test_short", "Bearer sk_test_abc$defghijklmnopqr", "sk_test_1234567890abcdefgh"]) {
      expectError(await call("GET", "/v1/customers", { key: null, headers: { Authorization: authorization } }), "api_key_invalid")
    }
  })

  it("live keys → 401 api_key_environment_mismatch, and the key is masked in the message", async () => {
    const live = "sk_live_ABCDEFGHIJKLMNOPQRSTUVWX"
    const error = expectError(await call("GET", "/v1/customers", { key: live }), "api_key_environment_mismatch")
    expect(error.message).not.toContain(live)
    expect(error.message).toContain("sk_live...UVWX")
    expectError(await call("POST", "/v1/payments", { key: "pk_live_ABCDEFGHIJKLMNOPQRSTUVWX", body: { amount: 1, currency: "USD" } }), "api_key_environment_mismatch")
  })

  it("pk_ keys may create, retrieve and confirm payments and create payment methods, and nothing else (403 permission_denied)", async () => {
    const pk = freshKey("pk")
    const created = decode(Payment, await call("POST", "/v1/payments", { key: pk, body: { amount: 100, currency: "EUR" } }))
    decode(Payment, await call("GET", `/v1/payments/${created.id}`, { key: pk }))
    const confirmed = decode(Payment, await call("POST", `/v1/payments/${created.id}/confirm`, { key: pk, body: { payment_method: card("4242424242424242") } }))
    expect(confirmed.status).toBe("succeeded")
    expect(decode(PaymentMethod, await call("POST", "/v1/payment_methods", { key: pk, body: card("4242424242424242") })).customer).toBeNull()
    const path = (p: string) => p.replace(":id", created.id)
    let refused = 0
    // the rows' access as 2025-06-01 (these tests' version) reads it
    const v1 = Versions.plan(Versions.registry, "2025-06-01")!
    for (const e of Api.all.filter((e) => v1.access(`${e.group}.${e.name}`, e.access) === "secret")) {
      expectError(await call(e.method, path(e.path), { key: pk, ...(e.method === "GET" || e.method === "DELETE" ? {} : { body: {} }) }), "permission_denied")
      refused += 1
    }
    // 14 client rows (payments.list, cancel; refunds ×3; customers ×6; paymentMethods retrieve, attach, detach)
    // and the 6 sandbox-only control rows (the webhook deliveries' among them)
    expect(refused).toBe(20)
  })

  it("with an allow-list, only the listed keys are accepted", async () => {
    const allowed = freshKey()
    const restricted = await SandboxServer.start({ apiKeys: [allowed] })
    try {
      const r = client(restricted.url, allowed)
      expect((await r("GET", "/v1/customers")).status).toBe(200)
      const stranger = freshKey()
      const refused = expectError(await r("GET", "/v1/customers", { key: stranger }), "api_key_invalid")
      expect(refused.message).not.toContain(stranger)
      expect(refused.message).toContain(maskApiKey(stranger))
    } finally {
      await restricted.close()
    }
  })
})

describe("API version", () => {
  it("the pinned version and a missing header are served; an unknown one → 400 version_unknown", async () => {
    expect((await call("GET", "/v1/customers")).status).toBe(200)
    const url = `${server.url}/v1/customers`
    const noVersion = await fetch(url, { headers: { Authorization: `Bearer ${freshKey()}` } })
    expect(noVersion.status).toBe(200)
    expectError(await call("GET", "/v1/customers", { headers: { "PaymentFlow-Version": "2019-01-01" } }), "version_unknown")
  })
})

describe("headers of every response", () => {
  const check = (r: Reply) => {
    expect(r.headers.get("request-id")).toMatch(/^req_[A-Za-z0-9]{24}$/)
    expect(r.headers.get("ratelimit-limit")).toBe("100000")
    expect(Number(r.headers.get("ratelimit-remaining"))).toBeGreaterThanOrEqual(0)
    expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(0)
    expect(r.headers.get("access-control-allow-origin")).toBe("*")
  }

  it("successes, errors, unknown routes and preflights carry Request-Id and RateLimit-*", async () => {
    const replies = [
      await call("GET", "/v1/customers"),
      await call("GET", "/v1/customers", { key: null }),
      await call("GET", "/v1/nothing-here"),
      await call("PUT", "/v1/payments"),
      await call("OPTIONS", "/v1/payments", { key: null, headers: { "Access-Control-Request-Method": "POST" } })
    ]
    replies.forEach(check)
    expect(new Set(replies.map((r) => r.headers.get("request-id"))).size).toBe(replies.length)
  })

  it("CORS preflight echoes Access-Control-Request-Headers (traceparent, b3) and exposes the contract headers", async () => {
    const asked = "authorization,content-type,idempotency-key,paymentflow-version,paymentflow-client,traceparent,b3"
    const r = await call("OPTIONS", "/v1/payments", {
      key: null,
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": asked }
    })
    expect(r.status).toBe(204)
    expect(r.headers.get("access-control-allow-headers")).toBe(asked)
    expect(r.headers.get("access-control-allow-methods")).toContain("POST")
    const expose = (await call("GET", "/v1/customers")).headers.get("access-control-expose-headers") ?? ""
    for (const h of ["Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", "Idempotent-Replayed"]) {
      expect(expose).toContain(h)
    }
  })

  it("serves at /openapi.json and /docs the document of the request's PaymentFlow-Version", async () => {
    const [newest, first] = Versions.supported(Versions.registry)
    // the versions' documents differ (access, and client_secret on payments), so the test can tell them apart
    expect(JSON.stringify(openApi(newest))).not.toBe(JSON.stringify(openApi(first)))
    for (const version of Versions.supported(Versions.registry)) {
      const r = await call("GET", "/openapi.json", { key: null, headers: { "PaymentFlow-Version": version } })
      expect(r.status).toBe(200)
      expect(r.headers.get("content-type")).toContain("application/json")
      expect(r.headers.get("vary")).toBe("PaymentFlow-Version")
      expect(r.body).toEqual(JSON.parse(JSON.stringify(openApi(version))))
      const docs = await call("GET", "/docs", { key: null, headers: { "PaymentFlow-Version": version } })
      expect(docs.text).toBe(DocsPage.render(openApi(version)))
    }
    expectError(await call("GET", "/openapi.json", { key: null, headers: { "PaymentFlow-Version": "1999-01-01" } }), "version_unknown")
    expectError(await call("GET", "/docs", { key: null, headers: { "PaymentFlow-Version": "" } }), "version_unknown")
  })

  it("without PaymentFlow-Version, /openapi.json is the account's default version's document (as any request is served)", async () => {
    const bare = async (url: string) => (await fetch(`${url}/openapi.json`)).json()
    // this server's account keeps the sandbox's default version
    expect(await bare(server.url)).toEqual(JSON.parse(JSON.stringify(openApi("2025-06-01"))))
    const pinned = await SandboxServer.start({ rateLimit: false, defaultVersion: "2026-12-01" })
    try {
      expect(await bare(pinned.url)).toEqual(JSON.parse(JSON.stringify(openApi("2026-12-01"))))
    } finally {
      await pinned.close()
    }
  })
})

describe("payments", () => {
  it("creates a pending payment with the full wire shape", async () => {
    const email = uniqueEmail()
    const r = await call("POST", "/v1/payments", {
      body: { amount: 2500, currency: "USD", customer_email: email, description: "Order #12345", metadata: { order_id: "12345", empty: "" } }
    })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      id: expect.stringMatching(/^pay_[A-Za-z0-9]{24}$/),
      object: "payment",
      amount: 2500,
      amount_refunded: 0,
      currency: "USD",
      status: "pending",
      customer: null,
      customer_email: email,
      description: "Order #12345",
      metadata: { order_id: "12345" },
      payment_method: null,
      failure_code: null,
      failure_message: null,
      created: expect.any(Number)
    })
    const payment = decode(Payment, r)
    expect(Math.abs(payment.created - Date.now() / 1000)).toBeLessThan(120)
    expect(decode(Payment, await call("GET", `/v1/payments/${payment.id}`))).toEqual(payment)
  })

  it.each([
    ["4242424242424242", "succeeded", null],
    ["4000000000000002", "failed", "card_declined"],
    ["4000000000009995", "failed", "insufficient_funds"],
    ["4000000000000069", "failed", "expired_card"]
  ] as const)("test card %s → %s (%s), on create and on confirm", async (number, status, failureCode) => {
    const created = await createPayment({ payment_method: card(number) })
    expect(created).toMatchObject({ status, failureCode })
    expect(created.failureMessage === null).toBe(failureCode === null)
    const pending = await createPayment()
    const confirmed = decode(Payment, await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: card(number) } }))
    expect(confirmed).toMatchObject({ id: pending.id, status, failureCode })
  })

  it("any other card → 400 card_not_test on payment_method.card.number; bad cards → parameter_invalid", async () => {
    expectError(await call("POST", "/v1/payments", { body: { amount: 100, currency: "USD", payment_method: card("4111111111111111") } }), "card_not_test", "payment_method.card.number")
    const pending = await createPayment()
    expectError(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: card("4111111111111111") } }), "card_not_test", "payment_method.card.number")
    expectError(await call("POST", "/v1/payments", { body: { amount: 100, currency: "USD", payment_method: card("4242424242424241") } }), "parameter_invalid", "payment_method.card.number")
    expectError(await call("POST", "/v1/payments", {
      body: { amount: 100, currency: "USD", payment_method: { card: { number: "4242424242424242", exp_month: 1, exp_year: 2020, cvc: "123" } } }
    }), "parameter_invalid", "payment_method.card.exp_year")
    expectError(await call("POST", "/v1/payments", {
      body: { amount: 100, currency: "USD", payment_method: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "12" } } }
    }), "parameter_invalid", "payment_method.card.cvc")
    // nothing was left behind in pending
    expect(decode(Payment, await call("GET", `/v1/payments/${pending.id}`)).status).toBe("pending")
  })

  it("parameter rules: amount, currency, email, description, missing and unknown fields", async () => {
    const post = (body: unknown) => call("POST", "/v1/payments", { body })
    expectError(await post({ amount: 0, currency: "USD" }), "parameter_invalid", "amount")
    expectError(await post({ amount: 1.5, currency: "USD" }), "parameter_invalid", "amount")
    expectError(await post({ amount: 100_000_000, currency: "USD" }), "amount_too_large", "amount")
    expectError(await post({ amount: "100", currency: "USD" }), "parameter_invalid", "amount")
    expectError(await post({ currency: "USD" }), "parameter_missing", "amount")
    expectError(await post({ amount: 100, currency: "usd" }), "parameter_invalid", "currency")
    expectError(await post({ amount: 100, currency: "USD", customer_email: "not-an-email" }), "parameter_invalid", "customer_email")
    expectError(await post({ amount: 100, currency: "USD", description: "x".repeat(1001) }), "parameter_invalid", "description")
    expectError(await post({ amount: 100, currency: "USD", customerEmail: "a@b.co" }), "parameter_unknown", "customerEmail")
    expect((await post({ amount: 99_999_999, currency: "JPY", description: "x".repeat(1000) })).status).toBe(200)
  })

  it("customer fills customer_email; an unknown or deleted customer → 404 resource_missing", async () => {
    const email = uniqueEmail()
    const customer = decode(Customer, await call("POST", "/v1/customers", { body: { email } }))
    const payment = await createPayment({ customer: customer.id })
    expect(payment).toMatchObject({ customer: customer.id, customerEmail: email })
    const explicit = await createPayment({ customer: customer.id, customer_email: "other@example.com" })
    expect(explicit.customerEmail).toBe("other@example.com")
    expectError(await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", customer: "cus_000000000000000000000000" } }), "resource_missing", "customer")
    decode(DeletedCustomer, await call("DELETE", `/v1/customers/${customer.id}`))
    expectError(await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", customer: customer.id } }), "resource_missing", "customer")
  })

  it("cancel only from pending (409 payment_not_cancelable); confirm only from pending (409 payment_not_confirmable)", async () => {
    const pending = await createPayment()
    const cancelled = decode(Payment, await call("POST", `/v1/payments/${pending.id}/cancel`))
    expect(cancelled.status).toBe("cancelled")
    expectError(await call("POST", `/v1/payments/${pending.id}/cancel`), "payment_not_cancelable")
    expectError(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: { payment_method: card("4242424242424242") } }), "payment_not_confirmable")
    const succeeded = await succeededPayment()
    expectError(await call("POST", `/v1/payments/${succeeded.id}/cancel`, { body: {} }), "payment_not_cancelable")
    expectError(await call("POST", `/v1/payments/${succeeded.id}/confirm`, { body: { payment_method: card("4242424242424242") } }), "payment_not_confirmable")
    expectError(await call("POST", `/v1/payments/${pending.id}/confirm`, { body: {} }), "parameter_missing", "payment_method")
    expectError(await call("POST", `/v1/payments/${pending.id}/cancel`, { body: { reason: "x" } }), "parameter_unknown", "reason")
    // the payment's state is decided before the card: a settled payment is 409 even with a non-test card
    expectError(await call("POST", `/v1/payments/${succeeded.id}/confirm`, { body: { payment_method: card("4111111111111111") } }), "payment_not_confirmable")
    const missing = await call("POST", "/v1/payments/pay_zzzzzzzzzzzzzzzzzzzzzzzz/confirm", { body: { payment_method: card("4111111111111111") } })
    expect(missing.status).toBe(404)
  })

  it("lists newest first with the status, customer and customer_email filters", async () => {
    const email = uniqueEmail()
    const customer = decode(Customer, await call("POST", "/v1/customers", { body: { email } }))
    const a = await createPayment({ customer: customer.id })
    const b = await createPayment({ customer: customer.id, payment_method: card("4242424242424242") })
    const c = await createPayment({ customer_email: email, payment_method: card("4000000000000002") })
    const byEmail = decode(Api.PaymentList, await call("GET", `/v1/payments?customer_email=${encodeURIComponent(email)}`))
    expect(byEmail.data.map((p) => p.id)).toEqual([c.id, b.id, a.id])
    expect(byEmail.totalCount).toBe(3)
    const byCustomer = decode(Api.PaymentList, await call("GET", `/v1/payments?customer=${customer.id}`))
    expect(byCustomer.data.map((p) => p.id)).toEqual([b.id, a.id])
    const failed = decode(Api.PaymentList, await call("GET", `/v1/payments?customer_email=${encodeURIComponent(email)}&status=failed`))
    expect(failed.data.map((p) => p.id)).toEqual([c.id])
    expectError(await call("GET", "/v1/payments?status=done"), "parameter_invalid", "status")
  })
})

describe("refunds", () => {
  it("only a succeeded payment can be refunded (409 payment_not_refundable)", async () => {
    const pending = await createPayment()
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: pending.id } }), "payment_not_refundable")
    const failed = await createPayment({ payment_method: card("4000000000000002") })
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: failed.id } }), "payment_not_refundable")
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: "pay_000000000000000000000000" } }), "resource_missing", "payment_id")
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: "pay_x" } }), "parameter_invalid", "payment_id")
  })

  it("partial refunds add up; the sum never exceeds the amount (400 refund_exceeds_payment on amount)", async () => {
    const payment = await succeededPayment(1000)
    const first = decode(Refund, await call("POST", "/v1/refunds", { body: { payment_id: payment.id, amount: 300, reason: "customer_request", metadata: { k: "v" } } }))
    expect(first).toMatchObject({ paymentId: payment.id, amount: 300, currency: "USD", reason: "customer_request", status: "succeeded", metadata: { k: "v" } })
    expect(first.id).toMatch(/^ref_[A-Za-z0-9]{24}$/)
    expect(decode(Payment, await call("GET", `/v1/payments/${payment.id}`)).amountRefunded).toBe(300)
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: payment.id, amount: 701 } }), "refund_exceeds_payment", "amount")
    const rest = decode(Refund, await call("POST", "/v1/refunds", { body: { payment_id: payment.id } }))
    expect(rest.amount).toBe(700)
    expect(rest.reason).toBeNull()
    expect(decode(Payment, await call("GET", `/v1/payments/${payment.id}`)).amountRefunded).toBe(1000)
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: payment.id } }), "refund_exceeds_payment", "amount")
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: payment.id, amount: 1 } }), "refund_exceeds_payment", "amount")
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: payment.id, amount: 0 } }), "parameter_invalid", "amount")
    expectError(await call("POST", "/v1/refunds", { body: { payment_id: payment.id, reason: "bored" } }), "parameter_invalid", "reason")

    expect(decode(Refund, await call("GET", `/v1/refunds/${first.id}`))).toEqual(first)
    const list = decode(Api.RefundList, await call("GET", `/v1/refunds?payment_id=${payment.id}`))
    expect(list.data.map((r) => r.id)).toEqual([rest.id, first.id])
    expect(list.totalCount).toBe(2)
  })
})

describe("customers", () => {
  it("create, retrieve, update (metadata merges, \"\" removes, null clears), delete then 404", async () => {
    const email = uniqueEmail()
    const created = await call("POST", "/v1/customers", { body: { email, name: "Jane", phone: "+1 555", metadata: { a: "1", b: "2", gone: "" } } })
    expect(created.body).toEqual({
      id: expect.stringMatching(/^cus_[A-Za-z0-9]{24}$/),
      object: "customer",
      email,
      name: "Jane",
      phone: "+1 555",
      metadata: { a: "1", b: "2" },
      default_payment_method: null,
      created: expect.any(Number)
    })
    const customer = decode(Customer, created)
    expect(decode(Customer, await call("GET", `/v1/customers/${customer.id}`))).toEqual(customer)
    const updated = decode(Customer, await call("PATCH", `/v1/customers/${customer.id}`, { body: { metadata: { a: "", c: "3" }, name: null } }))
    expect(updated).toEqual({ ...customer, name: null, metadata: { b: "2", c: "3" } })
    const unchanged = decode(Customer, await call("PATCH", `/v1/customers/${customer.id}`, { body: {} }))
    expect(unchanged).toEqual(updated)
    const deleted = await call("DELETE", `/v1/customers/${customer.id}`)
    expect(deleted.status).toBe(200)
    expect(deleted.body).toEqual({ id: customer.id, object: "customer", deleted: true })
    expectError(await call("GET", `/v1/customers/${customer.id}`), "resource_missing")
    expectError(await call("PATCH", `/v1/customers/${customer.id}`, { body: { name: "x" } }), "resource_missing")
    expectError(await call("DELETE", `/v1/customers/${customer.id}`), "resource_missing")
    expect(decode(Api.CustomerList, await call("GET", `/v1/customers?email=${encodeURIComponent(email)}`)).totalCount).toBe(0)
  })

  it("email, name and phone rules", async () => {
    expectError(await call("POST", "/v1/customers", { body: {} }), "parameter_missing", "email")
    expectError(await call("POST", "/v1/customers", { body: { email: "x@" } }), "parameter_invalid", "email")
    expectError(await call("POST", "/v1/customers", { body: { email: `${"a".repeat(250)}@b.co` } }), "parameter_invalid", "email")
    expectError(await call("POST", "/v1/customers", { body: { email: "a@b.co", name: "n".repeat(257) } }), "parameter_invalid", "name")
    expectError(await call("POST", "/v1/customers", { body: { email: "a@b.co", phone: "1".repeat(33) } }), "parameter_invalid", "phone")
    expect((await call("POST", "/v1/customers", { body: { email: "a@b.co", name: "n".repeat(256), phone: "1".repeat(32) } })).status).toBe(200)
  })

  it("metadata at its limits: 50/51 keys, 40/41-char keys, 500/501-char values, and the merged map on update", async () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]))
    const post = (metadata: Record<string, string>) => call("POST", "/v1/customers", { body: { email: "m@example.com", metadata } })
    const fifty = decode(Customer, await post(keys(50)))
    expect(Object.keys(fifty.metadata)).toHaveLength(50)
    expectError(await post(keys(51)), "parameter_invalid", "metadata")
    const k40 = "k".repeat(40)
    expect(decode(Customer, await post({ [k40]: "v" })).metadata).toEqual({ [k40]: "v" })
    expectError(await post({ ["k".repeat(41)]: "v" }), "parameter_invalid", `metadata.${"k".repeat(41)}`)
    expectError(await post({ "": "v" }), "parameter_invalid", "metadata.")
    expect(decode(Customer, await post({ order_id: "x".repeat(500) })).metadata.order_id).toHaveLength(500)
    expectError(await post({ order_id: "x".repeat(501) }), "parameter_invalid", "metadata.order_id")
    expectError(await post({ order_id: 5 } as unknown as Record<string, string>), "parameter_invalid", "metadata.order_id")
    // on update the merged map is what counts
    expectError(await call("PATCH", `/v1/customers/${fifty.id}`, { body: { metadata: { extra: "1" } } }), "parameter_invalid", "metadata")
    const swapped = decode(Customer, await call("PATCH", `/v1/customers/${fifty.id}`, { body: { metadata: { k0: "", extra: "1" } } }))
    expect(Object.keys(swapped.metadata)).toHaveLength(50)
    expect(swapped.metadata).toMatchObject({ extra: "1" })
    expect(swapped.metadata).not.toHaveProperty("k0")
  })
})

describe("lists", () => {
  it("a page walk across 250 objects with inserts between pages never skips or repeats", async () => {
    const email = uniqueEmail()
    const made: Array<string> = []
    for (let i = 0; i < 250; i++) made.push(decode(Customer, await call("POST", "/v1/customers", { body: { email } })).id)
    const seen: Array<string> = []
    let cursor: string | undefined
    let pages = 0
    while (true) {
      const page = decode(Api.CustomerList, await call("GET", `/v1/customers?email=${encodeURIComponent(email)}&limit=40${cursor ? `&starting_after=${cursor}` : ""}`))
      pages += 1
      seen.push(...page.data.map((c) => c.id))
      // objects created while walking are newer: they must not show up on later pages
      for (let i = 0; i < 3; i++) await call("POST", "/v1/customers", { body: { email } })
      expect(page.totalCount).toBe(250 + 3 * (pages - 1))
      if (!page.hasMore) break
      cursor = page.data[page.data.length - 1]?.id
    }
    expect(pages).toBe(7)
    expect(seen).toEqual([...made].reverse())
  })

  it("limit and cursor rules: default 10, 1–100, unknown cursor → 400 invalid_cursor", async () => {
    for (let i = 0; i < 11; i++) await call("POST", "/v1/customers", { body: { email: "many@example.com" } })
    const first = decode(Api.CustomerList, await call("GET", "/v1/customers"))
    expect(first.data).toHaveLength(10)
    expect(first.hasMore).toBe(true)
    expect(decode(Api.CustomerList, await call("GET", "/v1/customers?limit=100")).data.length).toBeGreaterThan(10)
    for (const limit of ["0", "101", "abc", "1e1", "5.5"]) {
      expectError(await call("GET", `/v1/customers?limit=${limit}`), "parameter_invalid", "limit")
    }
    expectError(await call("GET", "/v1/customers?starting_after=cus_000000000000000000000000"), "invalid_cursor", "starting_after")
    expectError(await call("GET", "/v1/customers?starting_after=nonsense"), "invalid_cursor", "starting_after")
    const payment = await createPayment()
    expectError(await call("GET", `/v1/customers?starting_after=${payment.id}`), "invalid_cursor", "starting_after")
    expectError(await call("GET", "/v1/refunds?starting_after=ref_000000000000000000000000"), "invalid_cursor", "starting_after")
    expectError(await call("GET", "/v1/payments?starting_after=pay_000000000000000000000000"), "invalid_cursor", "starting_after")
    expectError(await call("GET", "/v1/customers?colour=red"), "parameter_unknown", "colour")
    expectError(await call("GET", "/v1/customers?__proto__=1"), "parameter_unknown", "__proto__")
    expectError(await call("GET", "/v1/customers?__proto__=1&__proto__=2"), "parameter_unknown", "__proto__")
    expectError(await call("GET", `/v1/payments/${payment.id}?__proto__=1`), "parameter_unknown", "__proto__")
    expectError(await call("GET", "/v1/customers?limit=1&limit=2"), "parameter_invalid", "limit")
  })

  it("a deleted customer still works as a cursor", async () => {
    const email = uniqueEmail()
    const ids: Array<string> = []
    for (let i = 0; i < 3; i++) ids.push(decode(Customer, await call("POST", "/v1/customers", { body: { email } })).id)
    await call("DELETE", `/v1/customers/${ids[1]}`)
    const after = decode(Api.CustomerList, await call("GET", `/v1/customers?email=${encodeURIComponent(email)}&starting_after=${ids[1]}`))
    expect(after.data.map((c) => c.id)).toEqual([ids[0]])
  })
})

describe("SandboxServer.layer", () => {
  it.scoped("serves on 127.0.0.1 for the layer's lifetime and exposes the state through Sandbox", () =>
    Effect.gen(function*() {
      const { url } = yield* SandboxServer
      const key = freshKey()
      const reply = yield* Effect.promise(() =>
        fetch(`${url}/v1/customers`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ email: "layer@example.com" })
        })
      )
      expect(reply.status).toBe(200)
      const customers = yield* (yield* Sandbox).customers
      expect(customers.map((c) => c.email)).toEqual(["layer@example.com"])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    }).pipe(Effect.provide(SandboxServer.layer())))
})
