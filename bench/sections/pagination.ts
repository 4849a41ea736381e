/**
 * Section 5, in its own process (`--expose-gc`): seed the in-process sandbox with `total`
 * payments, then stream every page of them with `payments.listAll({ limit: 100 })`, counting
 * items and keeping none. The heap is read after a full GC before the walk, every
 * `sampleEvery` pages during it (the peak is what a leak or a buffering stream would show), and
 * after it.
 *
 * Seeding: `sandbox.seed.payments` (the sandbox-only helper) inserts the payments straight into
 * the state — monotonic ids, `created` from the Clock, each checked against core's `Payment`
 * schema — so 100 000 take about a second instead of 100 000 `POST /v1/payments` round trips.
 * The walk itself goes through the SDK client and `Sandbox.layer`'s fetch bridge, as a user's.
 */
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY } from "../lib/fixtures.js"
import { PaginationInput } from "../lib/results.js"
import { now } from "../lib/stats.js"

const gc: () => void = typeof globalThis.gc === "function" ? globalThis.gc : () => {
  throw new Error("run with --expose-gc")
}
const heap = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const input = readInput(PaginationInput)

const program = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  const sandbox = yield* Sandbox
  const t0 = now()
  yield* Effect.orDie(sandbox.seed.payments(input.total, (i) => ({ amount: 100 + (i % 1000), currency: "USD" })))
  const seedMs = now() - t0

  const heapBefore = heap()
  let heapPeak = heapBefore
  let streamed = 0
  let pages = 0
  const t1 = now()
  yield* Stream.runForEachChunk(pf.payments.listAll({ limit: 100 }), (chunk) =>
    Effect.sync(() => {
      streamed += chunk.length
      pages++
      if (pages % input.sampleEvery === 0) heapPeak = Math.max(heapPeak, heap())
    }))
  const streamMs = now() - t1
  const heapAfter = heap()
  heapPeak = Math.max(heapPeak, heapAfter)
  return { total: input.total, streamed, pages, seedMs, streamMs, heapBefore, heapPeak, heapAfter }
})

const layer = PaymentFlow.layer({ apiKey: API_KEY, maxRetries: 0 }).pipe(
  Layer.provideMerge(Sandbox.layer({ rateLimit: false })),
  Layer.merge(Layer.setTracerEnabled(false))
)
const result = await Effect.runPromise(Effect.provide(program, layer))
if (result.streamed !== input.total) throw new Error(`streamed ${result.streamed} of ${input.total} payments`)
writeOutput(result)
