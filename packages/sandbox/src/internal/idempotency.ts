/**
 * Idempotency keys, scoped to the API key. An entry is `running` while its first request runs,
 * then `done` with the stored status and body until it expires.
 *
 * What an entry keeps to recognise "the same request" is a digest of its method, path and
 * canonical body — never the body itself, which may hold a card number (the contract: "What is
 * stored for comparison is a digest"). The digest is keyed (HMAC-SHA-256 under a random key each
 * store makes and never exports): a plain hash of a body whose card number is all but known (a
 * BIN, the last 4, a Luhn digit) could be reversed by trying the few million numbers left. The
 * stored response is the sandbox's own answer, which never carries one.
 */
import * as Effect from "effect/Effect"

interface Running {
  readonly _tag: "Running"
  readonly fingerprint: string
}

/**
 * Whether a handler's response is stored for a replay: it passed validation (not a 400) and is not
 * a 429 or a 5xx, which a retry may well see differently. The one statement of the rule: the
 * guard (`route.ts`) stores by it, and `openapi.json` declares `Idempotent-Replayed` by it.
 */
export const isStorable = (status: number): boolean => status !== 400 && status !== 429 && status < 500

export interface Stored {
  readonly status: number
  readonly body: Uint8Array
  readonly contentType: string
}

interface Done {
  readonly _tag: "Done"
  readonly fingerprint: string
  readonly response: Stored
  readonly expiresAt: number
}

export type Lookup =
  | { readonly _tag: "New" }
  | { readonly _tag: "InUse" }
  | { readonly _tag: "Reused" }
  | { readonly _tag: "Replay"; readonly response: Stored }

/** A stable text of a JSON value: object keys sorted, so key order never makes a body "different". */
export const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (typeof value === "object" && value !== null) {
    const fields = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

const encoder = new TextEncoder()
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/**
 * The fingerprint an entry keeps: the HMAC-SHA-256 (hex), under `key`, of the request's method,
 * path and canonical body. Web Crypto, as the webhook signatures use, so the in-process sandbox
 * stays free of `node:crypto` (it runs in browsers and edge runtimes too).
 */
const fingerprintOf = (key: Promise<CryptoKey>, method: string, path: string, body: unknown): Effect.Effect<string> =>
  Effect.promise(async () =>
    globalThis.crypto.subtle.sign("HMAC", await key, encoder.encode(`${method} ${path}\n${canonical(body)}`))
  ).pipe(
    Effect.map((digest) => {
      let hex = ""
      for (const b of new Uint8Array(digest)) hex += HEX[b]
      return hex
    })
  )

export const make = (ttlMillis: number) => {
  const entries = new Map<string, Running | Done>()
  // made on first use, never extractable: the fingerprints mean nothing outside this store
  let hmacKey: Promise<CryptoKey> | undefined
  const keyForDigests = () =>
    (hmacKey ??= globalThis.crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]))
  const keyOf = (apiKey: string, key: string) => `${apiKey}\u0000${key}`
  let inserts = 0

  const sweep = (now: number) => {
    for (const [k, e] of entries) if (e._tag === "Done" && e.expiresAt <= now) entries.delete(k)
  }

  return {
    /** The fingerprint of a request (method, path, canonical body) this store compares. */
    fingerprint: (method: string, path: string, body: unknown): Effect.Effect<string> =>
      fingerprintOf(keyForDigests(), method, path, body),
    /** Looks the key up and, when it is new, reserves it as running (atomically: no yield in between). */
    begin: (apiKey: string, key: string, fingerprint: string, now: number): Lookup => {
      const k = keyOf(apiKey, key)
      const entry = entries.get(k)
      if (entry !== undefined && entry._tag === "Done" && entry.expiresAt <= now) entries.delete(k)
      const current = entries.get(k)
      if (current === undefined) {
        if (++inserts % 1000 === 0) sweep(now)
        entries.set(k, { _tag: "Running", fingerprint })
        return { _tag: "New" }
      }
      if (current._tag === "Running") return { _tag: "InUse" }
      return current.fingerprint === fingerprint ? { _tag: "Replay", response: current.response } : { _tag: "Reused" }
    },
    /** Stores the response of a reserved key. */
    complete: (apiKey: string, key: string, fingerprint: string, response: Stored, now: number): void => {
      entries.set(keyOf(apiKey, key), { _tag: "Done", fingerprint, response, expiresAt: now + ttlMillis })
    },
    /** Forgets every key of `apiKey` (the control endpoint `POST /v1/sandbox/reset`). */
    forget: (apiKey: string): void => {
      const prefix = `${apiKey}\u0000`
      for (const k of entries.keys()) if (k.startsWith(prefix)) entries.delete(k)
    },
    /** Everything the store holds, as text (for the tests that check no secret is in it). */
    dump: (): ReadonlyArray<string> =>
      Array.from(entries, ([k, e]) =>
        e._tag === "Running" ? `${k} running ${e.fingerprint}` : `${k} ${e.fingerprint} ${e.response.status} ${new TextDecoder().decode(e.response.body)}`
      ),
    /** Forgets a reservation whose response is not stored (400, 429, 5xx, interruption). */
    release: (apiKey: string, key: string): void => {
      const k = keyOf(apiKey, key)
      if (entries.get(k)?._tag === "Running") entries.delete(k)
    }
  }
}

export type Idempotency = ReturnType<typeof make>
