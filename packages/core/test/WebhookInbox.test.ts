/**
 * The webhook inbox on its in-memory store (TestClock drives leases and TTLs), and the receiver's
 * answers through it: a duplicate is 200 without handling, a duplicate while the first copy is
 * being handled is 409 + Retry-After, a failure releases the claim, a dead claim expires, a store
 * that cannot answer is 503 (fail closed).
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import * as WebhookReceiver from "@paymentflow/core/WebhookReceiver"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { body, eventJson, NOW, SECRET } from "./WebhookFixtures.js"

const sign = (t: number, payload: string): string =>
  createHmac("sha256", Buffer.from(SECRET, "utf8")).update(`${t}.${payload}`).digest("hex")

const payload = body()
const signed = () =>
  HttpServerRequest.fromWeb(
    new Request("http://127.0.0.1/webhooks", {
      method: "POST",
      body: payload,
      headers: { "content-type": "application/json", "PaymentFlow-Signature": `t=${NOW},v1=${sign(NOW, payload)}` }
    })
  )

const answer = <R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest>) =>
  Effect.gen(function*() {
    const response = yield* app.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, signed()))
    const json: unknown = yield* Effect.promise(() => HttpServerResponse.toWeb(response).json())
    return { status: response.status, json, retryAfter: response.headers["retry-after"] }
  })

describe("WebhookInbox (memory store)", () => {
  it.effect("runs the handler once per id; a later delivery is a duplicate", () =>
    Effect.gen(function*() {
      const inbox = WebhookInbox.make()
      const runs = yield* Ref.make(0)
      const first = yield* inbox.run("evt_1", Ref.updateAndGet(runs, (n) => n + 1))
      const again = yield* inbox.run("evt_1", Ref.updateAndGet(runs, (n) => n + 1))
      const other = yield* inbox.run("evt_2", Ref.updateAndGet(runs, (n) => n + 1))
      expect(first).toStrictEqual({ _tag: "Handled", value: 1 })
      expect(again._tag).toBe("Duplicate")
      expect(other).toStrictEqual({ _tag: "Handled", value: 2 })
    }))

  it.effect("a duplicate arriving while the first is handled is InProgress (never run twice), with the lease left", () =>
    Effect.gen(function*() {
      const inbox = WebhookInbox.make({ lease: "10 seconds" })
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const runs = yield* Ref.make(0)
      const handler = Ref.update(runs, (n) => n + 1).pipe(Effect.zipRight(Deferred.succeed(started, undefined)), Effect.zipRight(Deferred.await(gate)))
      const first = yield* Effect.fork(inbox.run("evt_1", handler))
      yield* Deferred.await(started)
      // before the first renewal (a third of the lease)
      yield* TestClock.adjust("2 seconds")
      const second = yield* inbox.run("evt_1", handler)
      expect(second._tag).toBe("InProgress")
      if (second._tag === "InProgress") expect(WebhookInbox.retryAfterSeconds(second.retryAfter)).toBe(8)
      yield* Deferred.succeed(gate, undefined)
      expect((yield* Fiber.join(first))._tag).toBe("Handled")
      expect((yield* inbox.run("evt_1", handler))._tag).toBe("Duplicate")
      expect(yield* Ref.get(runs)).toBe(1)
    }))

  it.effect("a handler running longer than the lease keeps its claim (renewed while it runs)", () =>
    Effect.gen(function*() {
      const inbox = WebhookInbox.make({ lease: "3 seconds" })
      const gate = yield* Deferred.make<void>()
      const first = yield* Effect.fork(inbox.run("evt_1", Deferred.await(gate)))
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 second")
      expect((yield* inbox.run("evt_1", Effect.void))._tag).toBe("InProgress")
      yield* Deferred.succeed(gate, undefined)
      expect((yield* Fiber.join(first))._tag).toBe("Handled")
    }))

  it.effect("a handler failure releases the claim: the next delivery is handled", () =>
    Effect.gen(function*() {
      const inbox = WebhookInbox.make()
      const failed = yield* Effect.flip(inbox.run("evt_1", Effect.fail("database down" as const)))
      expect(failed).toBe("database down")
      expect(yield* inbox.run("evt_1", Effect.succeed("ok"))).toStrictEqual({ _tag: "Handled", value: "ok" })
    }))

  it.effect("a claim whose owner died (never completed, never renewed) expires after the lease", () =>
    Effect.gen(function*() {
      const store = WebhookInbox.memoryStore()
      // a process that claimed and died: nothing renews or releases its claim
      const dead = yield* store.claim("evt_1", Duration.seconds(5))
      expect(dead._tag).toBe("Claimed")
      const inbox = WebhookInbox.make({ store, lease: "5 seconds" })
      expect((yield* inbox.run("evt_1", Effect.void))._tag).toBe("InProgress")
      yield* TestClock.adjust("5 seconds")
      expect((yield* inbox.run("evt_1", Effect.succeed(1)))._tag).toBe("Handled")
    }))

  it.effect("done marks expire after the ttl, and the store keeps at most capacity ids", () =>
    Effect.gen(function*() {
      const inbox = WebhookInbox.make({ ttl: "1 hour", store: WebhookInbox.memoryStore({ capacity: 2 }) })
      yield* inbox.run("evt_1", Effect.void)
      yield* TestClock.adjust("59 minutes")
      expect((yield* inbox.run("evt_1", Effect.void))._tag).toBe("Duplicate")
      yield* TestClock.adjust("1 minute")
      expect((yield* inbox.run("evt_1", Effect.void))._tag).toBe("Handled")
      yield* inbox.run("evt_2", Effect.void)
      yield* inbox.run("evt_3", Effect.void)
      // evt_1 is the oldest of three: forgotten
      expect((yield* inbox.run("evt_1", Effect.void))._tag).toBe("Handled")
      expect((yield* inbox.run("evt_3", Effect.void))._tag).toBe("Duplicate")
    }))

  it("makePromise: handled, duplicate, in_progress; the handler's own error rejects and releases", async () => {
    const inbox = WebhookInbox.makePromise()
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const first = inbox.run("evt_1", () => gate)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await inbox.run("evt_1", () => {})).toStrictEqual({ outcome: "in_progress", retryAfterSeconds: 30 })
    release()
    expect(await first).toStrictEqual({ outcome: "handled" })
    expect(await inbox.run("evt_1", () => {})).toStrictEqual({ outcome: "duplicate" })
    const boom = new Error("boom")
    await expect(inbox.run("evt_2", () => Promise.reject(boom))).rejects.toBe(boom)
    expect(await inbox.run("evt_2", () => {})).toStrictEqual({ outcome: "handled" })
  })
})

describe("WebhookReceiver through the inbox", () => {
  it.effect("200 once handled, 200 duplicate after, 409 + Retry-After while being handled; one run", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const gate = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const runs = yield* Ref.make<ReadonlyArray<string>>([])
      const app = WebhookReceiver.make({
        secret: SECRET,
        inbox: WebhookInbox.make({ lease: "20 seconds" }),
        handle: (event) =>
          Ref.update(runs, (r) => [...r, event.id]).pipe(Effect.zipRight(Deferred.succeed(started, undefined)), Effect.zipRight(Deferred.await(gate)))
      })
      const first = yield* Effect.fork(answer(app))
      yield* Deferred.await(started)
      expect(yield* answer(app)).toMatchObject({ status: 409, retryAfter: "20", json: { error: { code: "event_in_progress" } } })
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(first)).toMatchObject({ status: 200, json: { received: true } })
      expect(yield* answer(app)).toMatchObject({ status: 200, json: { received: true, duplicate: true } })
      expect(yield* Ref.get(runs)).toStrictEqual([eventJson().id])
    }))

  it.effect("a store that does not answer: 503 + Retry-After, the handler not run (fail closed); then handled", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const memory = WebhookInbox.memoryStore()
      const down = yield* Ref.make(true)
      // completed when a claim reaches the unanswering store: its timeout is running from then on
      const asked = yield* Deferred.make<void>()
      const store: WebhookInbox.Store = {
        ...memory,
        claim: (id, lease) =>
          Effect.flatMap(Ref.get(down), (isDown) => isDown ? Effect.zipRight(Deferred.succeed(asked, undefined), Effect.never) : memory.claim(id, lease))
      }
      const runs = yield* Ref.make(0)
      const app = WebhookReceiver.make({
        secret: SECRET,
        inbox: WebhookInbox.make({ store, storeTimeout: "1 second" }),
        handle: () => Ref.update(runs, (n) => n + 1)
      })
      const pending = yield* Effect.fork(answer(app))
      // not before: verifying the signature is real asynchronous work (Web Crypto), and a clock
      // moved before the claim starts waiting would move past nothing
      yield* Deferred.await(asked)
      // and its timeout's sleep is registered (bounded: a few scheduler turns)
      for (let turn = 0; turn < 100 && Chunk.isEmpty(yield* TestClock.sleeps()); turn++) yield* Effect.yieldNow()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(pending)).toMatchObject({ status: 503, retryAfter: "1", json: { error: { code: "inbox_unavailable" } } })
      expect(yield* Ref.get(runs)).toBe(0)
      yield* Ref.set(down, false)
      expect((yield* answer(app)).status).toBe(200)
      expect(yield* Ref.get(runs)).toBe(1)
    }))

  it.effect("inbox: false runs the handler for every delivery", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const runs = yield* Ref.make(0)
      const app = WebhookReceiver.make({ secret: SECRET, inbox: false, handle: () => Ref.update(runs, (n) => n + 1) })
      yield* answer(app)
      yield* answer(app)
      expect(yield* Ref.get(runs)).toBe(2)
    }))
})
