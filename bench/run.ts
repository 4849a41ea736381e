/**
 * The benchmark harness behind `pnpm bench` (and its smoke test): runs every section and returns
 * the rows of the results table. Every ratio compares figures measured in the same run.
 */
import { type ServerChild, runSection, startServer } from "./lib/child.js"
import { coldStarts } from "./lib/cold.js"
import { createThroughput } from "./lib/load.js"
import { FleetWorkerOutput, LimiterOutput, PaginationOutput, RequestsOutput, UserTestOutput, WebhooksOutput } from "./lib/results.js"
import { floor, measure } from "./sizeBundle.js"
import { budgetFor } from "@paymentflow/node/Redis"
import * as Duration from "effect/Duration"
import { redisSkipReason, startRedis } from "../examples/fleet/redisServer.js"
import { fullEntry, paymentsOnlyEntry } from "./sizeEntries.js"

/** How much work each section does. */
export interface Counts {
  readonly requests: { readonly warmup: number; readonly n1: number; readonly n16: number; readonly repeats: number }
  readonly webhooks: { readonly warmup: number; readonly nSync: number; readonly nAsync: number; readonly repeats: number }
  readonly coldRuns: number
  readonly pagination: { readonly small: number; readonly large: number; readonly sampleEvery: number }
  readonly sandbox: { readonly warmup: number; readonly n: number; readonly repeats: number }
  readonly userTest: { readonly warmup: number; readonly n: number; readonly repeats: number }
  /** The shared limiter's cost per request, and the fleet's throughput on one budget. */
  readonly fleet: { readonly warmup: number; readonly n: number; readonly repeats: number; readonly processes: number; readonly creates: number }
}

/** `pnpm bench`. */
export const fullCounts: Counts = {
  requests: { warmup: 500, n1: 2000, n16: 4000, repeats: 3 },
  webhooks: { warmup: 2000, nSync: 20_000, nAsync: 4000, repeats: 3 },
  coldRuns: 10,
  pagination: { small: 10_000, large: 100_000, sampleEvery: 20 },
  sandbox: { warmup: 300, n: 3000, repeats: 3 },
  userTest: { warmup: 30, n: 200, repeats: 3 },
  fleet: { warmup: 200, n: 2000, repeats: 3, processes: 4, creates: 100 }
}

/** The smoke test's: every code path once or twice, no meaningful numbers. */
export const quickCounts: Counts = {
  requests: { warmup: 10, n1: 20, n16: 32, repeats: 1 },
  webhooks: { warmup: 10, nSync: 100, nAsync: 20, repeats: 1 },
  coldRuns: 1,
  pagination: { small: 150, large: 600, sampleEvery: 2 },
  sandbox: { warmup: 10, n: 32, repeats: 1 },
  userTest: { warmup: 1, n: 3, repeats: 1 },
  fleet: { warmup: 5, n: 20, repeats: 1, processes: 2, creates: 5 }
}

export type Unit = "µs" | "req/s" | "ops/s" | "KB" | "ms" | "MB"

/** One line of the results table. `higherIsBetter` says how to read `ours` against `baseline`. */
export interface Row {
  readonly section: string
  readonly figure: string
  readonly unit: Unit
  readonly ours: number
  readonly baseline: number
  readonly baselineLabel: string
  /** ours ÷ baseline. */
  readonly ratio: number
  /** The goal in words, when this row has one. */
  readonly goal?: string | undefined
  readonly met?: boolean | undefined
  /** A ratio goal, drawn on the chart. */
  readonly ratioGoal?: { readonly op: "<=" | ">="; readonly value: number } | undefined
}

export interface Results {
  readonly rows: ReadonlyArray<Row>
  readonly notes: ReadonlyArray<string>
}

const MB = 1024 * 1024
const KB = 1024

const ratioRow = (
  row: Omit<Row, "ratio" | "met" | "goal">
): Row => {
  const ratio = row.ours / row.baseline
  const g = row.ratioGoal
  if (g === undefined) return { ...row, ratio }
  return {
    ...row,
    ratio,
    goal: `${g.op === "<=" ? "≤" : "≥"} ${g.value}×`,
    met: g.op === "<=" ? ratio <= g.value : ratio >= g.value
  }
}

