/**
 * Webhooks end to end: deliveries signed by the SANDBOX's real delivery path (an in-process
 * endpoint on `Sandbox.layer`, on TestClock) are always accepted by every verifier the SDK ships
 * (`Webhook.constructEvent` on Web Crypto and on node:crypto, the sync function, the Node
 * Promise facade), and decode to the very event the sandbox published. Then the attack list,
 * applied to those real deliveries: tampered bodies (every kind of one-byte change), the wrong
 * secret (including another endpoint's), timestamps ±301 s, a replay an hour later, a replayed
 * signature under a fresh timestamp, missing / duplicated / malformed headers, 1 000 `v1`
 * entries, a 100 KB header, and a correctly signed body that is not UTF-8 — each rejected with
 * the right reason, with the work bounded (HMAC calls counted by a counting `Hmac` service).
 *
 * Synthetic vectors and the header parser's own limits are covered by
 * packages/core/test/Webhook.test.ts; this suite is about the sandbox → verifier path.
 */
import { describe, expect, it } from "@effect/vitest"
import { CURRENCIES, CustomerId, type Event, PaymentFlow, Retry, Webhook } from "@paymentflow/core"
import * as Hmac from "@paymentflow/core/Hmac"
import { NodeHmac, PaymentFlowClient } from "@paymentflow/node"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import { waitFor } from "../../packages/sandbox/test/waitFor.js"

const SECRET = "whsec_sandboxEndpointSecret0123456789"
const OTHER_SECRET = "whsec_anotherEndpointSecretABCDEFGHIJ"
const SK = "sk_test_webhookWEBHOOK01234567"
const HEADER = "paymentflow-signature"
const visa = (number: string) => ({ card: { number, expMonth: 12, expYear: 2099, cvc: "123" } })

interface Delivery {
  readonly endpoint: string
  readonly payload: string
  readonly header: string | undefined
}

/** A sandbox with two in-process endpoints (two secrets) recording what they receive. */
const setup = () => {
  const received: Array<Delivery> = []
  const endpoint = (name: string, secret: string) => ({
    name,
    secret,
    handler: (payload: string, headers: Readonly<Record<string, string>>) =>
      Effect.sync(() => {
        received.push({ endpoint: name, payload, header: headers[HEADER] })
        return 200
      })
  })
  const layer = PaymentFlow.layer({ apiKey: SK, retry: Retry.none }).pipe(
    Layer.provideMerge(Sandbox.layer({ rateLimit: false, webhooks: [endpoint("a", SECRET), endpoint("b", OTHER_SECRET)] }))
  )
  return { received, layer }
}

/** Drives payments and refunds through every event type, and lets the deliveries run. */
const produceEvents = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  const customer = yield* pf.customers.create({ email: "hooks@example.com" })
  const ok = yield* pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id, paymentMethod: visa("4242424242424242"), metadata: { "ünïcödé": "✓ 漢字 🚀", quote: "\"\\" } })
  for (const number of ["4000000000000002", "4000000000009995", "4000000000000069"]) {
    yield* pf.payments.create({ amount: 990, currency: "JPY", paymentMethod: visa(number), description: "declined <script>" })
  }
  const pending = yield* pf.payments.create({ amount: 100, currency: "EUR" })
  yield* pf.payments.cancel(pending.id)
  yield* pf.refunds.create({ paymentId: ok.id, amount: 500, reason: "customer_request" })
  yield* pf.refunds.create({ paymentId: ok.id })
  yield* pf.customers.delete(CustomerId.make(customer.id))
  yield* TestClock.adjust("1 second")
})

/**
 * Waits (bounded by real time, event-loop turns) until `n` deliveries arrived: the sandbox signs
 * with Web Crypto, a real promise that TestClock does not drive.
 */
const awaitDeliveries = (received: ReadonlyArray<Delivery>, n: number) =>
  Effect.gen(function*() {
    yield* waitFor(Effect.sync(() => received.length), (length) => length >= n)
    expect(received).toHaveLength(n)
  })

