/**
 * The sandbox server under abuse, over real HTTP on 127.0.0.1: fast-check generates requests
 * with malformed JSON, wrong content types, bodies over 1 MiB, unknown and deeply nested fields,
 * odd ids (`../`, `%2e%2e`, unicode, 10 KB, NUL), odd queries and odd methods. Every answer must
 * be the contract's error envelope with the status of its code (or a 2xx / 204), never a 5xx,
 * and the server must keep serving.
 *
 * Then a bounded soak at a fixed rate (default 3 s; `PAYMENTFLOW_SOAK_SECONDS=60` under
 * `pnpm test:reliability`), with the process's memory reported at the start and the end (reported,
 * not asserted), and no 5xx.
 */
import { CODES, ErrorBody } from "@paymentflow/core/ErrorBody"
import { API_VERSION } from "@paymentflow/core/Fields"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Http from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { table } from "./harness.js"

const SK = "sk_test_abuseABUSEabuse012345"
const SOAK_SECONDS = Math.max(1, Number(process.env["PAYMENTFLOW_SOAK_SECONDS"] ?? "3"))
const SOAK_RATE = 100 // requests per second

interface Raw {
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body?: Buffer | undefined
}

interface Reply {
  readonly status: number
  readonly text: string
}

const agent = new Http.Agent({ keepAlive: true, maxSockets: 16 })

/** A raw request with node:http: the path goes out exactly as given (fetch would resolve `..`). */
const send = (base: URL, raw: Raw): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = Http.request(
      { agent, host: base.hostname, port: base.port, method: raw.method, path: raw.path, headers: raw.headers },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }))
        res.on("error", reject)
      }
    )
    req.on("error", reject)
    req.end(raw.body)
  })

const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)

/** The contract: 2xx, 204, or an error envelope whose code has exactly this status; never 5xx. */
const checkContract = (raw: Raw, reply: Reply) => {
  const label = `${raw.method} ${raw.path.slice(0, 80)} → ${reply.status} ${reply.text.slice(0, 200)}`
  expect(reply.status, label).toBeLessThan(500)
  // Node's HTTP parser answers 431 itself (no body) past its 16 KB header limit, before the app
  if (reply.status === 431) return expect(raw.path.length, label).toBeGreaterThan(8 * 1024)
  if (reply.status >= 400) {
    const body = decodeErrorBody(JSON.parse(reply.text))
    const known: Record<string, readonly [number, string]> = CODES
    const entry = known[body.error.code]
    expect(entry, label).toBeDefined()
    expect(entry?.[0], label).toBe(reply.status)
    expect(entry?.[1], label).toBe(body.error.type)
  }
}

const ROUTES = [
  ["POST", "/v1/payments"],
  ["GET", "/v1/payments"],
  ["GET", "/v1/payments/:id"],
  ["POST", "/v1/payments/:id/confirm"],
  ["POST", "/v1/payments/:id/cancel"],
  ["POST", "/v1/refunds"],
  ["GET", "/v1/refunds"],
  ["GET", "/v1/refunds/:id"],
  ["POST", "/v1/customers"],
  ["GET", "/v1/customers"],
  ["GET", "/v1/customers/:id"],
  ["PATCH", "/v1/customers/:id"],
  ["DELETE", "/v1/customers/:id"]
] as const

const oddId = FastCheck.oneof(
  FastCheck.constantFrom(
    "..",
    "%2e%2e",
    "..%2F..%2Fetc%2Fpasswd",
    "pay_AAAAAAAAAAAAAAAAAAAAAAAA",
    "cus_AAAAAAAAAAAAAAAAAAAAAAAA",
    "ref_AAAAAAAAAAAAAAAAAAAAAAAA",
    "pay_AAAAAAAAAAAAAAAAAAAAAAAA%00",
    "%00",
    "%ZZ",
    encodeURIComponent("pay_ÄÖÜ漢字🚀AAAAAAAAAAAAAAAAA"),
    "a".repeat(10 * 1024),
    "pay_" + "A".repeat(10 * 1024),
    "%F0%9F%9A%80",
    "%C0%AF",
    "null",
    "__proto__",
    "constructor"
  ),
  FastCheck.string({ unit: "grapheme", maxLength: 40 }).map(encodeURIComponent)
)