const requestRows = async (counts: Counts, log: (line: string) => void): Promise<ReadonlyArray<Row>> => {
  const stub = await startServer("sections/stubServer.ts", {})
  let out: RequestsOutput
  try {
    log(`requests: stub server on 127.0.0.1:${stub.port}`)
    out = await runSection("sections/requests.ts", { port: stub.port, ...counts.requests }, RequestsOutput)
  } finally {
    await stub.close()
  }
  const us = out.perRequestUs
  const rps = out.throughput
  const section = "requests"
  const c1 = (figure: string, ours: number, goal: boolean) =>
    ratioRow({
      section,
      figure: `${figure}, per request at c=1`,
      unit: "µs",
      ours,
      baseline: us.undici,
      baselineLabel: "raw undici.request",
      ratioGoal: goal ? { op: "<=", value: 1.3 } : undefined
    })
  const c16 = (figure: string, ours: number, goal: boolean) =>
    ratioRow({
      section,
      figure: `${figure}, throughput at c=16`,
      unit: "req/s",
      ours,
      baseline: rps.stripe,
      baselineLabel: "stripe-node",
      ratioGoal: goal ? { op: ">=", value: 1.25 } : undefined
    })
  return [
    c1("Effect client (NodePaymentFlow.layer, tracer on)", us.effect, true),
    c1("Promise client (PaymentFlowClient)", us.promise, true),
    c1("Effect client, tracer off (reference)", us.effectNoTracer, false),
    c1("stripe-node paymentIntents.create (reference)", us.stripe, false),
    c1("global fetch (reference)", us.fetch, false),
    c16("Effect client (tracer on)", rps.effect, true),
    c16("Promise client", rps.promise, true),
    c16("Effect client, tracer off (reference)", rps.effectNoTracer, false),
    c16("raw undici.request (floor)", rps.undici, false),
    c16("global fetch (reference)", rps.fetch, false)
  ]
}

const webhookRows = async (counts: Counts): Promise<ReadonlyArray<Row>> => {
  const { opsPerSec: o } = await runSection("sections/webhooks.ts", { payloadBytes: 1024, ...counts.webhooks }, WebhooksOutput)
  const section = "webhooks"
  const vsSync = (figure: string, ours: number, goal: boolean) =>
    ratioRow({
      section,
      figure: `${figure}, 1 KB`,
      unit: "ops/s",
      ours,
      baseline: o.stripeSync,
      baselineLabel: "stripe webhooks.constructEvent",
      ratioGoal: goal ? { op: ">=", value: 0.7 } : undefined
    })
  const vsAsync = (figure: string, ours: number, goal: boolean, baseline = o.stripeAsyncSubtle, label = "stripe constructEventAsync (SubtleCrypto)") =>
    ratioRow({
      section,
      figure: `${figure}, 1 KB`,
      unit: "ops/s",
      ours,
      baseline,
      baselineLabel: label,
      ratioGoal: goal ? { op: ">=", value: 1.5 } : undefined
    })
  return [
    vsSync("constructEventSync + NodeHmac (full decode)", o.oursSync, true),
    vsSync("Effect constructEvent + NodeHmac (full decode)", o.oursEffect, true),
    vsSync("node:crypto HMAC + timingSafeEqual + JSON.parse (floor)", o.floorNode, false),
    vsAsync("constructEventPromise, Web Crypto (full decode)", o.oursWebCrypto, true),
    vsAsync("Web Crypto, cached key, verify + JSON.parse (floor)", o.floorWebCrypto, false),
    vsAsync(
      "constructEventPromise, Web Crypto (reference)",
      o.oursWebCrypto,
      false,
      o.stripeAsyncDefault,
      "stripe constructEventAsync (default: node:crypto)"
    )
  ]
}

const bundleRows = async (): Promise<ReadonlyArray<Row>> => {
  const [base, full, payments] = [await measure(floor), await measure(fullEntry), await measure(paymentsOnlyEntry)]
  const section = "bundle"
  const budget = 95
  return [
    {
      section,
      figure: "browser bundle, full @paymentflow/browser entry (gzip)",
      unit: "KB",
      ours: full.gzip / KB,
      baseline: base.gzip / KB,
      baselineLabel: "Effect floor (Schema + HttpClient + fetch)",
      ratio: full.gzip / base.gzip,
      goal: `≤ ${budget} KB`,
      met: full.gzip / KB <= budget
    },
    {
      section,
      figure: "browser bundle, payments only (gzip)",
      unit: "KB",
      ours: payments.gzip / KB,
      baseline: base.gzip / KB,
      baselineLabel: "Effect floor (Schema + HttpClient + fetch)",
      ratio: payments.gzip / base.gzip
    }
  ]
}

