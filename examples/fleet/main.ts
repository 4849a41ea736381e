/**
 * Three processes sharing one request budget and one webhook inbox, against the sandbox (`pnpm
 * sandbox`, as a child process) and a redis-server (`npx pnpm@10 example:fleet`).
 *
 * - Redis: `REDIS_PORT` (and `REDIS_HOST`) to use yours; otherwise a `redis-server` (`REDIS_SERVER`
 *   or `/usr/bin/redis-server`) is started on a free loopback port in a temporary folder.
 * - The sandbox allows 20 requests per 2 s per key, and delivers every event 3 times
 *   (`--duplicate-deliveries 3`) to a round-robin proxy in front of the three processes.
 * - Each process (worker.ts) creates `FLEET_CREATES` payments (default 20) on the shared budget
 *   (`Redis.budgetFor`: at most 17 per 2 s, fleet-wide) and receives webhooks through the shared
 *   inbox; each event's "fulfilment" is a POST to a collector here, which counts it per event id.
 *
 * Prints one row per process and whether every event was fulfilled exactly once; exits 1 if not.
 */
import * as Redis from "@paymentflow/node/Redis"
import * as Duration from "effect/Duration"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"
import { startRedis } from "./redisServer.js"
import { startRoundRobinProxy } from "./proxy.js"

const root = fileURLToPath(new URL("../../", import.meta.url))
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const SECRET = `whsec_fleet_${randomBytes(8).toString("hex")}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What one run of the fleet measured. */
export interface FleetResult {
  readonly processes: ReadonlyArray<{
    readonly name: string
    readonly created: number
    readonly rateLimited: number
    readonly createFailed: number
    readonly handled: number
    readonly answers: Readonly<Record<string, number>>
  }>
  readonly events: number
  readonly fulfilledOnce: number
  readonly fulfilledTwice: number
  readonly deliveries: number
  /** From the first process's first create to the last process's last answer. */
  readonly createMs: number
  /** The budget's ceiling over that time (fleet-wide), for throughput as a fraction of it. */
  readonly budgetPerSecond: number
}

/** Spawns `node --import tsx <file>` and resolves with its first JSON line matching `pick`. */
const start = <A>(file: string, args: ReadonlyArray<string>, env: Record<string, string>, pick: (line: string) => A | undefined) =>
  new Promise<{ readonly child: ChildProcess; readonly value: A; readonly lines: Array<string> }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    const lines: Array<string> = []
    let buffer = ""
    let err = ""
    let done = false
    child.stderr?.on("data", (c: Buffer) => (err = (err + c.toString("utf8")).slice(-4000)))
    child.once("exit", (code, signal) => {
      if (!done) reject(new Error(`${file} exited with ${code ?? signal}: ${err}`))
    })
    child.stdout?.on("data", (c: Buffer) => {
      buffer += c.toString("utf8")
      let nl: number
      while ((nl = buffer.indexOf("\n")) !== -1) {
        const text = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        lines.push(text)
        const value = done ? undefined : pick(text)
        if (value !== undefined) {
          done = true
          resolve({ child, value, lines })
        }
      }
    })
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill("SIGTERM")
  })

const json = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Runs the fleet once: `processes` workers × `creates` payments each. */
export const runFleet = async (options: { readonly processes?: number; readonly creates?: number } = {}): Promise<FleetResult> => {
  const processes = options.processes ?? 3
  const creates = options.creates ?? 20
  const cleanups: Array<() => Promise<void>> = []
  try {
    let redisPort = Number(process.env["REDIS_PORT"] ?? 0)
    if (redisPort === 0) {
      const redis = await startRedis()
      cleanups.unshift(redis.close)
      redisPort = redis.port
    }
    // the fulfilment service, outside the receivers: counts each event id
    const fulfilled = new Map<string, number>()
    const collector = createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString("utf8")))
      req.on("end", () => {
        const eventId = String(json(body)?.["eventId"])
        fulfilled.set(eventId, (fulfilled.get(eventId) ?? 0) + 1)
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve))
    cleanups.unshift(() => new Promise<void>((resolve) => (collector.closeAllConnections(), collector.close(() => resolve()))))
    const proxy = await startRoundRobinProxy()
    cleanups.unshift(proxy.close)

    const sandbox = await start(
      here("../../packages/sandbox/src/bin.ts"),
      ["--port", "0", "--rate-limit", "20", "--rate-limit-window-ms", "2000", "--webhook", `${proxy.url}/webhooks=${SECRET}`, "--duplicate-deliveries", "3"],
      {},
      (line) => /listening on (\S+)/.exec(line)?.[1]
    )
    cleanups.unshift(() => stop(sandbox.child))
    const baseUrl = sandbox.value
    const apiKey = `sk_test_${randomBytes(12).toString("hex")}`
    // budgetFor's defaults: one token per 148 ms, burst 1, at most 17 arrivals in any 2 s even
    // when requests reach the sandbox up to 500 ms after their token; 3 short of its 20
    const budget = Redis.budgetFor({ serverLimit: 20, serverWindow: "2 seconds", burst: 1 })
    const windowMs = Duration.toMillis(budget.window)

    const workers = await Promise.all(Array.from({ length: processes }, (_, i) =>
      start(here("./worker.ts"), [], {
        NAME: `p${i + 1}`,
        REDIS_PORT: String(redisPort),
        WEBHOOK_SECRET: SECRET,
        COLLECTOR_URL: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/fulfil`,
        API_KEY: apiKey,
        BASE_URL: baseUrl,
        CREATES: String(creates),
        LIMIT: String(budget.limit),
        WINDOW_MS: String(windowMs),
        LEASE_MS: "10000"
      }, (line) => {
        const port = json(line)?.["listening"]
        return typeof port === "number" ? port : undefined
      })))
    cleanups.unshift(() => Promise.all(workers.map((w) => stop(w.child))).then(() => undefined))
    proxy.setTargets(workers.map((w) => `http://127.0.0.1:${w.value}`))

    // bounded waits: the creates (≈ 148 ms each, fleet-wide), then every delivery settled
    const createsDone = () => workers.every((w) => w.lines.some((l) => json(l)?.["created"] !== undefined))
    for (let i = 0; i < 1200 && !createsDone(); i++) await sleep(50)
    const spans = workers.flatMap((w) => w.lines.map(json).filter((l) => typeof l?.["began"] === "number"))
    const createMs = Math.max(...spans.map((l) => Number(l?.["ended"]))) - Math.min(...spans.map((l) => Number(l?.["began"])))
    const auth = { authorization: `Bearer ${apiKey}` }
    let log: ReadonlyArray<{ readonly status: string }> = []
    const expected = processes * creates * 3
    for (let i = 0; i < 600; i++) {
      const response = await fetch(`${baseUrl}/v1/sandbox/webhook_deliveries`, { headers: auth })
      log = ((await response.json()) as { data: ReadonlyArray<{ status: string }> }).data
      if (log.length >= expected && log.every((d) => d.status !== "pending")) break
      await sleep(100)
    }
    const stats = await Promise.all(workers.map(async (w) => {
      const response = await fetch(`http://127.0.0.1:${w.value}/stats`)
      return (await response.json()) as FleetResult["processes"][number]
    }))
    return {
      processes: stats,
      events: fulfilled.size,
      fulfilledOnce: [...fulfilled.values()].filter((n) => n === 1).length,
      fulfilledTwice: [...fulfilled.values()].filter((n) => n > 1).length,
      deliveries: log.length,
      createMs,
      budgetPerSecond: (budget.limit / windowMs) * 1000
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined)
  }
}

