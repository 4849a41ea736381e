/**
 * Four receiver processes (examples/fleet/worker.ts: examples/webhook-receiver's handler on one
 * Redis inbox) behind a round-robin proxy, the sandbox delivering every event 3 times: each event's
 * side effect — a count per event id in a collector server in this process, outside the
 * receivers — is recorded exactly once; also with one receiver SIGKILLed while its handler sleeps
 * (after the lease); and with Redis stopped mid-run the inbox fails closed (503, the sandbox
 * retries): no receiver crashes and no event is lost. Real time, real redis-server, loopback,
 * bounded loops; the workers stop on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PaymentFlowClient } from "@paymentflow/node"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { Redis as IORedis } from "ioredis"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { startRoundRobinProxy } from "../../../examples/fleet/proxy.js"
import { redisSkipReason, startRedis, type TestRedis } from "../../../examples/fleet/redisServer.js"

const skip = redisSkipReason()
const root = fileURLToPath(new URL("../../../", import.meta.url))
const worker = fileURLToPath(new URL("../../../examples/fleet/worker.ts", import.meta.url))
const SECRET = "whsec_fleet_inbox_test"
const EVENTS = 10
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Worker {
  readonly child: ChildProcess
  readonly port: number
  readonly handling: Array<string>
  readonly onLine: Set<(line: Record<string, unknown>) => void>
}

const startWorker = (env: Record<string, string>): Promise<Worker> =>
  new Promise((resolve, reject) => {
    // node itself with tsx's loader (not the tsx CLI, which runs the script in a grandchild): a
    // SIGKILL reaches the receiver
    const child = spawn(process.execPath, ["--import", "tsx", worker], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    const handling: Array<string> = []
    const onLine = new Set<(line: Record<string, unknown>) => void>()
    let buffer = ""
    let err = ""
    child.stderr?.on("data", (chunk: Buffer) => (err = (err + chunk.toString("utf8")).slice(-4000)))
    child.once("exit", (code, signal) => reject(new Error(`worker exited with ${code ?? signal}: ${err}`)))
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8")
      let nl: number
      while ((nl = buffer.indexOf("\n")) !== -1) {
        const text = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        let parsed: Record<string, unknown>
        try {
          parsed = JSON.parse(text) as Record<string, unknown>
        } catch {
          continue
        }
        if (typeof parsed["listening"] === "number") resolve({ child, port: parsed["listening"], handling, onLine })
        if (typeof parsed["handling"] === "string") handling.push(parsed["handling"])
        for (const f of onLine) f(parsed)
      }
    })
  })

const stopWorker = (w: Worker): Promise<void> =>
  new Promise((resolve) => {
    if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve()
    const timer = setTimeout(() => w.child.kill("SIGKILL"), 5000)
    w.child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    w.child.kill("SIGTERM")
  })

interface Run {
  readonly counts: Map<string, number>
  /** Which receiver (`r0`…`r3`) recorded each event. */
  readonly recordedBy: Map<string, ReadonlyArray<string>>
  readonly eventIds: ReadonlyArray<string>
  readonly deliveries: ReadonlyArray<{ readonly status: string; readonly eventId: string; readonly codes: ReadonlyArray<number | null> }>
  readonly workers: ReadonlyArray<Worker>
  readonly ms: number
}

