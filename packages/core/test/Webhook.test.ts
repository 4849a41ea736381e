import { describe, expect, it } from "@effect/vitest"
import * as Hmac from "@paymentflow/core/Hmac"
import * as Webhook from "@paymentflow/core/Webhook"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import Stripe from "stripe"
import { body, eventJson, NOW, SECRET } from "./WebhookFixtures.js"

// An independent implementation of the scheme, straight from the contract: lowercase hex
// HMAC-SHA256 keyed with the whole secret (UTF-8) over `<t>.<raw body>`.
const sign = (t: number, payload: string | Uint8Array, secret = SECRET): string =>
  createHmac("sha256", Buffer.from(secret, "utf8")).update(`${t}.`).update(payload).digest("hex")
const header = (t: number, ...signatures: ReadonlyArray<string>): string => [`t=${t}`, ...signatures.map((s) => `v1=${s}`)].join(",")

const atNow = TestClock.setTime(NOW * 1000)

/** Runs `constructEvent` at NOW and returns its result as an Either. */
const verify = (payload: string | Uint8Array, signatureHeader: Webhook.SignatureHeader, secret: Webhook.Secret = SECRET, options?: Webhook.VerifyOptions) =>
  atNow.pipe(Effect.zipRight(Effect.either(Webhook.constructEvent(payload, signatureHeader, secret, options))))

const signatureCode = (result: Either.Either<unknown, Webhook.WebhookError>): string | undefined =>
  Either.isLeft(result) && result.left._tag === "SignatureVerificationError" ? result.left.code : undefined
const payloadCode = (result: Either.Either<unknown, Webhook.WebhookError>): string | undefined =>
  Either.isLeft(result) && result.left._tag === "WebhookPayloadError" ? result.left.code : undefined

/** An Hmac service that counts its calls, delegating to node:crypto. */
const counting = () => {
  let calls = 0
  const service: Hmac.HmacService = {
    sign: (secret, data) => Effect.sync(() => (calls++, NodeHmac.hmac.signSync(secret, data)))
  }
  return { layer: Hmac.layer(service), calls: () => calls }
}

const implementations: ReadonlyArray<readonly [string, Hmac.HmacService]> = [
  ["Web Crypto (default, async)", Hmac.webCrypto],
  ["node:crypto (sync)", NodeHmac.hmac]
]

