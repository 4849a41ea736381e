/**
 * The idempotency store compares requests by a digest, never by their body (the contract), and the
 * digest is keyed: a plain SHA-256 of a body whose card number is all but known (BIN, last 4, Luhn
 * digit) could be reversed by trying the few million numbers left.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { canonical, make } from "../src/internal/idempotency.js"

const sha256Hex = async (text: string): Promise<string> =>
  Array.from(new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))))
    .map((b) => b.toString(16).padStart(2, "0")).join("")

const body = { amount: 100, currency: "USD", payment_method: { card: { number: "4000056655665556", exp_month: 12, exp_year: 2099, cvc: "123" } } }

describe("idempotency fingerprints", () => {
  it.effect("are keyed per store: not the plain SHA-256 of the request, and another store's differ", () =>
    Effect.gen(function*() {
      const store = make(60_000)
      const fingerprint = yield* store.fingerprint("POST", "/v1/payments", body)
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
      const plain = yield* Effect.promise(() => sha256Hex(`POST /v1/payments\n${canonical(body)}`))
      expect(fingerprint).not.toBe(plain)
      expect(yield* make(60_000).fingerprint("POST", "/v1/payments", body)).not.toBe(fingerprint)
    }))

  it.effect("within a store, the same request has one fingerprint whatever its key order, and a different one another", () =>
    Effect.gen(function*() {
      const store = make(60_000)
      const a = yield* store.fingerprint("POST", "/v1/payments", body)
      const reordered = { payment_method: body.payment_method, currency: "USD", amount: 100 }
      expect(yield* store.fingerprint("POST", "/v1/payments", reordered)).toBe(a)
      expect(yield* store.fingerprint("POST", "/v1/payments", { ...body, amount: 101 })).not.toBe(a)
    }))
})
