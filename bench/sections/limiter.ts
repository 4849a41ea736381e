/**
 * The shared limiter's cost, in its own process: one payment create after another (c = 1) to the
 * loopback stub with no limiter, with the in-memory limiter, and with the Redis one
 * (`@paymentflow/node/Redis`, a local redis-server: one round trip per attempt), every budget far
 * above the load so no call waits. µs per request, median of the repeats.
 */
import { NodePaymentFlow, PaymentFlow } from "@paymentflow/node"
import * as Redis from "@paymentflow/node/Redis"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY } from "../lib/fixtures.js"
import { LimiterInput } from "../lib/results.js"
import { compare, type Contender } from "../lib/stats.js"

type Name = "none" | "memory" | "redis"

const main = async () => {
  const input = readInput(LimiterInput)
  const base = { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${input.port}`, maxRetries: 0 }
  const runtimes = {
    none: ManagedRuntime.make(NodePaymentFlow.layer(base)),
    memory: ManagedRuntime.make(NodePaymentFlow.layer({ ...base, rateLimit: { limit: 1_000_000, interval: 1000 } })),
    redis: ManagedRuntime.make(NodePaymentFlow.layer({
      ...base,
      rateLimit: Redis.rateLimit({ redis: { host: "127.0.0.1", port: input.redisPort }, limit: 1_000_000, window: "1 second", prefix: "bench:" })
    }))
  }
  const params = { amount: 2500, currency: "USD" } as const
  const contender = (name: Name): Contender<Name> => ({
    name,
    run: (n) =>
      runtimes[name].runPromise(Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const start = performance.now()
        for (let i = 0; i < n; i++) yield* pf.payments.create(params)
        return performance.now() - start
      }))
  })
  const ms = await compare([contender("none"), contender("memory"), contender("redis")], input)
  const us = (name: Name) => ((ms.get(name) ?? Number.NaN) * 1000) / input.n
  for (const runtime of Object.values(runtimes)) await runtime.dispose()
  writeOutput({ perRequestUs: { none: us("none"), memory: us("memory"), redis: us("redis") } })
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error)
  process.exit(1)
})