describe.each(implementations)("Webhook.constructEvent with %s", (_, service) => {
  const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.provide(effect, Hmac.layer(service))
  const payload = body()

  it.effect("accepts a valid signature and decodes the event (snake_case → camelCase)", () =>
    run(Effect.gen(function*() {
      const result = yield* verify(payload, header(NOW, sign(NOW, payload)))
      const event = Either.getOrThrow(result)
      expect(event.type).toBe("payment.succeeded")
      expect(event.id).toBe(eventJson().id)
      if (event.type !== "payment.succeeded") throw new Error("narrowing")
      expect(event.data.amountRefunded).toBe(0)
      expect(event.data.customerEmail).toBe("ada@example.com")
      expect(event.data.description).toBe("Café crème × 2 — €25.99")
    })))

  it.effect("rejects a tampered body", () =>
    run(Effect.gen(function*() {
      const tampered = payload.replace("2599", "2598")
      expect(signatureCode(yield* verify(tampered, header(NOW, sign(NOW, payload))))).toBe("no_matching_signature")
      // Re-serializing the JSON changes the bytes, so it does not verify either.
      const reserialized = JSON.stringify(JSON.parse(payload))
      expect(signatureCode(yield* verify(reserialized, header(NOW, sign(NOW, payload))))).toBe("no_matching_signature")
    })))

  it.effect("rejects a signature made with another secret", () =>
    run(Effect.gen(function*() {
      const h = header(NOW, sign(NOW, payload, "whsec_another"))
      expect(signatureCode(yield* verify(payload, h))).toBe("no_matching_signature")
      // The whole secret is the key: without its `whsec_` prefix it is another key.
      expect(signatureCode(yield* verify(payload, header(NOW, sign(NOW, payload, SECRET.slice(6)))))).toBe("no_matching_signature")
    })))

  it.effect("rejects a timestamp 301 s old or 301 s ahead, accepts 300 s either way", () =>
    run(Effect.gen(function*() {
      for (const t of [NOW - 301, NOW + 301]) {
        const result = yield* verify(payload, header(t, sign(t, payload)))
        expect(signatureCode(result)).toBe("timestamp_out_of_tolerance")
        expect(Either.isLeft(result) && result.left._tag === "SignatureVerificationError" && result.left.timestamp).toBe(t)
      }
      for (const t of [NOW - 300, NOW + 300]) {
        expect(Either.isRight(yield* verify(payload, header(t, sign(t, payload))))).toBe(true)
      }
    })))

  it.effect("reads the time from Effect's Clock (TestClock), or from options.now", () =>
    run(Effect.gen(function*() {
      const h = header(NOW, sign(NOW, payload))
      yield* TestClock.setTime((NOW - 1000) * 1000)
      expect(signatureCode(yield* Effect.either(Webhook.constructEvent(payload, h, SECRET)))).toBe("timestamp_out_of_tolerance")
      yield* TestClock.adjust("1000 seconds")
      expect(Either.isRight(yield* Effect.either(Webhook.constructEvent(payload, h, SECRET)))).toBe(true)
      const later = { now: () => (NOW + 1000) * 1000 }
      expect(signatureCode(yield* Effect.either(Webhook.constructEvent(payload, h, SECRET, later)))).toBe("timestamp_out_of_tolerance")
    })))

  it.effect("honours a custom tolerance, and ignores a nonsensical one", () =>
    run(Effect.gen(function*() {
      const t = NOW - 11
      const h = header(t, sign(t, payload))
      expect(signatureCode(yield* verify(payload, h, SECRET, { tolerance: 10 }))).toBe("timestamp_out_of_tolerance")
      expect(Either.isRight(yield* verify(payload, h, SECRET, { tolerance: 11 }))).toBe(true)
      // NaN or a negative tolerance must not switch the check off: the default applies.
      const old = header(NOW - 301, sign(NOW - 301, payload))
      expect(signatureCode(yield* verify(payload, old, SECRET, { tolerance: Number.NaN }))).toBe("timestamp_out_of_tolerance")
      expect(signatureCode(yield* verify(payload, old, SECRET, { tolerance: -1 }))).toBe("timestamp_out_of_tolerance")
    })))

  it.effect("missing header", () =>
    run(Effect.gen(function*() {
      for (const h of [undefined, null, "", "   "]) {
        expect(signatureCode(yield* verify(payload, h))).toBe("missing_header")
      }
    })))

  it.effect("malformed headers", () =>
    run(Effect.gen(function*() {
      const s = sign(NOW, payload)
      for (
        const h of [
          "garbage",
          `v1=${s}`, // no timestamp
          `t=,v1=${s}`,
          `t=abc,v1=${s}`,
          `t=-5,v1=${s}`,
          `t=1.5,v1=${s}`,
          `t=${NOW},t=${NOW},v1=${s}`, // two timestamps
          `t=${NOW},=${s}`
        ]
      ) {
        expect(signatureCode(yield* verify(payload, h)), h).toBe("malformed_header")
      }
    })))

  it.effect("several v1 signatures (rotation): one match suffices, in any position", () =>
    run(Effect.gen(function*() {
      const good = sign(NOW, payload)
      const other = sign(NOW, payload, "whsec_old_secret")
      expect(Either.isRight(yield* verify(payload, header(NOW, other, good)))).toBe(true)
      expect(Either.isRight(yield* verify(payload, header(NOW, good, other)))).toBe(true)
      expect(signatureCode(yield* verify(payload, header(NOW, other, other)))).toBe("no_matching_signature")
      // Whitespace around entries is tolerated.
      expect(Either.isRight(yield* verify(payload, `t=${NOW}, v1=${other}, v1=${good}`))).toBe(true)
    })))

  it.effect("unknown schemes (v0) are ignored: they never verify and never spoil a valid v1", () =>
    run(Effect.gen(function*() {
      const good = sign(NOW, payload)
      expect(signatureCode(yield* verify(payload, `t=${NOW},v0=${good}`))).toBe("no_matching_signature")
      expect(Either.isRight(yield* verify(payload, `t=${NOW},v0=deadbeef,v1=${good},v2=whatever`))).toBe(true)
    })))

  it.effect("non-hex, upper-case or wrong-length v1 values are skipped", () =>
    run(Effect.gen(function*() {
      const good = sign(NOW, payload)
      const bad = [`${good.slice(0, 63)}g`, good.toUpperCase(), good.slice(0, 62), `${good}00`, ""]
      expect(signatureCode(yield* verify(payload, header(NOW, ...bad)))).toBe("no_matching_signature")
      expect(Either.isRight(yield* verify(payload, header(NOW, ...bad, good)))).toBe(true)
    })))

  it.effect("an empty body with a valid signature is a payload error, not a signature error", () =>
    run(Effect.gen(function*() {
      expect(payloadCode(yield* verify("", header(NOW, sign(NOW, ""))))).toBe("invalid_json")
      expect(payloadCode(yield* verify(new Uint8Array(0), header(NOW, sign(NOW, ""))))).toBe("invalid_json")
    })))

  it.effect("non-UTF-8 bytes with a valid signature are a payload error (strict decoding)", () =>
    run(Effect.gen(function*() {
      const bytes = new Uint8Array([...new TextEncoder().encode('{"id":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')])
      const result = yield* verify(bytes, header(NOW, sign(NOW, bytes)))
      expect(payloadCode(result)).toBe("invalid_utf8")
      // The signature is over those exact bytes: lossy decoding then re-encoding would not verify.
      const lossy = new TextDecoder().decode(bytes)
      expect(signatureCode(yield* verify(lossy, header(NOW, sign(NOW, bytes))))).toBe("no_matching_signature")
    })))

  it.effect("a Uint8Array body and the same body as a string verify and decode the same", () =>
    run(Effect.gen(function*() {
      const bytes = new TextEncoder().encode(payload) // multi-byte characters in `description`
      expect(bytes.length).toBeGreaterThan(payload.length)
      const h = header(NOW, sign(NOW, payload))
      expect(sign(NOW, bytes)).toBe(sign(NOW, payload))
      const fromString = Either.getOrThrow(yield* verify(payload, h))
      const fromBytes = Either.getOrThrow(yield* verify(bytes, h))
      const fromBuffer = Either.getOrThrow(yield* verify(Buffer.from(payload, "utf8"), h))
      expect(fromBytes).toStrictEqual(fromString)
      expect(fromBuffer).toStrictEqual(fromString)
    })))

  it.effect("signed bodies that are not events: wrong JSON shape, unknown type, bad field", () =>
    run(Effect.gen(function*() {
      const signed = (p: string) => verify(p, header(NOW, sign(NOW, p)))
      expect(payloadCode(yield* signed("[1,2]"))).toBe("invalid_event")
      expect(payloadCode(yield* signed("{\"id\":\"evt_x\"}"))).toBe("invalid_event")
      expect(payloadCode(yield* signed("not json"))).toBe("invalid_json")
      const unknown = yield* signed(body({ type: "payment.exploded" }))
      expect(payloadCode(unknown)).toBe("unknown_event_type")
      expect(Either.isLeft(unknown) && unknown.left._tag === "WebhookPayloadError" && unknown.left.eventId).toBe(eventJson().id)
      expect(payloadCode(yield* signed(body({ type: "constructor" })))).toBe("unknown_event_type")
      // The member is picked by `type`, so the failure names the member's own field.
      const invalid = yield* signed(body({ data: { ...eventJson().data, amount: -1 } }))
      expect(payloadCode(invalid)).toBe("invalid_event")
      expect(Either.isLeft(invalid) && invalid.left._tag === "WebhookPayloadError" && invalid.left.field).toBe("data.amount")
      // A refund event must carry a refund.
      expect(payloadCode(yield* signed(body({ type: "refund.created" })))).toBe("invalid_event")
    })))

  it.effect("accepts the secret as Redacted", () =>
    run(Effect.gen(function*() {
      expect(Either.isRight(yield* verify(payload, header(NOW, sign(NOW, payload)), Redacted.make(SECRET)))).toBe(true)
    })))

  it.effect("an empty secret never verifies", () =>
    run(Effect.gen(function*() {
      expect(signatureCode(yield* verify(payload, header(NOW, sign(NOW, payload, "")), ""))).toBe("no_matching_signature")
    })))

  it.effect("generateTestHeader output verifies, and equals the independent computation", () =>
    run(Effect.gen(function*() {
      yield* atNow
      const h = yield* Webhook.generateTestHeader({ payload, secret: SECRET })
      expect(h).toBe(`t=${NOW},v1=${sign(NOW, payload)}`)
      expect(Either.isRight(yield* verify(payload, h))).toBe(true)
      const at = yield* Webhook.generateTestHeader({ payload, secret: SECRET, timestamp: NOW - 10 })
      expect(at).toBe(`t=${NOW - 10},v1=${sign(NOW - 10, payload)}`)
    })))
})