const coldRows = async (counts: Counts): Promise<ReadonlyArray<Row>> => {
  const ms = await coldStarts([
    { name: "node -e 0", source: undefined },
    { name: "empty script", source: "" },
    { name: "@paymentflow/node", source: `import "@paymentflow/node"\n` },
    { name: "@paymentflow/node/client", source: `import "@paymentflow/node/client"\n` },
    {
      name: "effect floor",
      source: `import "effect/Effect"\nimport "effect/Schema"\nimport "@effect/platform/HttpClient"\n`
    },
    { name: "stripe", source: `import "stripe"\n` }
  ], counts.coldRuns)
  const get = (name: "node -e 0" | "empty script" | "@paymentflow/node" | "@paymentflow/node/client" | "effect floor" | "stripe") =>
    ms.get(name) ?? Number.NaN
  const zero = get("node -e 0")
  const stripe = get("stripe") - zero
  const section = "cold import"
  return [
    ratioRow({
      section,
      figure: "cold import of @paymentflow/node/client (built; the Promise entry, one bundled file), extra over `node -e 0`",
      unit: "ms",
      ours: get("@paymentflow/node/client") - zero,
      baseline: stripe,
      baselineLabel: "import stripe, extra over `node -e 0`",
      ratioGoal: { op: "<=", value: 1.5 }
    }),
    ratioRow({
      section,
      figure: "cold import of @paymentflow/node (built; the Effect entry, shares your effect) (reference)",
      unit: "ms",
      ours: get("@paymentflow/node") - zero,
      baseline: stripe,
      baselineLabel: "import stripe, extra over `node -e 0`"
    }),
    ratioRow({
      section,
      figure: "cold import of effect/Effect + effect/Schema + @effect/platform/HttpClient (the Effect entry's floor)",
      unit: "ms",
      ours: get("effect floor") - zero,
      baseline: stripe,
      baselineLabel: "import stripe, extra over `node -e 0`"
    }),
    ratioRow({
      section,
      figure: "empty ESM script, whole process (reference)",
      unit: "ms",
      ours: get("empty script"),
      baseline: zero,
      baselineLabel: "`node -e 0`, whole process"
    })
  ]
}

/** Growth below this is the GC's own noise; it counts as this much in the ratio. */
const NOISE_MB = 0.1

const paginationRows = async (counts: Counts, log: (line: string) => void): Promise<{ rows: ReadonlyArray<Row>; notes: ReadonlyArray<string> }> => {
  const run = (total: number) =>
    runSection("sections/pagination.ts", { total, sampleEvery: counts.pagination.sampleEvery }, PaginationOutput, {
      nodeArgs: ["--expose-gc", "--max-old-space-size=4096"],
      timeoutMs: 1_800_000
    })
  // Two processes at once: heap figures do not depend on timing, and it halves the wall time.
  const [small, large] = await Promise.all([run(counts.pagination.small), run(counts.pagination.large)])
  const growth = (r: PaginationOutput) => Math.max(0, r.heapPeak - r.heapBefore) / MB
  const gSmall = growth(small)
  const gLarge = growth(large)
  log(`pagination: seeded ${large.total} in ${(large.seedMs / 1000).toFixed(1)} s, streamed ${large.pages} pages in ${(large.streamMs / 1000).toFixed(1)} s`)
  const met = gLarge < 32 && gLarge <= gSmall + 4
  return {
    rows: [{
      section: "pagination",
      figure: `listAll heap growth streaming ${large.total.toLocaleString("en")} payments (post-GC peak − before)`,
      unit: "MB",
      ours: gLarge,
      baseline: gSmall,
      baselineLabel: `same, ${small.total.toLocaleString("en")} payments`,
      ratio: Math.max(gLarge, NOISE_MB) / Math.max(gSmall, NOISE_MB),
      goal: "< 32 MB, and flat (≤ small + 4 MB)",
      met
    }],
    notes: [
      `Pagination: ${large.total} payments seeded with sandbox.seed.payments (sandbox-only, straight into the state) in ${(large.seedMs / 1000).toFixed(1)} s ` +
      `(${(large.seedMs * 1000 / large.total).toFixed(0)} µs each), ${large.pages} pages of 100 streamed in ${(large.streamMs / 1000).toFixed(1)} s; ` +
      `heap before ${(large.heapBefore / MB).toFixed(1)} MB (the sandbox's own state included), peak ${(large.heapPeak / MB).toFixed(1)} MB, ` +
      `after ${(large.heapAfter / MB).toFixed(1)} MB; at ${small.total}: ${(small.heapBefore / MB).toFixed(1)} → ${(small.heapPeak / MB).toFixed(1)} MB. ` +
      `The walk's page requests go through the SDK client and Sandbox.layer's fetch bridge (which no longer keeps anything per ` +
      `request: packages/sandbox/test/Memory.test.ts), so growth should not scale with pages (${large.pages} vs ${small.pages}).`
    ]
  }
}

