/**
 * Black box over real HTTP: idempotency (replay, reuse, 50 concurrent), the rate limit, every
 * fault kind, and bad input that must never get a 500 or stop the server.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import { Payment } from "@paymentflow/core/Payment"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Http from "node:http"
import { card, client, decode, expectError, freshKey, type Reply, uniqueEmail } from "./http.js"

let server: RunningServer
let call: ReturnType<typeof client>

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: 100_000, faults: true })
  call = client(server.url)
})
afterAll(() => server.close())

const paymentsOf = async (email: string) =>
  decode(Api.PaymentList, await call("GET", `/v1/payments?customer_email=${encodeURIComponent(email)}&limit=100`))

describe("idempotency", () => {
  it("same key and same body → the stored response with Idempotent-Replayed: true, and no second object", async () => {
    const email = uniqueEmail()
    const body = { amount: 700, currency: "GBP", customer_email: email, metadata: { a: "1", b: "2" } }
    const first = await call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "order-1" } })
    expect(first.status).toBe(200)
    expect(first.headers.get("idempotent-replayed")).toBeNull()
    // the same body with its keys in another order is the same body
    const again = await call("POST", "/v1/payments", {
      body: { metadata: { b: "2", a: "1" }, customer_email: email, currency: "GBP", amount: 700 },
      headers: { "Idempotency-Key": "order-1" }
    })
    expect(again.status).toBe(200)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expect(again.body).toEqual(first.body)
    expect(again.headers.get("request-id")).not.toBe(first.headers.get("request-id"))
    expect((await paymentsOf(email)).totalCount).toBe(1)
  })

  it("same key with another body (or another endpoint) → 409 idempotency_key_reused", async () => {
    const email = uniqueEmail()
    await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", customer_email: email }, headers: { "Idempotency-Key": "k-reuse" } })
    expectError(await call("POST", "/v1/payments", { body: { amount: 2, currency: "USD", customer_email: email }, headers: { "Idempotency-Key": "k-reuse" } }), "idempotency_key_reused")
    expectError(await call("POST", "/v1/customers", { body: { email }, headers: { "Idempotency-Key": "k-reuse" } }), "idempotency_key_reused")
    expect((await paymentsOf(email)).totalCount).toBe(1)
  })

  it("keys are scoped to the API key", async () => {
    const email = uniqueEmail()
    const body = { amount: 1, currency: "USD", customer_email: email }
    const a = await call("POST", "/v1/payments", { key: freshKey(), body, headers: { "Idempotency-Key": "shared" } })
    const b = await call("POST", "/v1/payments", { key: freshKey(), body, headers: { "Idempotency-Key": "shared" } })
    expect(b.headers.get("idempotent-replayed")).toBeNull()
    expect(decode(Payment, a).id).not.toBe(decode(Payment, b).id)
  })

  it("400s are not stored; 404s and 409s are", async () => {
    const email = uniqueEmail()
    expectError(await call("POST", "/v1/payments", { body: { amount: -1, currency: "USD" }, headers: { "Idempotency-Key": "k-400" } }), "parameter_invalid", "amount")
    expectError(await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", payment_method: card("4111111111111111") }, headers: { "Idempotency-Key": "k-400" } }), "card_not_test", "payment_method.card.number")
    const ok = await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", customer_email: email }, headers: { "Idempotency-Key": "k-400" } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get("idempotent-replayed")).toBeNull()

    const missing = "/v1/payments/pay_000000000000000000000000/cancel"
    expectError(await call("POST", missing, { headers: { "Idempotency-Key": "k-404" } }), "resource_missing")
    const replayed404 = await call("POST", missing, { headers: { "Idempotency-Key": "k-404" } })
    expect(replayed404.status).toBe(404)
    expect(replayed404.headers.get("idempotent-replayed")).toBe("true")

    const payment = decode(Payment, await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", payment_method: card("4242424242424242") } }))
    expectError(await call("POST", `/v1/payments/${payment.id}/cancel`, { headers: { "Idempotency-Key": "k-409" } }), "payment_not_cancelable")
    expect((await call("POST", `/v1/payments/${payment.id}/cancel`, { headers: { "Idempotency-Key": "k-409" } })).headers.get("idempotent-replayed")).toBe("true")
  })

  it("an Idempotency-Key that is not 1–255 printable ASCII → 400; GET ignores the header", async () => {
    expectError(await call("POST", "/v1/customers", { body: { email: "a@b.co" }, headers: { "Idempotency-Key": "k".repeat(256) } }), "parameter_invalid")
    const list1 = await call("GET", "/v1/customers", { headers: { "Idempotency-Key": "get" } })
    const list2 = await call("GET", "/v1/customers", { headers: { "Idempotency-Key": "get" } })
    expect(list2.headers.get("idempotent-replayed")).toBeNull()
    expect(list1.status).toBe(200)
  })

  it("50 concurrent requests with one key: one runs, 49 get 409 idempotency_key_in_use, then it replays", async () => {
    const email = uniqueEmail()
    const body = { amount: 4200, currency: "USD", customer_email: email, payment_method: card("4242424242424242") }
    // delay=2000 keeps the first request in flight: it sleeps after reserving the key
    const first = call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "storm", "PaymentFlow-Sandbox-Fault": "delay=2000" } })
    const others: Array<Reply> = []
    // wait until the first holds the key (a probe answered in_use), then send the rest at once
    while (others.length < 49) {
      const probe = await call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "storm" } })
      others.push(probe)
      if (probe.status === 409) break
    }
    others.push(...await Promise.all(Array.from({ length: 49 - others.length }, () => call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "storm" } }))))
    const winner = await first
    expect(winner.status).toBe(200)
    expect(winner.headers.get("idempotent-replayed")).toBeNull()
    expect(others).toHaveLength(49)
    for (const r of others) expectError(r, "idempotency_key_in_use")
    const replay = await call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "storm" } })
    expect(replay.headers.get("idempotent-replayed")).toBe("true")
    expect(replay.body).toEqual(winner.body)
    const payments = await paymentsOf(email)
    expect(payments.totalCount).toBe(1)
    expect(payments.data[0]?.status).toBe("succeeded")
  })
})

describe("rate limit", () => {
  it("past the limit → 429 rate_limited with Retry-After; per key; RateLimit-* count down", async () => {
    const limited = await SandboxServer.start({ rateLimit: 3 })
    try {
      const key = freshKey()
      const r = client(limited.url, key)
      const remaining: Array<string | null> = []
      for (let i = 0; i < 3; i++) {
        const reply = await r("GET", "/v1/customers")
        expect(reply.status).toBe(200)
        remaining.push(reply.headers.get("ratelimit-remaining"))
        expect(reply.headers.get("ratelimit-limit")).toBe("3")
      }
      expect(remaining).toEqual(["2", "1", "0"])
      const refused = await r("POST", "/v1/customers", { body: { email: "a@b.co" } })
      expectError(refused, "rate_limited")
      const retryAfter = Number(refused.headers.get("retry-after"))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(60)
      expect(Number(refused.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(1)
      expect((await r("GET", "/v1/customers", { key: freshKey() })).status).toBe(200)
    } finally {
      await limited.close()
    }
  })

  it("--rate-limit off: no limit and no RateLimit-* headers", async () => {
    const unlimited = await SandboxServer.start({ rateLimit: false })
    try {
      const r = client(unlimited.url)
      const replies = await Promise.all(Array.from({ length: 120 }, () => r("GET", "/v1/customers?limit=1")))
      expect(replies.every((x) => x.status === 200)).toBe(true)
      expect(replies[0]?.headers.get("ratelimit-limit")).toBeNull()
    } finally {
      await unlimited.close()
    }
  })
})

describe("faults", () => {
  const fault = (kind: string) => ({ "PaymentFlow-Sandbox-Fault": kind })

  it("500, 503 and 429 answer at once without side effects; 503 and 429 carry Retry-After", async () => {
    const email = uniqueEmail()
    const body = { amount: 1, currency: "USD", customer_email: email }
    expectError(await call("POST", "/v1/payments", { body, headers: fault("500") }), "internal_error")
    const unavailable = await call("POST", "/v1/payments", { body, headers: fault("503") })
    expectError(unavailable, "service_unavailable")
    expect(unavailable.headers.get("retry-after")).toBe("1")
    const limited = await call("POST", "/v1/payments", { body, headers: fault("429") })
    expectError(limited, "rate_limited")
    expect(limited.headers.get("retry-after")).toBe("1")
    expect((await paymentsOf(email)).totalCount).toBe(0)
  })

  it("html-502 answers an HTML page with status 502", async () => {
    const r = await call("GET", "/v1/customers", { headers: fault("html-502") })
    expect(r.status).toBe(502)
    expect(r.headers.get("content-type")).toContain("text/html")
    expect(r.text).toContain("502 Bad Gateway")
    expect(r.body).toBeUndefined()
  })

  it("truncate applies the change and cuts the JSON body in half with a consistent Content-Length", async () => {
    const email = uniqueEmail()
    const r = await call("POST", "/v1/payments", { body: { amount: 1, currency: "USD", customer_email: email }, headers: fault("truncate") })
    expect(r.status).toBe(200)
    expect(r.body).toBeUndefined()
    expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(r.text))
    expect(r.text.startsWith("{\"id\":\"pay_")).toBe(true)
    expect((await paymentsOf(email)).totalCount).toBe(1)
  })

  it("drop-after-commit applies the change, then the connection dies; a retry with the same key replays", async () => {
    const email = uniqueEmail()
    const body = { amount: 1, currency: "USD", customer_email: email, payment_method: card("4242424242424242") }
    await expect(call("POST", "/v1/payments", { body, headers: { ...fault("drop-after-commit"), "Idempotency-Key": "dropped" } })).rejects.toThrow()
    const payments = await paymentsOf(email)
    expect(payments.totalCount).toBe(1)
    const retry = await call("POST", "/v1/payments", { body, headers: { "Idempotency-Key": "dropped" } })
    expect(retry.headers.get("idempotent-replayed")).toBe("true")
    expect(decode(Payment, retry).id).toBe(payments.data[0]?.id)
  })

  it("delay=<ms> answers after the delay; faults combine; an unknown fault → 400", async () => {
    expect((await call("GET", "/v1/customers", { headers: fault("delay=20") })).status).toBe(200)
    const r = await call("POST", "/v1/customers", { body: { email: "a@b.co" }, headers: fault("delay=5, truncate") })
    expect(r.status).toBe(200)
    expect(r.body).toBeUndefined()
    expectError(await call("GET", "/v1/customers", { headers: fault("explode") }), "parameter_invalid")
    expectError(await call("GET", "/v1/customers", { headers: fault("delay=9999999") }), "parameter_invalid")
  })

  it("without the faults option the header is ignored", async () => {
    const plain = await SandboxServer.start()
    try {
      const r = client(plain.url)
      const reply = await r("POST", "/v1/customers", { body: { email: "a@b.co" }, headers: fault("500") })
      expect(reply.status).toBe(200)
      expect((await r("GET", "/v1/customers", { headers: fault("explode") })).status).toBe(200)
    } finally {
      await plain.close()
    }
  })
})

describe("bad input never gets a 500", () => {
  it("malformed JSON, non-object JSON, invalid UTF-8 → 400 body_invalid; wrong type → 415; over 1 MiB → 413", async () => {
    const json = { "Content-Type": "application/json" }
    expectError(await call("POST", "/v1/customers", { rawBody: "{\"email\":", headers: json }), "body_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: "[1,2]", headers: json }), "body_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: "null", headers: json }), "body_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: json }), "body_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: "email=a@b.co", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), "content_type_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: "{}", headers: { "Content-Type": "text/plain" } }), "content_type_invalid")
    expectError(await call("POST", "/v1/customers", { rawBody: "{}", headers: { "Content-Type": "application/json; charset=latin1" } }), "content_type_invalid")
    expect((await call("POST", "/v1/customers", { rawBody: JSON.stringify({ email: "a@b.co" }), headers: { "Content-Type": "application/json; charset=utf-8" } })).status).toBe(200)
    const big = JSON.stringify({ email: "a@b.co", name: "x".repeat(1024 * 1024) })
    expectError(await call("POST", "/v1/customers", { rawBody: big, headers: json }), "body_too_large")
    // the server still serves
    expect((await call("GET", "/v1/customers?limit=1")).status).toBe(200)
  })

  it("a body over 1 MiB without Content-Length (chunked) → 413", async () => {
    const url = new URL(`${server.url}/v1/customers`)
    const status = await new Promise<number>((resolve, reject) => {
      const req = Http.request(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${freshKey()}`, "Content-Type": "application/json", "Transfer-Encoding": "chunked" }
      }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on("error", reject)
      for (let i = 0; i < 20; i++) req.write("x".repeat(64 * 1024))
      req.end()
    })
    expect(status).toBe(413)
  })

  it("unknown routes → 404 route_missing; a known path with another method → 405 method_not_allowed", async () => {
    expectError(await call("GET", "/v1/charges"), "route_missing")
    expectError(await call("GET", "/"), "route_missing")
    expectError(await call("GET", "/v1/payments/pay_000000000000000000000000/refund"), "route_missing")
    expectError(await call("GET", "/v1/payments/"), "route_missing")
    const r = await call("DELETE", "/v1/payments")
    expectError(r, "method_not_allowed")
    expect(r.headers.get("allow")).toBe("POST, GET")
    expectError(await call("PUT", "/v1/customers/cus_000000000000000000000000"), "method_not_allowed")
  })

  it("malformed path ids (../, unicode, 10 KB, wrong prefix) → 404 resource_missing on every id route", async () => {
    // (fetch normalises a literal ".." segment away; the raw requests below send it as is)
    const ids = ["..%2F..%2Fetc%2Fpasswd", "..%2F", "%C3%A9t%C3%A9", "\u00e9t\u00e9", "x".repeat(10 * 1024), "cus_000000000000000000000000", "pay_00000000000000000000000", "%00", "pay_000000000000000000000000%20"]
    for (const e of Api.all.filter((e) => e.id !== undefined)) {
      for (const id of ids) {
        const path = e.path.replace(":id", id)
        const r = await call(e.method, path, e.method === "GET" || e.method === "DELETE" ? {} : { body: e.name === "confirm" ? { payment_method: card("4242424242424242") } : {} })
        expect({ path: `${e.method} ${path.slice(0, 60)}`, status: r.status }).toEqual({ path: `${e.method} ${path.slice(0, 60)}`, status: 404 })
        expectError(r, "resource_missing")
      }
    }
  })

  it("a raw `..` or `%2E%2E` id segment (not normalised by the client) → 404 resource_missing", async () => {
    for (const path of ["/v1/payments/..", "/v1/payments/%2E%2E", "/v1/customers/..", "/v1/refunds/%2e%2e"]) {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        // a path option (not a URL string, which would be normalised) goes out byte for byte
        const req = Http.request({ host: server.host, port: server.port, path, headers: { Authorization: `Bearer ${freshKey()}` } }, (res) => {
          let body = ""
          res.setEncoding("utf8")
          res.on("data", (c: string) => (body += c))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on("error", reject)
        req.end()
      })
      expect(reply.status).toBe(404)
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: "resource_missing" } })
    }
  })

  it("garbage of every kind gets a 4xx, never a 500, and the server keeps serving", async () => {
    const bodies: Array<unknown> = [
      { amount: null, currency: null }, { amount: 1e308, currency: "USD" }, { amount: -0, currency: "USD" },
      { amount: 1, currency: "USD", metadata: [] }, { amount: 1, currency: "USD", metadata: { a: { b: 1 } } },
      { amount: 1, currency: "USD", payment_method: "card" }, { amount: 1, currency: "USD", payment_method: { card: null } },
      { amount: 1, currency: "USD", payment_method: { card: { number: 4242424242424242 } } }, { "__proto__": { amount: 1 } },
      { amount: 1, currency: "USD", customer: "cus_" + "é".repeat(24) }, { amount: "1".repeat(5000), currency: "USD" }
    ]
    const paths = ["/v1/payments", "/v1/refunds", "/v1/customers", "/v1/payments/pay_000000000000000000000000/confirm"]
    for (const path of paths) {
      for (const body of bodies) {
        const r = await call("POST", path, { body })
        expect(r.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBeGreaterThanOrEqual(400)
        expect(r.status).toBeLessThan(500)
      }
    }
    const queries = ["limit=%FF", "limit=-1", "starting_after=%00", "email=%F0%9F%98%80", "customer_email=x&customer_email=y", "status=", "a[b]=c"]
    for (const q of queries) {
      for (const list of ["/v1/payments", "/v1/refunds", "/v1/customers"]) {
        const r = await call("GET", `${list}?${q}`)
        expect(r.status, `${list}?${q}`).toBeLessThan(500)
      }
    }
    for (const authorization of ["Bearer", "Bearer  ", "Bearer sk_test_" + "a".repeat(8000), "\u00e9"]) {
      const r = await fetch(`${server.url}/v1/customers`, { headers: { Authorization: encodeURI(authorization) } })
      expect(r.status).toBe(401)
    }
    expect((await call("GET", "/v1/customers?limit=1")).status).toBe(200)
  })
})
