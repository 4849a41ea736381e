/**
 * The shared budget on a real `redis-server` (examples/fleet/redisServer.ts): attempts and retries consume
 * from the key's budget, Redis names the key only by its digest, a stopped Redis fails open, and
 * four processes on one budget get no 429 from a sandbox whose limit the in-memory limiter (the
 * control) overruns. Real time: Redis TTLs and clocks do not follow a TestClock; windows are short.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { NodePaymentFlow, PaymentFlow, Retry } from "@paymentflow/node"
import * as Redis from "@paymentflow/node/Redis"
import { SandboxServer } from "@paymentflow/sandbox/server"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import { Redis as IORedis } from "ioredis"
import { spawn } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { fileURLToPath } from "node:url"
import { loopback } from "./utils/loopback.js"
import { redisSkipReason, startRedis, type TestRedis } from "../../../examples/fleet/redisServer.js"

const skip = redisSkipReason()
const canary = () => `sk_test_${randomBytes(12).toString("hex")}`
let redis: TestRedis

/** Every key in the test Redis, with its value where it is a string. */
const dump = () =>
  Effect.acquireUseRelease(
    Effect.sync(() => new IORedis({ host: redis.host, port: redis.port, lazyConnect: false })),
    (client) =>
      Effect.promise(async () => {
        const keys = await client.keys("*")
        const values = await Promise.all(keys.map((key) => client.get(key)))
        return new Map(keys.map((key, i) => [key, values[i] ?? null]))
      }),
    (client) => Effect.promise(() => client.quit())
  )