describe("Webhook: bounded work on hostile headers", () => {
  const payload = body()

  it.effect("1 000 v1 entries are refused without computing any HMAC", () =>
    Effect.gen(function*() {
      const { calls, layer } = counting()
      const many = Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(64, "0"))
      const short = Array.from({ length: 1000 }, () => "ab")
      for (const h of [header(NOW, ...many), header(NOW, ...short)]) {
        const result = yield* verify(payload, h).pipe(Effect.provide(layer))
        expect(signatureCode(result)).toBe("malformed_header")
      }
      expect(calls()).toBe(0)
    }))

  it.effect("a 100 KB header is refused without computing any HMAC", () =>
    Effect.gen(function*() {
      const { calls, layer } = counting()
      const h = `t=${NOW},v1=${sign(NOW, payload)},x=${"a".repeat(100 * 1024)}`
      expect(signatureCode(yield* verify(payload, h).pipe(Effect.provide(layer)))).toBe("malformed_header")
      expect(calls()).toBe(0)
    }))

  it.effect("however many v1 entries a header has, one HMAC is computed", () =>
    Effect.gen(function*() {
      const { calls, layer } = counting()
      const decoys = Array.from({ length: 30 }, (_, i) => i.toString(16).padStart(64, "0"))
      const result = yield* verify(payload, header(NOW, ...decoys, sign(NOW, payload))).pipe(Effect.provide(layer))
      expect(Either.isRight(result)).toBe(true)
      expect(calls()).toBe(1)
    }))

  it.effect("header parsing failures never compute an HMAC", () =>
    Effect.gen(function*() {
      const { calls, layer } = counting()
      for (const h of [undefined, "garbage", `t=${NOW},v1=zz`, `t=${NOW}`]) {
        expect(Either.isLeft(yield* verify(payload, h).pipe(Effect.provide(layer)))).toBe(true)
      }
      expect(calls()).toBe(0)
    }))
})

