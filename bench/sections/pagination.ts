/**
 * Section 5, in its own process (`--expose-gc`): seed the in-process sandbox with `total`
 * payments, then stream every page of them with `payments.listAll({ limit: 100 })`, counting
 * items and keeping none. The heap is read after a full GC before the walk, every
 * `sampleEvery` pages during it (the peak is what a leak or a buffering stream would show), and
 * after it.
 *
 * Seeding: the sandbox has no seeding API, so every payment is created by a real
 * `POST /v1/payments` handed straight to the sandbox's web handler (`Sandbox.handler`: auth,
 * validation and the state machine, no socket). That is the fastest honest way: going through
 * the SDK client instead adds its own cost and, through `Sandbox.layer`'s fetch bridge, about
 * 15 KB of heap per request that is never released (seen while writing this bench; reported, not
 * the client's) — which would swamp the heap this section is about.
 */
import { API_VERSION } from "@paymentflow/core/Fields"
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
  const headers = {
    authorization: `Bearer ${API_KEY}`,
    "content-type": "application/json",
    "paymentflow-version": API_VERSION
  }
  const t0 = now()
  yield* Effect.promise(async () => {
    for (let i = 0; i < input.total; i++) {
      const body = JSON.stringify({ amount: 100 + (i % 1000), currency: "USD" })
      const response = await sandbox.handler(new Request("http://sandbox.local/v1/payments", { method: "POST", headers, body }))
      if (response.status !== 200) throw new Error(`seeding: HTTP ${response.status} ${await response.text()}`)
      await response.arrayBuffer()
    }
  })
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
