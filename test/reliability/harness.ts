/**
 * Shared pieces of the reliability suites: a seeded PRNG, a fault-injecting `HttpClient`
 * middleware that counts attempts and faults, a virtual clock, and a driver that runs forked work
 * to completion on it (advancing virtual time only to the next scheduled wake-up, after the real
 * asynchronous work of the in-process sandbox has settled).
 */
import { createHook } from "node:async_hooks"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import { tick, timerTick } from "../../packages/sandbox/test/waitFor.js"

/** mulberry32: small, fast, seedable; good enough to pick faults reproducibly. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const FAULT_HEADER = "paymentflow-sandbox-fault"

export const FAULT_KINDS = ["none", "drop-after-commit", "500", "503", "429", "delay", "truncate", "html-502"] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface FaultStats {
  attempts: number
  /** Attempts whose `execute` has returned or failed (the body may still be read afterwards). */
  settled: number
  readonly byKind: Record<FaultKind, number>
}

/**
 * A `transformClient` that picks one fault per attempt (each request the SDK sends) from the
 * PRNG, with `none` weighted `noneWeight` against 1 for every other kind.
 */
export const faultInjector = (options: {
  readonly random: () => number
  readonly delayMillis: number
  readonly noneWeight: number
}): { readonly stats: FaultStats; readonly transform: (client: HttpClient.HttpClient) => HttpClient.HttpClient } => {
  const byKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>
  const stats: FaultStats = { attempts: 0, settled: 0, byKind }
  const faults = FAULT_KINDS.filter((k) => k !== "none")
  const total = options.noneWeight + faults.length
  const pick = (): FaultKind => {
    const r = options.random() * total
    if (r < options.noneWeight) return "none"
    return faults[Math.min(faults.length - 1, Math.floor(r - options.noneWeight))] ?? "none"
  }
  const transform = (client: HttpClient.HttpClient) =>
    client.pipe(
      HttpClient.mapRequest((request: HttpClientRequest.HttpClientRequest) => {
        const kind = pick()
        stats.attempts++
        stats.byKind[kind]++
        if (kind === "none") return request
        return HttpClientRequest.setHeader(request, FAULT_HEADER, kind === "delay" ? `delay=${options.delayMillis}` : kind)
      }),
      HttpClient.transform((effect) =>
        Effect.ensuring(
          effect,
          Effect.sync(() => {
            stats.settled++
          })
        )
      )
    )
  return { stats, transform }
}

/**
 * Thread-pool jobs in flight: Web Crypto's digest, sign and generateKey (the sandbox's owner digest
 * and idempotency fingerprint) run on libuv's pool and answer after any number of event-loop
 * turns when the machine is busy. The virtual clock must not move while one is pending: a request
 * waiting for its HMAC would see its virtual timeout fire (seen as an intermittent
 * `NetworkError timeout` in `sameKey`, and a lost result in the storm). Observed, not replaced:
 * an async hook notes each job when it starts and when its callback has run.
 */
const pendingJobs = new Set<number>()
/**
 * Web Crypto's job types. Not every `*REQUEST`: Node refills its `randomUUID` pool with
 * `RANDOMBYTESREQUEST` jobs whose callback never runs, so they would look pending forever.
 */
const isPoolJob = (type: string) => /^(HASH|SIGN|KEYGEN|KEYPAIRGEN|CIPHER|DERIVEBITS|HKDF|PBKDF2|SCRYPT|KEYEXPORT)REQUEST$/.test(type)
// Enabled when the module loads, so a job started before the first drive (a store's key) is seen.
createHook({
  init: (id, type) => {
    if (isPoolJob(type)) pendingJobs.add(id)
  },
  after: (id) => {
    pendingJobs.delete(id)
  },
  destroy: (id) => {
    pendingJobs.delete(id)
  }
}).enable()


interface Sleeper {
  readonly at: number
  readonly seq: number
  readonly wake: () => void
  cancelled: boolean
}

/**
 * A virtual `Clock` for long simulations. `TestClock` would do, but it waits for every fiber of
 * the test to be suspended (several real timer turns and a walk over all fibers) before EACH
 * sleep it wakes, and it keeps the sleeps of interrupted fibers (every per-attempt timeout that
 * did not fire): a 10 000-call storm would take many minutes. Here a sleep is a heap entry,
 * removed when its fiber is interrupted, and the driver decides when real work has settled.
 */