/** A counting Hmac (node:crypto underneath, asynchronous interface only). */
const counting = () => {
  let calls = 0
  const layer = Hmac.layer({
    sign: (secret, data) => Effect.suspend(() => {
      calls++
      return NodeHmac.hmac.sign(secret, data)
    })
  })
  return { calls: () => calls, reset: () => (calls = 0), layer }
}

const codeOf = (result: Either.Either<Event, Webhook.WebhookError>): string =>
  Either.isRight(result) ? "accepted" : result.left.code

const verify = (payload: Webhook.Payload, header: Webhook.SignatureHeader, secret: string = SECRET, options?: Webhook.VerifyOptions) =>
  Effect.either(Webhook.constructEvent(payload, header, secret, options))

const timestampOf = (header: string | undefined): number => Number(/t=(\d+)/.exec(header ?? "")?.[1])

describe("sandbox deliveries → verifier", () => {
  it.effect("every delivery of every event type verifies with every verifier and decodes to the published event", () =>
    Effect.gen(function*() {
      const { layer, received } = setup()
      yield* Effect.gen(function*() {
        yield* produceEvents
        const sandbox = yield* Sandbox
        const events = yield* sandbox.events
        const byId = new Map(events.map((e) => [e.id, e]))
        expect(new Set(events.map((e) => e.type))).toEqual(
          new Set(["payment.succeeded", "payment.failed", "payment.cancelled", "refund.created", "refund.completed"])
        )
        yield* awaitDeliveries(received, events.length * 2)
        const nowMillis = yield* TestClock.currentTimeMillis
        const facade = new PaymentFlowClient({ apiKey: SK })
        for (const d of received) {
          const secret = d.endpoint === "a" ? SECRET : OTHER_SECRET
          const web = yield* Webhook.constructEvent(d.payload, d.header, secret)
          const node = yield* Webhook.constructEvent(Buffer.from(d.payload, "utf8"), d.header, secret).pipe(Effect.provide(NodeHmac.layer))
          const sync = Webhook.constructEventSync(d.payload, d.header, secret, { hmac: NodeHmac.hmac, now: () => nowMillis })
          const promised = yield* Effect.promise(() => Webhook.constructEventPromise(d.payload, d.header, secret, { now: () => nowMillis }))
          const viaFacade = facade.webhooks.constructEvent(d.payload, d.header, secret, { now: () => nowMillis })
          expect(byId.get(web.id)).toEqual(web)
          for (const other of [node, sync, promised, viaFacade]) expect(other).toEqual(web)
          // the other endpoint's secret never verifies this endpoint's delivery
          const crossed = yield* verify(d.payload, d.header, secret === SECRET ? OTHER_SECRET : SECRET)
          expect(codeOf(crossed)).toBe("no_matching_signature")
        }
        yield* Effect.promise(() => facade.close())
      }).pipe(Effect.provide(layer))
    }))

  it.effect("random payments: each delivery is accepted (fast-check over amounts, currencies, metadata, descriptions)", () =>
    Effect.gen(function*() {
      const { layer, received } = setup()
      const params = FastCheck.record({
        amount: FastCheck.integer({ min: 1, max: 99_999_999 }),
        currency: FastCheck.constantFrom(...CURRENCIES),
        description: FastCheck.string({ unit: "binary", maxLength: 200 }),
        metadata: FastCheck.dictionary(FastCheck.string({ minLength: 1, maxLength: 40 }), FastCheck.string({ unit: "binary", maxLength: 100 }), { maxKeys: 5 }),
        card: FastCheck.constantFrom("4242424242424242", "4000000000000002", "4000000000009995", "4000000000000069")
      })
      const samples = FastCheck.sample(params, { numRuns: 60, seed: 7 })
      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        for (const p of samples) {
          yield* pf.payments.create({ amount: p.amount, currency: p.currency, description: p.description, metadata: p.metadata, paymentMethod: visa(p.card) })
        }
        yield* TestClock.adjust("1 second")
        const events = yield* Effect.flatMap(Sandbox, (s) => s.events)
        expect(events).toHaveLength(samples.length)
        yield* awaitDeliveries(received, samples.length * 2)
        for (const d of received) {
          const result = yield* verify(d.payload, d.header, d.endpoint === "a" ? SECRET : OTHER_SECRET)
          expect(codeOf(result)).toBe("accepted")
        }
      }).pipe(Effect.provide(layer))
    }))
})

