/**
 * The webhook inbox on a real `redis-server` (examples/fleet/redisServer.ts), shared by two inboxes on two
 * connections (two processes, as far as Redis can tell): claim → handle → done, a busy claim is
 * InProgress, a failure releases, a lease expires, a stopped Redis fails closed. Real time: Redis
 * TTLs do not follow a TestClock, so leases are short (hundreds of milliseconds).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import * as Redis from "@paymentflow/node/Redis"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import { Redis as IORedis } from "ioredis"
import { redisSkipReason, startRedis, type TestRedis } from "../../../examples/fleet/redisServer.js"

const skip = redisSkipReason()
let redis: TestRedis
let n = 0
const freshId = () => `evt_inbox${Date.now().toString(36)}${n++}`

const twoInboxes = (options: Omit<WebhookInbox.Options, "store"> = {}) =>
  Effect.gen(function*() {
    const a = yield* Redis.makeInboxStore({ redis: { host: redis.host, port: redis.port } })
    const b = yield* Redis.makeInboxStore({ redis: { host: redis.host, port: redis.port } })
    return { a: WebhookInbox.make({ ...options, store: a }), b: WebhookInbox.make({ ...options, store: b }), storeA: a, storeB: b }
  })

const keys = () =>
  Effect.acquireUseRelease(
    Effect.sync(() => new IORedis({ host: redis.host, port: redis.port })),
    (client) =>
      Effect.promise(async () => {
        const names = await client.keys("*")
        return new Map(await Promise.all(names.map(async (k) => [k, await client.get(k)] as const)))
      }),
    (client) => Effect.promise(() => client.quit())
  )

describe.skipIf(skip !== undefined)("Redis inboxStore (a real redis-server)", () => {
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.close()
  })

  it.live("one handling across two connections: the other sees a duplicate; keys are <prefix><event id>, the done mark 'done'", () =>
    Effect.gen(function*() {
      const { a, b } = yield* twoInboxes()
      const id = freshId()
      const runs = yield* Ref.make(0)
      expect((yield* a.run(id, Ref.update(runs, (x) => x + 1)))._tag).toBe("Handled")
      expect((yield* b.run(id, Ref.update(runs, (x) => x + 1)))._tag).toBe("Duplicate")
      expect(yield* Ref.get(runs)).toBe(1)
      expect((yield* keys()).get(`paymentflow:inbox:${id}`)).toBe("done")
    }).pipe(Effect.scoped))

  it.live("while one connection handles, the other is InProgress with the lease left, and never runs it", () =>
    Effect.gen(function*() {
      const { a, b } = yield* twoInboxes({ lease: "5 seconds" })
      const id = freshId()
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const runs = yield* Ref.make(0)
      const handler = Ref.update(runs, (x) => x + 1).pipe(Effect.zipRight(Deferred.succeed(started, undefined)), Effect.zipRight(Deferred.await(gate)))
      const first = yield* Effect.fork(a.run(id, handler))
      yield* Deferred.await(started)
      const second = yield* b.run(id, handler)
      expect(second._tag).toBe("InProgress")
      if (second._tag === "InProgress") {
        expect(Duration.toMillis(second.retryAfter)).toBeGreaterThan(0)
        expect(Duration.toMillis(second.retryAfter)).toBeLessThanOrEqual(5000)
      }
      yield* Deferred.succeed(gate, undefined)
      expect((yield* Fiber.join(first))._tag).toBe("Handled")
      expect(yield* Ref.get(runs)).toBe(1)
    }).pipe(Effect.scoped))

  it.live("a handler failure releases the claim: the other connection handles the retry", () =>
    Effect.gen(function*() {
      const { a, b } = yield* twoInboxes()
      const id = freshId()
      expect(yield* Effect.flip(a.run(id, Effect.fail("boom" as const)))).toBe("boom")
      expect(yield* b.run(id, Effect.succeed(7))).toStrictEqual({ _tag: "Handled", value: 7 })
    }).pipe(Effect.scoped))

  it.live("a claim nobody renews (its process died) expires after the lease; a stale release drops nobody else's claim", () =>
    Effect.gen(function*() {
      const { b, storeA, storeB } = yield* twoInboxes({ lease: "400 millis" })
      const id = freshId()
      const dead = yield* storeA.claim(id, Duration.millis(400))
      expect(dead._tag).toBe("Claimed")
      expect((yield* b.run(id, Effect.void))._tag).toBe("InProgress")
      // bounded: the lease is 400 ms
      let outcome = "Busy"
      for (let i = 0; i < 40 && outcome === "Busy"; i++) {
        yield* Effect.sleep("50 millis")
        const claim = yield* storeB.claim(id, Duration.seconds(5))
        outcome = claim._tag
        if (claim._tag === "Claimed") {
          // the dead owner's late release must not drop this claim
          if (dead._tag === "Claimed") yield* storeA.release(id, dead.token)
          expect((yield* b.run(id, Effect.void))._tag).toBe("InProgress")
          yield* storeB.release(id, claim.token)
        }
      }
      expect(outcome).toBe("Claimed")
      expect((yield* b.run(id, Effect.succeed(1)))._tag).toBe("Handled")
    }).pipe(Effect.scoped))

  it.live("Redis stopped: the claim fails with InboxStoreError and the handler does not run (fail closed); after a restart it is handled", () =>
    Effect.gen(function*() {
      // the inbox's connection has an `error` listener: ioredis prints no "Unhandled error event"
      const stderr = yield* Effect.acquireRelease(
        Effect.sync(() => vi.spyOn(console, "error")),
        (spy) => Effect.sync(() => spy.mockRestore())
      )
      const { a } = yield* twoInboxes({ storeTimeout: "500 millis" })
      const id = freshId()
      const runs = yield* Ref.make(0)
      yield* Effect.promise(() => redis.stop())
      const down = yield* Effect.flip(a.run(id, Ref.update(runs, (x) => x + 1)))
      expect(down).toBeInstanceOf(WebhookInbox.InboxStoreError)
      expect(yield* Ref.get(runs)).toBe(0)
      yield* Effect.promise(() => redis.start())
      // ioredis reconnects by itself (≤ 1 s between attempts): bounded
      let outcome: string = "down"
      for (let i = 0; i < 40 && outcome === "down"; i++) {
        const result = yield* Effect.either(a.run(id, Ref.update(runs, (x) => x + 1)))
        if (result._tag === "Right") outcome = result.right._tag
        else yield* Effect.sleep("100 millis")
      }
      expect(outcome).toBe("Handled")
      expect(yield* Ref.get(runs)).toBe(1)
      expect(stderr.mock.calls.filter((args) => String(args[0]).includes("[ioredis]"))).toEqual([])
    }).pipe(Effect.scoped), 30_000)
})
