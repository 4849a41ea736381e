/**
 * One process of the fleet row: `count` concurrent creates through the SDK, retries off, on the
 * budget shared in Redis (`limit` per `windowMs`). Prints its counts and when its first create
 * went out and its last answer came back.
 */
import { NodePaymentFlow, PaymentFlow } from "@paymentflow/node"
import * as Redis from "@paymentflow/node/Redis"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import { readInput, writeOutput } from "../lib/child.js"
import { FleetWorkerInput } from "../lib/results.js"

const input = readInput(FleetWorkerInput)
const rateLimit = Redis.rateLimit({ redis: { host: "127.0.0.1", port: input.redisPort }, limit: input.limit, window: input.windowMs, prefix: "bench:fleet:" })

/** How often this process's limiter failed open (its store did not answer in time): each time is one warning. */
let failedOpen = 0
const failOpenCounter = Logger.make(({ message }) => {
  if (String(message).includes("rate limit store unreachable")) failedOpen++
})

const program = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  // one start for the whole fleet: a budget idle while the others start up is not the limiter's cost
  yield* Effect.sleep(Math.max(0, input.startAt - Date.now()))
  const began = Date.now()
  const results = yield* Effect.forEach(
    Array.from({ length: input.count }, (_, i) => i),
    (i) => Effect.either(pf.payments.create({ amount: 100 + i, currency: "USD" })),
    { concurrency: "unbounded" }
  )
  const ended = Date.now()
  const counts = { ok: 0, rateLimited: 0, other: 0, began, ended, failedOpen }
  for (const result of results) {
    if (result._tag === "Right") counts.ok++
    else if (result.left._tag === "RateLimitError") counts.rateLimited++
    else counts.other++
  }
  return counts
}).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, failOpenCounter)), Effect.provide(NodePaymentFlow.layer({ apiKey: input.apiKey, baseUrl: input.baseUrl, maxRetries: 0, rateLimit })))

Effect.runPromise(program).then((counts) => {
  writeOutput(counts)
  process.exit(0)
}, (error: unknown) => {
  console.error(error)
  process.exit(1)
})