describe("attacks on real sandbox deliveries", () => {
  const firstDelivery = Effect.gen(function*() {
    const { layer, received } = setup()
    yield* Effect.gen(function*() {
      yield* produceEvents
      const events = yield* Effect.flatMap(Sandbox, (s) => s.events)
      yield* awaitDeliveries(received, events.length * 2)
    }).pipe(Effect.provide(layer))
    const d = received.find((r) => r.endpoint === "a")
    if (d === undefined || d.header === undefined) return yield* Effect.dieMessage("no delivery")
    return { payload: d.payload, header: d.header, all: received }
  })

  it.effect("tampered bodies: every kind of one-byte change is rejected (no_matching_signature)", () =>
    Effect.gen(function*() {
      const { header, payload } = yield* firstDelivery
      const bytes = new TextEncoder().encode(payload)
      const mutations = FastCheck.sample(
        FastCheck.record({ index: FastCheck.nat({ max: bytes.length - 1 }), delta: FastCheck.integer({ min: 1, max: 255 }) }),
        { numRuns: 200, seed: 42 }
      )
      for (const { delta, index } of mutations) {
        const tampered = bytes.slice()
        tampered[index] = ((tampered[index] ?? 0) + delta) % 256
        expect(codeOf(yield* verify(tampered, header))).toBe("no_matching_signature")
      }
      // appended, truncated, re-serialised (same JSON, other bytes)
      for (const variant of [`${payload} `, payload.slice(0, -1), JSON.stringify(JSON.parse(payload), null, 2), ""]) {
        expect(codeOf(yield* verify(variant, header))).toBe("no_matching_signature")
      }
    }))

  it.effect("wrong secrets: another endpoint's, a prefix, the secret without whsec_, an empty one", () =>
    Effect.gen(function*() {
      const { header, payload } = yield* firstDelivery
      for (const secret of [OTHER_SECRET, SECRET.slice(0, -1), SECRET.slice("whsec_".length), `${SECRET} `, ""]) {
        expect(codeOf(yield* verify(payload, header, secret))).toBe("no_matching_signature")
      }
    }))

  it.effect("timestamps: ±300 s accepted, ±301 s rejected; a replay an hour later rejected; a fresh t on an old v1 rejected", () =>
    Effect.gen(function*() {
      const { header, payload } = yield* firstDelivery
      const t = timestampOf(header)
      for (const [skew, expected] of [[300, "accepted"], [-300, "accepted"], [301, "timestamp_out_of_tolerance"], [-301, "timestamp_out_of_tolerance"]] as const) {
        const result = yield* verify(payload, header, SECRET, { now: () => (t + skew) * 1000 })
        expect(codeOf(result), `skew ${skew}`).toBe(expected)
      }
      yield* TestClock.adjust("1 hour")
      expect(codeOf(yield* verify(payload, header))).toBe("timestamp_out_of_tolerance")
      const fresh = Math.floor((yield* TestClock.currentTimeMillis) / 1000)
      expect(codeOf(yield* verify(payload, header.replace(/t=\d+/, `t=${fresh}`)))).toBe("no_matching_signature")
    }))

  it.effect("headers: missing, blank, duplicated, malformed", () =>
    Effect.gen(function*() {
      const { header, payload } = yield* firstDelivery
      const cases: ReadonlyArray<readonly [Webhook.SignatureHeader, string]> = [
        [undefined, "missing_header"],
        [null, "missing_header"],
        ["  ", "missing_header"],
        [[], "missing_header"],
        [[header, header], "malformed_header"],
        [`${header},${header}`, "malformed_header"],
        [header.replace("t=", "t="), "accepted"],
        [header.replace(/t=\d+,/, ""), "malformed_header"],
        [header.replace(/t=(\d+)/, "t=$1x"), "malformed_header"],
        [header.replace(/t=(\d+)/, "t=-$1"), "malformed_header"],
        [header.replace("v1=", "v1"), "malformed_header"],
        [header.replace("v1=", "v0="), "no_matching_signature"],
        [header.replace(/v1=([0-9a-f]+)/, (_, hex: string) => `v1=${hex.toUpperCase()}`), "no_matching_signature"],
        [header.replace(/v1=([0-9a-f]+)/, (_, hex: string) => `v1=${hex.slice(0, 63)}`), "no_matching_signature"],
        [`${header},v1=`, "accepted"],
        [header.split(",").reverse().join(","), "accepted"],
        [header.replace(",", " , "), "accepted"]
      ]
      for (const [h, expected] of cases) {
        expect(codeOf(yield* verify(payload, h)), JSON.stringify(h)).toBe(expected)
      }
    }))

  it.effect("1 000 v1 entries or a 100 KB header around a valid signature: refused with zero HMAC computed", () =>
    Effect.gen(function*() {
      const { header, payload } = yield* firstDelivery
      const hmac = counting()
      const junk = Array.from({ length: 999 }, (_, i) => `v1=${i.toString(16).padStart(64, "0")}`)
      const hostile = [
        `${header},${junk.join(",")}`,
        `${junk.join(",")},${header}`,
        `${header},x=${"a".repeat(100 * 1024)}`,
        `${header},${"v1=ab,".repeat(20_000)}`
      ]
      for (const h of hostile) {
        expect(codeOf(yield* verify(payload, h).pipe(Effect.provide(hmac.layer)))).toBe("malformed_header")
      }
      expect(hmac.calls()).toBe(0)
      // within the limits, decoys cost nothing extra: one HMAC per verification
      const decoys = junk.slice(0, 25).join(",")
      expect(codeOf(yield* verify(payload, `${decoys},${header}`).pipe(Effect.provide(hmac.layer)))).toBe("accepted")
      expect(codeOf(yield* verify(`${payload}x`, `${decoys},${header}`).pipe(Effect.provide(hmac.layer)))).toBe("no_matching_signature")
      expect(hmac.calls()).toBe(2)
    }))

  it.effect("a correctly signed body that is not UTF-8, or not an event, is a payload error — never accepted, never a crash", () =>
    Effect.gen(function*() {
      const { payload } = yield* firstDelivery
      const t = Math.floor((yield* TestClock.currentTimeMillis) / 1000)
      const sign = (body: Uint8Array | string) => Webhook.generateTestHeader({ payload: body, secret: SECRET, timestamp: t })
      const bytes = new TextEncoder().encode(payload)
      const notUtf8 = Uint8Array.from([...bytes.slice(0, 20), 0xff, 0xfe, ...bytes.slice(20)])
      const overlong = Uint8Array.from([...bytes.slice(0, -2), 0xc0, 0xaf, ...bytes.slice(-2)])
      for (const body of [notUtf8, overlong]) {
        expect(codeOf(yield* verify(body, yield* sign(body)))).toBe("invalid_utf8")
      }
      const notJson = payload.slice(0, -1)
      expect(codeOf(yield* verify(notJson, yield* sign(notJson)))).toBe("invalid_json")
      const unknownType = payload.replace(/"type":"[a-z._]+"/, "\"type\":\"payment.exploded\"")
      expect(codeOf(yield* verify(unknownType, yield* sign(unknownType)))).toBe("unknown_event_type")
      const badField = payload.replace(/"amount":\d+/, "\"amount\":\"1\"")
      expect(codeOf(yield* verify(badField, yield* sign(badField)))).toBe("invalid_event")
    }))
})