const captureLogs = () => {
  const lines: Array<{ readonly level: string; readonly message: string }> = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push({ level: logLevel.label, message: Array.isArray(message) ? message.join(" ") : String(message) })
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

describe.skipIf(skip !== undefined)("Redis rateLimit (a real redis-server)", () => {
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.close()
  })

  it("keyDigest is the first 16 hex characters of the key's SHA-256", () => {
    const key = canary()
    expect(Redis.keyDigest(key)).toBe(createHash("sha256").update(key).digest("hex").slice(0, 16))
    expect(Redis.keyDigest(key)).toMatch(/^[0-9a-f]{16}$/)
  })

  it("budgetFor keeps limit × (1 + (serverWindow + jitter) / window) within the server's limit, minus the margin", () => {
    const { limit, window } = Redis.budgetFor({ serverLimit: 20, serverWindow: "2 seconds", burst: 2, margin: 2 })
    expect(limit).toBe(2)
    // the default jitter, 500 ms: the tokens of one server window's arrivals were taken over 2.5 s
    expect(limit * (1 + 2500 / Duration.toMillis(window))).toBeLessThanOrEqual(18)
    expect(() => Redis.budgetFor({ serverLimit: 5, serverWindow: "1 second", burst: 5 })).toThrow(
      "budgetFor: a burst of 5 and a margin of 1 leave nothing of the server's 5 to refill"
    )
    expect(() => Redis.budgetFor({ serverLimit: 20, serverWindow: "2 seconds", burst: 0 })).toThrow(RangeError)
    expect(() => Redis.budgetFor({ serverLimit: 20, serverWindow: 0, burst: 1 })).toThrow(RangeError)
    expect(() => Redis.budgetFor({ serverLimit: 20, serverWindow: "2 seconds", burst: 1, jitter: Duration.infinity })).toThrow(
      RangeError
    )
  })

  it("budgetFor counts arrivals, not takes: requests arriving up to `jitter` late never exceed the server's window", () => {
    const serverLimit = 20
    const serverWindowMs = 2000
    const margin = 2
    const jitterMs = 1000
    const { limit, window } = Redis.budgetFor({ serverLimit, serverWindow: "2 seconds", burst: 2, margin, jitter: "1 second" })
    const windowMs = Duration.toMillis(window)
    // the fastest the bucket lets tokens go: `limit` at once, then one every window / limit
    const takes = Array.from({ length: 200 }, (_, i) => i < limit ? 0 : (i - limit + 1) * windowMs / limit)
    // the worst spread: the first tokens' requests arrive `jitter` late, the rest at once
    const firstOnTime = takes.findIndex((t) => t > jitterMs)
    const arrivals = takes.map((t, i) => i < firstOnTime ? t + jitterMs : t).sort((a, b) => a - b)
    const busiest = Math.max(...arrivals.map((start) => arrivals.filter((a) => a >= start && a < start + serverWindowMs).length))
    expect(busiest).toBeLessThanOrEqual(serverLimit - margin)
  })

  it.live("every attempt, retries included, takes a token from the key's budget; Redis names the key only by its digest", () =>
    Effect.gen(function*() {
      const key = canary()
      const server = yield* loopback((res) => {
        res.writeHead(500, { "content-type": "application/json" })
        res.end(JSON.stringify({ error: { type: "api_error", code: "internal_error", message: "boom" } }))
      })
      const error = yield* Effect.flip(
        Effect.flatMap(PaymentFlow, (pf) => pf.customers.list()).pipe(
          Effect.provide(NodePaymentFlow.layer({
            apiKey: key,
            baseUrl: server.url,
            retry: Retry.make({ maxRetries: 2, initialDelay: "10 millis" }),
            rateLimit: Redis.rateLimit({ redis: { host: redis.host, port: redis.port }, limit: 10, window: "60 seconds", prefix: "t1:" })
          }))
        )
      )
      expect(error._tag).toBe("ApiError")
      expect(server.seen.length).toBe(3)
      const keys = yield* dump()
      const digest = Redis.keyDigest(key)
      // the token bucket: 10 − 3 attempts
      expect(keys.get(`t1:${digest}`)).toBe("7")
      for (const [name, value] of keys) {
        expect(name).not.toContain(key)
        expect(name).not.toContain(key.slice(8))
        expect(value ?? "").not.toContain(key.slice(8))
      }
    }).pipe(Effect.scoped))

  it.live("Redis stopped mid-run: attempts go out unlimited with one warning, and the budget is back once it answers", () =>
    Effect.gen(function*() {
      const { url } = yield* SandboxServer
      const logs = captureLogs()
      const key = canary()
      const digest = Redis.keyDigest(key)
      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        yield* pf.customers.create({ email: "before@example.com" })
        expect((yield* dump()).has(`t2:${digest}`)).toBe(true)

        yield* Effect.promise(() => redis.stop())
        const during = yield* Effect.forEach([1, 2, 3], (i) => pf.customers.create({ email: `down${i}@example.com` }))
        expect(during.map((c) => c.email)).toEqual(["down1@example.com", "down2@example.com", "down3@example.com"])
        const warnings = logs.lines.filter((l) => l.level === "WARN")
        expect(warnings.length).toBe(1)
        expect(warnings[0]?.message).toContain("rate limit store unreachable")
        expect(warnings[0]?.message).toContain(digest)
        expect(warnings[0]?.message).not.toContain(key.slice(8))

        yield* Effect.promise(() => redis.start())
        // ioredis reconnects by itself (retryStrategy ≤ 1 s): bounded, a call every 100 ms
        let back = false
        for (let i = 0; i < 50 && !back; i++) {
          yield* pf.customers.create({ email: `after${i}@example.com` })
          back = (yield* dump()).has(`t2:${digest}`)
          if (!back) yield* Effect.sleep("100 millis")
        }
        expect(back).toBe(true)
        expect(logs.lines.filter((l) => l.level === "INFO").map((l) => l.message)).toEqual([
          `PaymentFlow rate limit store answers again (key ${digest})`
        ])
      }).pipe(
        Effect.provide(NodePaymentFlow.layer({
          apiKey: key,
          baseUrl: url,
          maxRetries: 0,
          rateLimit: Redis.rateLimit({
            redis: { host: redis.host, port: redis.port },
            limit: 100,
            window: "10 seconds",
            prefix: "t2:",
            storeTimeout: "500 millis"
          })
        })),
        Effect.provide(logs.layer)
      )
    }).pipe(Effect.provide(SandboxServer.layer({ rateLimit: false }))), 30_000)

  describe("4 processes × 30 creates, a sandbox limit of 20 per 2 s, retries off", () => {
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))
    const worker = fileURLToPath(new URL("./fixtures/fleetWorker.ts", import.meta.url))
    const root = fileURLToPath(new URL("../../../", import.meta.url))
    // budgetFor's defaults (margin 2, jitter 500 ms): burst 1, refilled every 148 ms, at most
    // 1 + 16 = 17 tokens in any 2.5 s, so at most 17 arrivals in any 2 s, 3 short of the server's 20
    const budget = Redis.budgetFor({ serverLimit: 20, serverWindow: "2 seconds", burst: 1 })

    interface Counts {
      readonly ok: number
      readonly rateLimited: number
      readonly other: number
    }
    const runWorker = (env: Record<string, string>): Promise<Counts> =>
      new Promise((resolve, reject) => {
        const child = spawn(tsx, [worker], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
        let out = ""
        let err = ""
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")))
        // a safety net only: the workers exit by themselves
        const timer = setTimeout(() => child.kill("SIGKILL"), 80_000)
        child.once("error", reject)
        child.once("exit", (code, signal) => {
          clearTimeout(timer)
          if (code !== 0) return reject(new Error(`worker exited with ${code ?? signal}: ${err}`))
          resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}"))
        })
      })

    const fleet = (store: "redis" | "memory") =>
      Effect.gen(function*() {
        const { url } = yield* SandboxServer
        const started = Date.now()
        const key = canary()
        const counts = yield* Effect.promise(() =>
          Promise.all(Array.from({ length: 4 }, () =>
            runWorker({
              STORE: store,
              REDIS_PORT: String(redis.port),
              API_KEY: key,
              BASE_URL: url,
              COUNT: "30",
              LIMIT: String(budget.limit),
              WINDOW_MS: String(Duration.toMillis(budget.window))
            })))
        )
        const total = counts.reduce((a, b) => ({ ok: a.ok + b.ok, rateLimited: a.rateLimited + b.rateLimited, other: a.other + b.other }))
        // the figures, for the note (not asserted: timing)
        console.info(`fleet (${store} store): ${JSON.stringify(total)} in ${Date.now() - started} ms`)
        return total
      }).pipe(Effect.provide(SandboxServer.layer({ rateLimit: 20, rateLimitWindow: "2 seconds" })))

    it.live("the shared Redis budget: zero 429s", () =>
      Effect.gen(function*() {
        const total = yield* fleet("redis")
        expect(total).toEqual({ ok: 120, rateLimited: 0, other: 0 })
      }), 90_000)

    it.live("the control, each process's own in-memory budget: 429s appear", () =>
      Effect.gen(function*() {
        const total = yield* fleet("memory")
        expect(total.other).toBe(0)
        expect(total.rateLimited).toBeGreaterThan(0)
        expect(total.ok + total.rateLimited).toBe(120)
      }), 60_000)
  })
})