describe("Webhook: Hmac implementations", () => {
  it.effect("node:crypto and Web Crypto give identical signatures", () =>
    Effect.gen(function*() {
      const inputs: ReadonlyArray<string | Uint8Array> = [
        "",
        "1700000000.{}",
        `${NOW}.${body()}`,
        "𝄞 ünïcödé ✓",
        new Uint8Array([0, 255, 128, 10, 0xc3]),
        new Uint8Array(70_000).fill(7)
      ]
      for (const secret of [SECRET, "whsec_ü", "k"]) {
        for (const data of inputs) {
          const web = yield* Hmac.webCrypto.sign(secret, data)
          expect(web).toMatch(/^[0-9a-f]{64}$/)
          expect(yield* NodeHmac.hmac.sign(secret, data)).toBe(web)
          expect(NodeHmac.hmac.signSync(secret, data)).toBe(web)
          // The Promise path (the key is imported by now: the cached-key branch).
          expect(yield* Effect.promise(() => Hmac.webCrypto.signPromise?.(secret, data) ?? Promise.resolve("none"))).toBe(web)
          expect(web).toBe(createHmac("sha256", Buffer.from(secret, "utf8")).update(data).digest("hex"))
        }
      }
    }))

  it.effect("with nothing provided, constructEvent uses Web Crypto (no requirement in R)", () =>
    Effect.gen(function*() {
      const payload = body()
      const effect: Effect.Effect<unknown, Webhook.WebhookError> = Webhook.constructEvent(payload, header(NOW, sign(NOW, payload)), SECRET)
      yield* atNow
      expect(Either.isRight(yield* Effect.either(effect))).toBe(true)
    }))
})