const sandboxRows = async (counts: Counts): Promise<ReadonlyArray<Row>> => {
  const servers: Array<ServerChild> = []
  try {
    const sandbox = await startServer("sections/sandboxServer.ts", {})
    servers.push(sandbox)
    const stub = await startServer("sections/stubServer.ts", {})
    servers.push(stub)
    const rps = await createThroughput(
      [{ name: "sandbox", port: sandbox.port }, { name: "stub", port: stub.port }],
      { concurrency: 16, ...counts.sandbox }
    )
    const ours = rps.get("sandbox") ?? Number.NaN
    const base = rps.get("stub") ?? Number.NaN
    return [{
      section: "sandbox",
      figure: "sandbox server, POST /v1/payments at c=16 (rate limit off)",
      unit: "req/s",
      ours,
      baseline: base,
      baselineLabel: "bare node:http stub, same load",
      ratio: ours / base,
      goal: "≥ 3000 req/s",
      met: ours >= 3000
    }]
  } finally {
    await Promise.all(servers.map((s) => s.close()))
  }
}

const userTestRows = async (counts: Counts): Promise<ReadonlyArray<Row>> => {
  const out = await runSection("sections/userTest.ts", counts.userTest, UserTestOutput)
  const section = "userTest"
  return [
    ratioRow({
      section,
      figure: "one user test in process (fresh PaymentFlowTest.layer: create + confirm + refund + webhook received), per test",
      unit: "ms",
      ours: out.freshMs,
      baseline: out.prebuiltMs,
      baselineLabel: "same operations on a kit built once",
      ratioGoal: { op: "<=", value: 1.5 }
    }),
    ratioRow({
      section,
      figure: "Sandbox.layer + PaymentFlow.layer built per test (reference: the setup before the kit; no webhook), per test",
      unit: "ms",
      ours: out.legacyFreshMs,
      baseline: out.prebuiltMs,
      baselineLabel: "same operations on a kit built once"
    }),
    ratioRow({
      section,
      figure: "the same test through MSW (setupServer, PaymentFlowClient, sandbox.reset() per test; no webhook), per test",
      unit: "ms",
      ours: out.mswMs,
      baseline: out.freshMs,
      baselineLabel: "fresh PaymentFlowTest.layer in process"
    })
  ]
}


/**
 * The shared budget (`@paymentflow/node/Redis`, a redis-server started here): its cost per request
 * beside the in-memory limiter's, and what a fleet of processes gets through it as a fraction of
 * the budget. Left out, with a note, where no redis-server is installed (never under CI).
 */
