import { describe, expect, it } from "@effect/vitest"
import { EVENT_TYPES, EventMembers, type EventType } from "@paymentflow/core/Event"
import { compile, REJECT } from "../src/internal/webhookDecode.js"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { CURRENCIES } from "@paymentflow/core/Fields"

// The compiled fast path must agree with Schema's decoder exactly: same verdict, and on success
// the same value with the same key order.

const id = (prefix: string) => fc.stringMatching(new RegExp(`^${prefix}_[A-Za-z0-9]{24}$`))
const text = fc.string({ maxLength: 20 })
const metadata = fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 4 })
const timestamp = fc.integer({ min: 0, max: 2_000_000_000 })

const payment = fc.record({
  id: id("pay"),
  object: fc.constant("payment"),
  amount: fc.nat(),
  amount_refunded: fc.nat(),
  currency: fc.constantFrom(...CURRENCIES),
  status: fc.constantFrom("pending", "processing", "succeeded", "failed", "cancelled"),
  customer: fc.option(id("cus"), { nil: null }),
  customer_email: fc.option(text, { nil: null }),
  description: fc.option(text, { nil: null }),
  metadata,
  failure_code: fc.option(fc.constantFrom("card_declined", "insufficient_funds", "expired_card"), { nil: null }),
  payment_method: fc.constant(null),
  failure_message: fc.option(text, { nil: null }),
  created: timestamp
})

const refund = fc.record({
  id: id("ref"),
  object: fc.constant("refund"),
  payment_id: id("pay"),
  amount: fc.nat(),
  currency: fc.constantFrom(...CURRENCIES),
  reason: fc.option(fc.constantFrom("customer_request", "fraudulent", "duplicate"), { nil: null }),
  status: fc.constantFrom("pending", "succeeded"),
  metadata,
  created: timestamp
})

const event = (type: EventType) =>
  fc.record({
    id: id("evt"),
    object: fc.constant("event"),
    type: fc.constant(type),
    created: timestamp,
    data: type.startsWith("payment.") ? payment : refund
  })

type Json = Record<string, unknown>

/** A valid event, or one with a field replaced, removed or added, at the top or in `data`. */
const mutated = (type: EventType) =>
  fc.tuple(
    event(type),
    fc.constantFrom("none", "set", "delete", "extra"),
    fc.boolean(),
    fc.nat(),
    fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 1.5, "", "EUR", "usd", null, "pay_short", 100_000_000))
  ).map(([e, op, inData, index, value]) => {
    const copy = JSON.parse(JSON.stringify(e)) as Json
    const target = (inData ? copy["data"] : copy) as Json
    const keys = Object.keys(target)
    const key = keys[index % keys.length]!
    if (op === "set") target[key] = value
    if (op === "delete") delete target[key]
    if (op === "extra") target[`x_${index}`] = value
    return copy
  })

describe("Webhook event decoding: compiled fast path vs Schema", () => {
  it("every event member compiles (the fast path is in use)", () => {
    for (const type of EVENT_TYPES) expect(compile(EventMembers[type].ast), type).toBeTypeOf("function")
  })

  for (const type of EVENT_TYPES) {
    it(`agrees with Schema.decodeUnknownEither on valid and broken ${type} events`, () => {
      const member = EventMembers[type]
      const fast = compile(member.ast)!
      const slow = Schema.decodeUnknownEither(member as Schema.Schema<unknown, unknown>)
      let accepted = 0
      fc.assert(
        fc.property(mutated(type), (input) => {
          const f = fast(input)
          const s = slow(input)
          if (f === REJECT) {
            expect(Either.isLeft(s)).toBe(true)
          } else {
            accepted++
            expect(Either.isRight(s)).toBe(true)
            const expected = Either.getOrThrow(s)
            expect(f).toStrictEqual(expected)
            expect(JSON.stringify(f)).toBe(JSON.stringify(expected)) // key order too
          }
        }),
        { numRuns: 400 }
      )
      expect(accepted).toBeGreaterThan(50) // the property saw plenty of valid events
    })
  }

  it("rejects non-objects and wrong literals like Schema does", () => {
    const fast = compile(EventMembers["payment.succeeded"].ast)!
    for (const input of [null, undefined, 1, "x", [], [1], { object: "event" }]) expect(fast(input)).toBe(REJECT)
  })
})