describe("Webhook: cross-check with stripe-node's verifier (same scheme, other header name)", () => {
  const stripe = new Stripe("sk_test_cross_check_only")
  const payload = body()

  it.effect("a header from stripe.webhooks.generateTestHeaderString verifies here", () =>
    Effect.gen(function*() {
      const h = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: NOW })
      expect(Either.isRight(yield* verify(payload, h))).toBe(true)
      expect(signatureCode(yield* verify(payload, h, "whsec_other"))).toBe("no_matching_signature")
    }))

  it.effect("a header from Webhook.generateTestHeader verifies in stripe.webhooks.constructEvent", () =>
    Effect.gen(function*() {
      yield* atNow
      const h = yield* Webhook.generateTestHeader({ payload, secret: SECRET })
      const event = stripe.webhooks.constructEvent(payload, h, SECRET, 300, undefined, NOW * 1000)
      expect(event.id).toBe(eventJson().id)
      expect(() => stripe.webhooks.constructEvent(payload, h, "whsec_other", 300, undefined, NOW * 1000)).toThrow()
      // And with node:crypto as our HMAC, for a Buffer body.
      const bytes = Buffer.from(payload, "utf8")
      const hn = Webhook.generateTestHeaderSync({ payload: bytes, secret: SECRET, timestamp: NOW, hmac: NodeHmac.hmac })
      expect(stripe.webhooks.constructEvent(bytes, hn, SECRET, 300, undefined, NOW * 1000).id).toBe(eventJson().id)
    }))
})

describe("Webhook: sync and Promise functions for the facades", () => {
  const payload = body()
  const now = () => NOW * 1000

  it("constructEventSync returns the event, or throws the typed error", () => {
    const event = Webhook.constructEventSync(payload, header(NOW, sign(NOW, payload)), SECRET, { hmac: NodeHmac.hmac, now })
    expect(event.id).toBe(eventJson().id)
    let thrown: unknown
    try {
      Webhook.constructEventSync(payload, header(NOW, sign(NOW, "x")), SECRET, { hmac: NodeHmac.hmac, now })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Webhook.SignatureVerificationError)
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).toMatchObject({ _tag: "SignatureVerificationError", code: "no_matching_signature" })
    expect(() => Webhook.constructEventSync("{", header(NOW, sign(NOW, "{")), SECRET, { hmac: NodeHmac.hmac, now }))
      .toThrow(Webhook.WebhookPayloadError)
  })

  it("constructEventPromise resolves or rejects with the typed error, with Web Crypto by default", async () => {
    const event = await Webhook.constructEventPromise(payload, header(NOW, sign(NOW, payload)), SECRET, { now })
    expect(event.type).toBe("payment.succeeded")
    await expect(Webhook.constructEventPromise(payload, header(NOW - 400, sign(NOW - 400, payload)), SECRET, { now }))
      .rejects.toMatchObject({ _tag: "SignatureVerificationError", code: "timestamp_out_of_tolerance" })
    await expect(Webhook.constructEventPromise(payload, undefined, SECRET, { now }))
      .rejects.toBeInstanceOf(Webhook.SignatureVerificationError)
    await expect(Webhook.constructEventPromise("", header(NOW, sign(NOW, "")), SECRET, { now, hmac: NodeHmac.hmac }))
      .rejects.toMatchObject({ _tag: "WebhookPayloadError", code: "invalid_json" })
  })

  it("generateTestHeaderPromise and generateTestHeaderSync agree with the independent computation", async () => {
    expect(await Webhook.generateTestHeaderPromise({ payload, secret: SECRET, timestamp: NOW })).toBe(header(NOW, sign(NOW, payload)))
    expect(Webhook.generateTestHeaderSync({ payload, secret: SECRET, timestamp: NOW, hmac: NodeHmac.hmac })).toBe(header(NOW, sign(NOW, payload)))
    expect(() => Webhook.generateTestHeaderSync({ payload, secret: SECRET, timestamp: 1.5, hmac: NodeHmac.hmac })).toThrow(RangeError)
  })

  it("errors never carry the secret", async () => {
    const errors = await Promise.all([
      Webhook.constructEventPromise(payload, header(NOW, sign(NOW, "x")), SECRET, { now }).catch((e: unknown) => e),
      Webhook.constructEventPromise(payload, header(NOW - 999, sign(NOW - 999, payload)), SECRET, { now }).catch((e: unknown) => e),
      Webhook.constructEventPromise("nope", header(NOW, sign(NOW, "nope")), SECRET, { now }).catch((e: unknown) => e)
    ])
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error)
      const text = `${String(e)} ${JSON.stringify(e)} ${e instanceof Error ? e.stack : ""}`
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(SECRET.slice(6))
    }
  })
})