const jsonValue = FastCheck.jsonValue({ maxDepth: 4 })
const unknownFields = FastCheck.dictionary(FastCheck.string({ maxLength: 12 }), jsonValue, { maxKeys: 4 })
const plausible = FastCheck.record(
  {
    amount: FastCheck.oneof(FastCheck.integer(), FastCheck.double(), FastCheck.string(), FastCheck.constant(null)),
    currency: FastCheck.oneof(FastCheck.constantFrom("USD", "usd", "XXX", ""), FastCheck.string()),
    email: FastCheck.oneof(FastCheck.constant("a@b.co"), FastCheck.string()),
    payment_id: oddId,
    metadata: FastCheck.oneof(unknownFields, jsonValue),
    payment_method: FastCheck.oneof(jsonValue, FastCheck.constant({ card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123" } }))
  },
  { requiredKeys: [] }
)

const body = FastCheck.oneof(
  { weight: 4, arbitrary: FastCheck.tuple(plausible, unknownFields).map(([p, u]) => Buffer.from(JSON.stringify({ ...u, ...p }))) },
  { weight: 2, arbitrary: jsonValue.map((v) => Buffer.from(JSON.stringify(v) ?? "null")) },
  { weight: 2, arbitrary: FastCheck.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: FastCheck.constantFrom("{", "{\"amount\":", "[]", "null", "\"x\"", "{}{}", "\uFEFF{}", "{\"a\":1,}").map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: FastCheck.nat({ max: 20_000 }).map((n) => Buffer.from(`${"[".repeat(n)}${"]".repeat(n)}`)) },
  { weight: 1, arbitrary: FastCheck.nat({ max: 3 }).map((n) => Buffer.alloc(1024 * 1024 + 1 + n * 100_000, 0x20)) },
  { weight: 1, arbitrary: FastCheck.constant(undefined) }
)

const contentType = FastCheck.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "APPLICATION/JSON",
  undefined
)

const query = FastCheck.oneof(
  FastCheck.constant(""),
  FastCheck.constantFrom("?limit=1e1", "?limit=-1", "?limit=101", "?limit=10abc", "?limit=1&limit=2", "?starting_after=..", "?status=exploded", "?%ZZ=1", `?email=${"a".repeat(10_000)}`, "?customer=cus_AAAAAAAAAAAAAAAAAAAAAAAA"),
  FastCheck.dictionary(FastCheck.constantFrom("limit", "starting_after", "customer_email", "email", "status", "payment_id", "x"), FastCheck.string({ maxLength: 30 }), { maxKeys: 3 })
    .map((q) => `?${new URLSearchParams(q).toString()}`)
)

const request: FastCheck.Arbitrary<Raw> = FastCheck.record({
  route: FastCheck.constantFrom(...ROUTES),
  method: FastCheck.option(FastCheck.constantFrom("PUT", "HEAD", "OPTIONS", "TRACE", "GET", "POST", "DELETE"), { freq: 5 }),
  id: oddId,
  query,
  body,
  contentType,
  auth: FastCheck.constantFrom(`Bearer ${SK}`, "Bearer pk_test_abuseABUSEabuse012345", "Bearer sk_live_abuseABUSEabuse012345", "Basic abc", "Bearer", undefined),
  version: FastCheck.constantFrom(API_VERSION, "1999-01-01", undefined),
  idempotencyKey: FastCheck.option(FastCheck.constantFrom("k1", "k2", "x".repeat(300), "\u007f"))
}).map((r) => {
  const method = r.method ?? r.route[0]
  const headers: Record<string, string> = {}
  if (r.auth !== undefined) headers["authorization"] = r.auth
  if (r.version !== undefined) headers["paymentflow-version"] = r.version
  if (r.contentType !== undefined) headers["content-type"] = r.contentType
  if (r.idempotencyKey !== null) headers["idempotency-key"] = r.idempotencyKey.replace(/[^\x20-\x7e]/g, "?")
  const sent = method !== "GET" && method !== "HEAD" ? r.body : undefined
  // framed explicitly: node:http sends a DELETE/TRACE/OPTIONS body without a length otherwise,
  // and the server then reads it as the start of the next request on the connection
  if (sent !== undefined) headers["content-length"] = String(sent.length)
  return {
    method,
    path: r.route[1].replace(":id", r.id) + r.query,
    headers,
    body: sent
  }
})

let server: RunningServer
let base: URL

beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: false })
  base = new URL(server.url)
})

afterAll(async () => {
  agent.destroy()
  await server.close()
})