/** The fleet, one run: `during` acts on it while events are delivered. */
const runFleet = async (
  redis: TestRedis,
  options: {
    readonly inbox?: "redis" | "memory"
    readonly handleMs: number
    readonly leaseMs: number
    readonly during?: (fleet: { readonly workers: ReadonlyArray<Worker>; readonly recorded: () => number }) => Promise<void>
  }
): Promise<Run> => {
  const started = Date.now()
  const counts = new Map<string, number>()
  const recordedBy = new Map<string, ReadonlyArray<string>>()
  const collector: Server = createServer((req, res) => {
    let body = ""
    req.on("data", (c: Buffer) => (body += c.toString("utf8")))
    req.on("end", () => {
      const { eventId, worker } = JSON.parse(body) as { eventId: string; worker: string }
      counts.set(eventId, (counts.get(eventId) ?? 0) + 1)
      recordedBy.set(eventId, [...(recordedBy.get(eventId) ?? []), worker])
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve))
  const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/record`
  const proxy = await startRoundRobinProxy()
  const workers: Array<Worker> = []
  let sandbox: RunningServer | undefined
  try {
    workers.push(
      ...(await Promise.all(Array.from({ length: 4 }, (_, i) =>
        startWorker({
          NAME: `r${i}`,
          REDIS_PORT: String(redis.port),
          WEBHOOK_SECRET: SECRET,
          COLLECTOR_URL: collectorUrl,
          HANDLE_MS: String(options.handleMs),
          LEASE_MS: String(options.leaseMs),
          INBOX: options.inbox ?? "redis"
        }))))
    )
    proxy.setTargets(workers.map((w) => `http://127.0.0.1:${w.port}`))
    sandbox = await SandboxServer.start({
      rateLimit: false,
      webhooks: [{ url: `${proxy.url}/webhooks`, secret: SECRET }],
      duplicateDeliveries: 3,
      // the contract's backoff, compressed: every 200 ms, at most 100 retries (bounded)
      webhookRetry: Schedule.spaced("200 millis").pipe(Schedule.intersect(Schedule.recurs(100)))
    })
    const server = sandbox
    const client = new PaymentFlowClient({ apiKey: `sk_test_${randomBytes(12).toString("hex")}`, baseUrl: server.url, maxRetries: 0 })
    const during = options.during?.({ workers, recorded: () => counts.size }) ?? Promise.resolve()
    const payments = await Promise.all(Array.from({ length: EVENTS }, (_, i) =>
      client.payments.create({
        amount: 500 + i,
        currency: "EUR",
        paymentMethod: { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
      })))
    expect(payments.every((p) => p.status === "succeeded")).toBe(true)
    await during
    // bounded: every delivery settles (succeeded or out of retries) well within 30 s
    let log = await Effect.runPromise(server.sandbox.deliveries)
    for (let i = 0; i < 300 && (log.length < EVENTS * 3 || log.some((d) => d.status === "pending")); i++) {
      await sleep(100)
      log = await Effect.runPromise(server.sandbox.deliveries)
    }
    return {
      counts,
      recordedBy,
      eventIds: [...new Set(log.map((d) => d.eventId))],
      deliveries: log.map((d) => ({ status: d.status, eventId: d.eventId, codes: d.attempts.map((a) => a.statusCode) })),
      workers,
      ms: Date.now() - started
    }
  } finally {
    await sandbox?.close()
    await Promise.all(workers.map(stopWorker))
    await proxy.close()
    collector.closeAllConnections()
    await new Promise<void>((resolve) => collector.close(() => resolve()))
  }
}

const histogram = (run: Run) => {
  const answers: Record<string, number> = {}
  for (const d of run.deliveries) for (const c of d.codes) answers[String(c)] = (answers[String(c)] ?? 0) + 1
  return answers
}

describe.skipIf(skip !== undefined)("4 receivers behind a round-robin proxy, every event delivered 3 times (a real redis-server)", () => {
  let redis: TestRedis
  beforeAll(async () => {
    // persisted (AOF), so the restart in the last test keeps the done marks, as a production Redis would
    redis = await startRedis({ persist: true })
  })
  afterAll(async () => {
    await redis?.close()
  })

  it("each event's side effect is recorded exactly once", async () => {
    const run = await runFleet(redis, { handleMs: 300, leaseMs: 3000 })
    console.info(`inbox fleet: ${run.eventIds.length} events, ${run.deliveries.length} deliveries, answers ${JSON.stringify(histogram(run))} in ${run.ms} ms`)
    expect(run.eventIds).toHaveLength(EVENTS)
    expect(run.deliveries).toHaveLength(EVENTS * 3)
    expect(run.deliveries.every((d) => d.status === "succeeded")).toBe(true)
    expect([...run.counts.keys()].sort()).toEqual([...run.eventIds].sort())
    expect([...run.counts.values()].every((n) => n === 1)).toBe(true)
    // the inbox in Redis: one done mark per event, under its id; nothing of the secret
    const client = new IORedis({ host: redis.host, port: redis.port })
    try {
      for (const id of run.eventIds) expect(await client.get(`paymentflow:inbox:${id}`)).toBe("done")
      for (const key of await client.keys("*")) {
        expect(key).not.toContain(SECRET.slice(6))
        expect(await client.get(key)).not.toContain(SECRET.slice(6))
      }
    } finally {
      await client.quit()
    }
  }, 90_000)

  it("the control, each receiver's own in-memory inbox: some events are recorded more than once", async () => {
    const run = await runFleet(redis, { inbox: "memory", handleMs: 300, leaseMs: 3000 })
    const extra = [...run.counts.values()].reduce((a, n) => a + n - 1, 0)
    console.info(`inbox fleet, control (in-memory inboxes): answers ${JSON.stringify(histogram(run))}, extra recordings ${extra}, in ${run.ms} ms`)
    expect(run.deliveries.every((d) => d.status === "succeeded")).toBe(true)
    expect([...run.counts.keys()].sort()).toEqual([...run.eventIds].sort())
    expect(extra).toBeGreaterThan(0)
  }, 90_000)

  it("one receiver SIGKILLed while its handler sleeps: after the lease, every event is still recorded exactly once", async () => {
    let killed: string | undefined
    const run = await runFleet(redis, {
      handleMs: 1000,
      leaseMs: 1500,
      during: ({ workers }) =>
        new Promise<void>((resolve, reject) => {
          const victim = workers[0]!
          const timer = setTimeout(() => reject(new Error("receiver 0 never started a handler")), 20_000)
          victim.onLine.add((line) => {
            if (killed !== undefined || typeof line["handling"] !== "string") return
            killed = line["handling"]
            victim.child.kill("SIGKILL")
            clearTimeout(timer)
            resolve()
          })
        })
    })
    console.info(`inbox fleet, receiver killed mid-handle (${killed}): answers ${JSON.stringify(histogram(run))} in ${run.ms} ms`)
    expect(killed).toBeDefined()
    expect(run.workers[0]?.child.signalCode).toBe("SIGKILL")
    expect(run.deliveries.every((d) => d.status === "succeeded")).toBe(true)
    expect(run.eventIds).toHaveLength(EVENTS)
    expect([...run.counts.keys()].sort()).toEqual([...run.eventIds].sort())
    expect([...run.counts.values()].every((n) => n === 1)).toBe(true)
    // the killed handler's event was handled by another receiver
    const by = run.recordedBy.get(killed ?? "") ?? []
    expect(by).toHaveLength(1)
    expect(by[0]).not.toBe("r0")
  }, 90_000)

  it("Redis stopped 1.5 s mid-run: the inbox answers 503 (fail closed), no receiver crashes, no event is lost or recorded twice", async () => {
    const run = await runFleet(redis, {
      handleMs: 200,
      // longer than the outage: the claims of handlers caught by it outlive it, and their done
      // marks (retried for one lease) land before the claims run out
      leaseMs: 5000,
      during: async ({ recorded }) => {
        for (let i = 0; i < 200 && recorded() < 2; i++) await sleep(50)
        await redis.stop()
        await sleep(1500)
        await redis.start()
      }
    })
    const answers = histogram(run)
    const extra = [...run.counts.values()].reduce((a, n) => a + n - 1, 0)
    console.info(`inbox fleet, Redis stopped 1.5 s: answers ${JSON.stringify(answers)}, events recorded more than once: ${extra}, in ${run.ms} ms`)
    // no receiver crashed: each was still running when the run ended (then stopped by SIGTERM)
    expect(run.workers.every((w) => w.child.signalCode === "SIGTERM" || w.child.exitCode === 0)).toBe(true)
    expect(answers["503"] ?? 0).toBeGreaterThan(0)
    expect(run.deliveries.every((d) => d.status === "succeeded")).toBe(true)
    expect(run.eventIds).toHaveLength(EVENTS)
    // no event lost: every one recorded — and, the outage being shorter than the lease on a
    // persisted Redis, none twice (the done marks of handlers caught by it are written once it is
    // back, before their claims run out; an outage longer than the lease may repeat those)
    expect([...run.counts.keys()].sort()).toEqual([...run.eventIds].sort())
    expect(extra).toBe(0)
  }, 90_000)
})
