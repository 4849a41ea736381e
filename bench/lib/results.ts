/**
 * The inputs and results of the child-process sections, as Schemas: the parent decodes what
 * each child prints, so a section that rots fails loudly instead of filling the table with junk.
 */
import * as Schema from "effect/Schema"

const PerClient = Schema.Struct({
  undici: Schema.Number,
  fetch: Schema.Number,
  stripe: Schema.Number,
  effect: Schema.Number,
  effectNoTracer: Schema.Number,
  promise: Schema.Number
})

export const RequestsInput = Schema.Struct({
  port: Schema.Int,
  warmup: Schema.Int,
  n1: Schema.Int,
  n16: Schema.Int,
  repeats: Schema.Int
})

export const RequestsOutput = Schema.Struct({
  /** µs per request at concurrency 1. */
  perRequestUs: PerClient,
  /** Requests per second at concurrency 16. */
  throughput: PerClient
})
export type RequestsOutput = typeof RequestsOutput.Type

export const WebhooksInput = Schema.Struct({
  payloadBytes: Schema.Int,
  warmup: Schema.Int,
  nSync: Schema.Int,
  nAsync: Schema.Int,
  repeats: Schema.Int
})

export const WebhooksOutput = Schema.Struct({
  /** Verifications per second, each: header parsed, HMAC checked in constant time, body parsed. */
  opsPerSec: Schema.Struct({
    floorNode: Schema.Number,
    oursSync: Schema.Number,
    oursEffect: Schema.Number,
    stripeSync: Schema.Number,
    floorWebCrypto: Schema.Number,
    oursWebCrypto: Schema.Number,
    stripeAsyncSubtle: Schema.Number,
    stripeAsyncDefault: Schema.Number
  })
})
export type WebhooksOutput = typeof WebhooksOutput.Type

export const PaginationInput = Schema.Struct({
  total: Schema.Int,
  /** Force a GC and sample the heap every this many pages. */
  sampleEvery: Schema.Int
})

export const PaginationOutput = Schema.Struct({
  total: Schema.Int,
  streamed: Schema.Int,
  pages: Schema.Int,
  seedMs: Schema.Number,
  streamMs: Schema.Number,
  /** heapUsed after a full GC, before the walk (the seeded sandbox included), bytes. */
  heapBefore: Schema.Number,
  /** The highest post-GC heapUsed sampled during the walk, bytes. */
  heapPeak: Schema.Number,
  /** heapUsed after a full GC once the walk is over, bytes. */
  heapAfter: Schema.Number
})
export type PaginationOutput = typeof PaginationOutput.Type

export const UserTestInput = Schema.Struct({ warmup: Schema.Int, n: Schema.Int, repeats: Schema.Int })

export const UserTestOutput = Schema.Struct({
  /** One user test with a fresh `PaymentFlowTest.layer()` built for it, median ms. */
  freshMs: Schema.Number,
  /** The same operations on a kit built once, median ms. */
  prebuiltMs: Schema.Number,
  /** The test's operations with `Sandbox.layer` + `PaymentFlow.layer` built for it (no webhook), median ms. */
  legacyFreshMs: Schema.Number,
  /** The same three calls through MSW (`setupServer`, Promise client, `sandbox.reset()` per test), median ms. */
  mswMs: Schema.Number
})
export type UserTestOutput = typeof UserTestOutput.Type

export const LimiterInput = Schema.Struct({
  /** The loopback stub. */
  port: Schema.Int,
  redisPort: Schema.Int,
  warmup: Schema.Int,
  n: Schema.Int,
  repeats: Schema.Int
})

export const LimiterOutput = Schema.Struct({
  /** µs per request at concurrency 1: no limiter, the in-memory one, the Redis one. */
  perRequestUs: Schema.Struct({ none: Schema.Number, memory: Schema.Number, redis: Schema.Number })
})
export type LimiterOutput = typeof LimiterOutput.Type

export const FleetWorkerInput = Schema.Struct({
  baseUrl: Schema.String,
  redisPort: Schema.Int,
  apiKey: Schema.String,
  count: Schema.Int,
  limit: Schema.Int,
  windowMs: Schema.Number,
  /** Epoch ms at which every worker sends its first create (so process start-up is not measured). */
  startAt: Schema.Number
})

export const FleetWorkerOutput = Schema.Struct({
  ok: Schema.Int,
  rateLimited: Schema.Int,
  other: Schema.Int,
  /** Epoch ms of the first create sent and the last answer. */
  began: Schema.Number,
  ended: Schema.Number,
  /** Times the limiter failed open (one warning each, see Redis.ts). */
  failedOpen: Schema.Int
})
export type FleetWorkerOutput = typeof FleetWorkerOutput.Type