describe("the sandbox server under abuse", () => {
  it("random hostile requests: the contract's envelope with the right status, never a 5xx; the server keeps serving", async () => {
    let count = 0
    await FastCheck.assert(
      FastCheck.asyncProperty(request, async (raw) => {
        count++
        const reply = await send(base, raw)
        if (raw.method !== "HEAD") checkContract(raw, reply)
        else expect(reply.status).toBeLessThan(500)
      }),
      { numRuns: 400, seed: 20250601 }
    )
    expect(count).toBe(400)
    const ok = await send(base, {
      method: "POST",
      path: "/v1/payments",
      headers: { authorization: `Bearer ${SK}`, "content-type": "application/json" },
      body: Buffer.from(JSON.stringify({ amount: 100, currency: "USD" }))
    })
    expect(ok.status).toBe(200)
  }, 60_000)

  it("unknown fields on every body endpoint → 400 parameter_unknown naming the field", async () => {
    for (const [method, path] of ROUTES) {
      if (method === "GET" || method === "DELETE") continue
      const reply = await send(base, {
        method,
        path: path.replace(":id", "cus_AAAAAAAAAAAAAAAAAAAAAAAA"),
        headers: { authorization: `Bearer ${SK}`, "content-type": "application/json" },
        body: Buffer.from(JSON.stringify({ amount: 1, currency: "USD", email: "a@b.co", payment_id: "pay_AAAAAAAAAAAAAAAAAAAAAAAA", payment_method: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123" } }, zzz_unknown: true }))
      })
      checkContract({ method, path, headers: {} }, reply)
      if (reply.status === 400) expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "parameter_unknown" } })
      else expect(reply.status, `${method} ${path} ${reply.text}`).toBe(404) // the id names nothing
    }
  })
})

describe("soak", () => {
  it(`${SOAK_RATE} requests/s for ${SOAK_SECONDS} s through the server: no 5xx, memory reported`, async () => {
    const mb = (n: number) => Math.round(n / 1024 / 1024)
    global.gc?.()
    const before = process.memoryUsage()
    const statuses = new Map<number, number>()
    const ids: Array<string> = []
    const total = SOAK_RATE * SOAK_SECONDS
    const samples = FastCheck.sample(request, { numRuns: 200, seed: 99 })
    const job = async (i: number): Promise<void> => {
      const kind = i % 5
      const auth = { authorization: `Bearer ${SK}`, "content-type": "application/json" }
      const raw: Raw = kind === 0 || kind === 1
        ? { method: "POST", path: "/v1/payments", headers: { ...auth, "idempotency-key": `soak-${i % 1000}-${Math.floor(i / 1000)}` }, body: Buffer.from(JSON.stringify({ amount: 100 + (i % 1000), currency: "USD", metadata: { i: String(i) } })) }
        : kind === 2
        ? { method: "GET", path: `/v1/payments/${ids[i % Math.max(1, ids.length)] ?? "pay_AAAAAAAAAAAAAAAAAAAAAAAA"}`, headers: auth }
        : kind === 3
        ? { method: "GET", path: "/v1/payments?limit=100", headers: auth }
        : samples[i % samples.length] ?? { method: "GET", path: "/", headers: {} }
      const reply = await send(base, raw)
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
      if (raw.method !== "HEAD") checkContract(raw, reply)
      if (kind === 0 && reply.status === 200) {
        const id: unknown = JSON.parse(reply.text).id
        if (typeof id === "string") ids.push(id)
      }
    }
    // fixed rate: request i is started at i / rate seconds after the start (paced by the event
    // loop's timers; late starts are not made up for by bursts larger than one tick's worth)
    const start = performance.now()
    const running = new Set<Promise<void>>()
    const failures: Array<unknown> = []
    let started = 0
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * SOAK_RATE) + 1)
        while (started < due) {
          const p: Promise<void> = job(started++).catch((e: unknown) => {
            failures.push(e)
          }).finally(() => running.delete(p))
          running.add(p)
        }
        if (started < total) setTimeout(tick, 5)
        else resolve()
      }
      tick()
    })
    await Promise.all(running)
    global.gc?.()
    const after = process.memoryUsage()
    const payments = (await import("effect/Effect")).runSync(server.sandbox.payments).length
    console.log(
      table(`soak: ${total} requests at ${SOAK_RATE}/s`, [
        ["requests", total],
        ...[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => [`status ${s}`, n] as const),
        ["payments held by the sandbox", payments],
        ["heapUsed MB start", mb(before.heapUsed)],
        ["heapUsed MB end", mb(after.heapUsed)],
        ["rss MB start", mb(before.rss)],
        ["rss MB end", mb(after.rss)],
        ["wall time s", Math.round((performance.now() - start) / 100) / 10]
      ])
    )
    expect(failures).toEqual([])
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true)
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(total)
  }, (SOAK_SECONDS + 60) * 1000)
})