const fleetRows = async (counts: Counts, log: (line: string) => void): Promise<{ rows: ReadonlyArray<Row>; notes: ReadonlyArray<string> }> => {
  const reason = redisSkipReason()
  if (reason !== undefined) return { rows: [], notes: [`Fleet: ${reason}.`] }
  const redis = await startRedis()
  const servers: Array<ServerChild> = []
  try {
    const stub = await startServer("sections/stubServer.ts", {})
    servers.push(stub)
    const { perRequestUs: us } = await runSection("sections/limiter.ts", { port: stub.port, redisPort: redis.port, ...counts.fleet }, LimiterOutput)
    // the server allows 200 per 2 s; budgetFor's defaults (margin 20, jitter 500 ms): bursts of
    // 10, refilled 10 per 148 ms, at most 180 arrivals in any 2 s while requests arrive at most
    // 500 ms after their tokens
    const serverLimit = 200
    const budget = budgetFor({ serverLimit, serverWindow: "2 seconds", burst: 10 })
    const windowMs = Duration.toMillis(budget.window)
    const sandbox = await startServer("sections/fleetSandbox.ts", { rateLimit: serverLimit, rateLimitWindowMs: 2000 })
    servers.push(sandbox)
    const apiKey = `sk_test_benchfleet${Date.now().toString(36)}`
    const startAt = Date.now() + 3000
    const workers = await Promise.all(Array.from({ length: counts.fleet.processes }, () =>
      runSection("sections/fleetWorker.ts", {
        baseUrl: `http://127.0.0.1:${sandbox.port}`,
        redisPort: redis.port,
        apiKey,
        count: counts.fleet.creates,
        limit: budget.limit,
        windowMs,
        startAt
      }, FleetWorkerOutput)))
    const ok = workers.reduce((a, w) => a + w.ok, 0)
    const rateLimited = workers.reduce((a, w) => a + w.rateLimited, 0)
    const seconds = (Math.max(...workers.map((w) => w.ended)) - Math.min(...workers.map((w) => w.began))) / 1000
    const perSecond = ok / seconds
    // the budget's ceiling over that time: its burst, then its refill rate
    const ceiling = (budget.limit + (budget.limit / windowMs) * seconds * 1000) / seconds
    log(`fleet: ${counts.fleet.processes} processes, ${ok} created, ${rateLimited} 429s in ${seconds.toFixed(1)} s, failed open ${workers.map((w) => w.failedOpen).join("/")}`)
    const section = "fleet"
    return {
      rows: [
        ratioRow({
          section,
          figure: "shared limiter (Redis store, one round trip per attempt), per request at c=1",
          unit: "µs",
          ours: us.redis,
          baseline: us.memory,
          baselineLabel: "in-memory limiter, same calls"
        }),
        ratioRow({
          section,
          figure: "in-memory limiter, per request at c=1 (reference)",
          unit: "µs",
          ours: us.memory,
          baseline: us.none,
          baselineLabel: "no limiter, same calls"
        }),
        ratioRow({
          section,
          figure: `${counts.fleet.processes} processes × ${counts.fleet.creates} creates on one Redis budget, throughput`,
          unit: "req/s",
          ours: perSecond,
          baseline: ceiling,
          baselineLabel: `the budget's ceiling (${budget.limit} per ${windowMs} ms, burst ${budget.limit})`
        })
      ],
      notes: [
        `Fleet: ${counts.fleet.processes} processes × ${counts.fleet.creates} creates, retries off, against a sandbox allowing ${serverLimit} per 2 s; ` +
        `one Redis budget of ${budget.limit} per ${windowMs} ms (Redis.budgetFor's defaults: margin 10 %, jitter 500 ms), every process starting at once: ` +
        `${ok} created, ${rateLimited} answered 429, the limiter failed open ${workers.reduce((a, w) => a + w.failedOpen, 0)} times, in ${seconds.toFixed(1)} s. The limiter's cost per request is one Redis round trip on loopback (µs: none ${us.none.toFixed(0)}, ` +
        `in-memory ${us.memory.toFixed(0)}, Redis ${us.redis.toFixed(0)}).`
      ]
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()))
    await redis.close()
  }
}

/** The sections, in the order they run. */
export const SECTIONS = ["requests", "webhooks", "bundle", "cold", "pagination", "sandbox", "userTest", "fleet"] as const
export type SectionName = typeof SECTIONS[number]

/**
 * Runs every section in turn (each timed one in its own child process), or only the named ones
 * (`pnpm bench --only=requests,cold` while working on one figure).
 */
export const runBench = async (
  counts: Counts,
  log: (line: string) => void = () => undefined,
  only: ReadonlyArray<SectionName> = SECTIONS
): Promise<Results> => {
  const rows: Array<Row> = []
  const notes: Array<string> = []
  const on = (name: SectionName, step: string): boolean => {
    if (!only.includes(name)) return false
    log(step)
    return true
  }
  if (on("requests", "1/8 request overhead")) rows.push(...await requestRows(counts, log))
  if (on("webhooks", "2/8 webhook verification")) rows.push(...await webhookRows(counts))
  if (on("bundle", "3/8 bundle size")) rows.push(...await bundleRows())
  if (on("cold", "4/8 cold import")) rows.push(...await coldRows(counts))
  if (on("pagination", "5/8 pagination memory")) {
    const pagination = await paginationRows(counts, log)
    rows.push(...pagination.rows)
    notes.push(...pagination.notes)
  }
  if (on("sandbox", "6/8 sandbox server throughput")) rows.push(...await sandboxRows(counts))
  if (on("userTest", "7/8 one user test in process")) rows.push(...await userTestRows(counts))
  if (on("fleet", "8/8 shared limiter and fleet throughput")) {
    const fleet = await fleetRows(counts, log)
    rows.push(...fleet.rows)
    notes.push(...fleet.notes)
  }
  return { rows, notes }
}
