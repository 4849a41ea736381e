/**
 * Whose data an object is. Every object a request creates (payment, refund, customer, payment
 * method, and the events about them with their webhook deliveries) is recorded under an opaque
 * owner token: the first 16 hex digits of the SHA-256 of the key's id part (what follows
 * `sk_test_` / `pk_test_`), so the two keys of one pair (`pk_test_X`, `sk_test_X`: a page
 * tokenizing with one, its server charging with the other) own the same data. The state keeps the
 * token, never the key; a key's reset (`POST /v1/sandbox/reset`, scope `key`) deletes exactly the
 * objects of its token. Web Crypto (as the idempotency fingerprints): no `node:crypto`.
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"

/** The owner of the request being served (`undefined`: none, e.g. the `Sandbox` service's own seeding). */
export const current = FiberRef.unsafeMake<string | undefined>(undefined)

/** The id part of a checked key: `sk_test_X` → `X`. */
export const idPart = (apiKey: string): string => apiKey.replace(/^(pk|sk)_test_/, "")

/** Both keys of the pair `apiKey` belongs to. */
export const pairOf = (apiKey: string): ReadonlyArray<string> => [`pk_test_${idPart(apiKey)}`, `sk_test_${idPart(apiKey)}`]

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))
const encoder = new TextEncoder()
/** The tokens computed so far, by id part (bounded: cleared past 10 000 keys). */
const cache = new Map<string, string>()

/** The owner token of a (checked) API key. */
export const tokenOf = (apiKey: string): Effect.Effect<string> => {
  const part = idPart(apiKey)
  const known = cache.get(part)
  if (known !== undefined) return Effect.succeed(known)
  return Effect.map(
    Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", encoder.encode(`paymentflow-sandbox-owner\u0000${part}`))),
    (digest) => {
      let hex = ""
      for (const b of new Uint8Array(digest).subarray(0, 8)) hex += HEX[b]
      if (cache.size >= 10_000) cache.clear()
      cache.set(part, hex)
      return hex
    }
  )
}

/** Runs `effect` as a request of `apiKey`'s: what it creates is that key's data. */
export const as = (apiKey: string) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(tokenOf(apiKey), (token) => Effect.locally(effect, current, token))