/** The table the command prints. */
export const report = (result: FleetResult): string => {
  const rows = result.processes.map((p) =>
    `${p.name.padEnd(8)}${String(p.created).padStart(8)}${String(p.rateLimited).padStart(6)}${String(p.handled).padStart(9)}` +
    `${String((p.answers["200"] ?? 0) - p.handled).padStart(12)}${String(p.answers["409"] ?? 0).padStart(10)}`
  )
  const created = result.processes.reduce((a, p) => a + p.created, 0)
  const perSecond = created / (result.createMs / 1000)
  return [
    "process  created  429s  handled  duplicates  in progress",
    "                               (200, not run)     (409)",
    ...rows,
    "",
    `${result.events} events, ${result.deliveries} deliveries (3 per event): ${result.fulfilledOnce} fulfilled exactly once, ` +
    `${result.fulfilledTwice} more than once`,
    `${created} creates in ${(result.createMs / 1000).toFixed(1)} s: ${perSecond.toFixed(2)} per s, ` +
    `${Math.round((perSecond / result.budgetPerSecond) * 100)} % of the shared budget (${result.budgetPerSecond.toFixed(2)} per s)`
  ].join("\n")
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFleet({ creates: Number(process.env["FLEET_CREATES"] ?? 20) }).then(
    (result) => {
      process.stdout.write(`${report(result)}\n`)
      const ok = result.fulfilledOnce === result.events && result.events > 0 && result.processes.every((p) => p.rateLimited === 0)
      process.exit(ok ? 0 : 1)
    },
    (error: unknown) => {
      process.stderr.write(`example:fleet failed: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}