export class VirtualClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId
  #now: number
  #seq = 0
  readonly #heap: Array<Sleeper> = []

  constructor(startMillis: number) {
    this.#now = startMillis
  }

  unsafeCurrentTimeMillis(): number {
    return this.#now
  }
  unsafeCurrentTimeNanos(): bigint {
    return BigInt(Math.round(this.#now * 1_000)) * 1_000n
  }
  get currentTimeMillis(): Effect.Effect<number> {
    return Effect.sync(() => this.#now)
  }
  get currentTimeNanos(): Effect.Effect<bigint> {
    return Effect.sync(() => this.unsafeCurrentTimeNanos())
  }

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const millis = Duration.toMillis(duration)
      if (millis <= 0) return resume(Effect.void)
      if (!Number.isFinite(millis)) return
      const sleeper: Sleeper = { at: this.#now + millis, seq: this.#seq++, wake: () => resume(Effect.void), cancelled: false }
      this.#push(sleeper)
      return Effect.sync(() => {
        sleeper.cancelled = true
      })
    })
  }

  /** Pending (not interrupted) sleeps. */
  get pending(): number {
    return this.#heap.reduce((n, s) => (s.cancelled ? n : n + 1), 0)
  }

  /** Moves the clock to the earliest pending sleep and wakes every sleep due by then + `quantum`. */
  advance(quantumMillis = 0): boolean {
    this.#dropCancelled()
    const first = this.#heap[0]
    if (first === undefined) return false
    const until = Math.max(this.#now, first.at + quantumMillis)
    for (let top = this.#heap[0]; top !== undefined && top.at <= until; top = this.#heap[0]) {
      this.#pop()
      if (top.cancelled) continue
      this.#now = Math.max(this.#now, top.at)
      top.wake()
    }
    this.#now = until
    return true
  }

  #dropCancelled() {
    while (this.#heap[0]?.cancelled === true) this.#pop()
  }
  #less(a: Sleeper, b: Sleeper) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }
  #push(s: Sleeper) {
    const h = this.#heap
    h.push(s)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = h[parent]
      if (p === undefined || !this.#less(s, p)) break
      h[i] = p
      h[parent] = s
      i = parent
    }
  }
  #pop() {
    const h = this.#heap
    const last = h.pop()
    if (last === undefined || h.length === 0) return
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      const hm = h[m]
      const hl = h[l]
      const hr = h[r]
      if (hl !== undefined && hm !== undefined && this.#less(hl, hm)) m = l
      const hm2 = h[m]
      if (hr !== undefined && hm2 !== undefined && this.#less(hr, hm2)) m = r
      if (m === i) break
      const a = h[i]
      const b = h[m]
      if (a === undefined || b === undefined) break
      h[i] = b
      h[m] = a
      i = m
    }
  }
}

/**
 * Runs `fiber` to completion on `clock`: waits for real asynchronous work to settle — no
 * thread-pool job pending, and the progress signature unchanged for a few event-loop turns and a
 * timers phase — then moves the clock to the next pending sleep. Bounded: dies rather than spin
 * forever, and dies (rather than move the clock under it) when real work does not settle within
 * `settleMillis` of real time.
 */
export const driveToCompletion = <A, E>(
  fiber: Fiber.RuntimeFiber<A, E>,
  clock: VirtualClock,
  progress: () => string,
  limits: { readonly maxRounds: number; readonly settleTicks: number; readonly settleMillis: number; readonly quantumMillis: number } = {
    maxRounds: 200_000,
    settleTicks: 3,
    settleMillis: 20_000,
    quantumMillis: 10
  }
): Effect.Effect<{ readonly rounds: number; readonly virtualMillis: number }> =>
  Effect.gen(function*() {
    const start = clock.unsafeCurrentTimeMillis()
    const signature = () => `${progress()}|${clock.pending}|${pendingJobs.size}`
    for (let round = 0; round < limits.maxRounds; round++) {
      const deadline = Date.now() + limits.settleMillis
      let stable = 0
      let last = signature()
      while (fiber.unsafePoll() === null) {
        if (Date.now() > deadline) {
          return yield* Effect.dieMessage(`real work did not settle in ${limits.settleMillis} ms (round ${round}, ${pendingJobs.size} pool jobs pending, progress ${progress()})`)
        }
        // while a pool job runs, wait for it in the timers phase instead of spinning on setImmediate
        yield* pendingJobs.size > 0 || stable >= limits.settleTicks ? timerTick : tick
        const now = signature()
        if (now !== last || pendingJobs.size > 0) {
          stable = 0
          last = now
          continue
        }
        // unchanged; after `settleTicks` turns, one more through the timers phase confirms it
        if (stable++ >= limits.settleTicks) break
      }
      if (fiber.unsafePoll() !== null) return { rounds: round, virtualMillis: clock.unsafeCurrentTimeMillis() - start }
      clock.advance(limits.quantumMillis)
    }
    return yield* Effect.dieMessage(`not done after ${limits.maxRounds} rounds`)
  })

/** A fixed-width text table. */
export const table = (title: string, rows: ReadonlyArray<readonly [string, string | number]>): string => {
  const width = Math.max(...rows.map(([k]) => k.length))
  const valueWidth = Math.max(...rows.map(([, v]) => String(v).length))
  const line = `+${"-".repeat(width + 2)}+${"-".repeat(valueWidth + 2)}+`
  return [
    title,
    line,
    ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${String(v).padStart(valueWidth)} |`),
    line
  ].join("\n")
}
