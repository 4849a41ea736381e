/**
 * HMAC-SHA256 as a small platform service, used to sign and verify webhooks.
 *
 * Core's default is Web Crypto (`crypto.subtle`), which runs in browsers, edge runtimes and
 * Node ≥ 20, so verifying a webhook needs nothing provided. `@paymentflow/node` supplies a
 * `node:crypto` implementation (`NodeHmac.layer`) that also signs synchronously, which lets the
 * verifier skip the asynchronous path altogether.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { toHex } from "./internal/webhookHex.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface HmacService {
  /** Lowercase hex HMAC-SHA256 of `data` (a string is signed as UTF-8), keyed with `secret` as UTF-8. */
  readonly sign: (secret: string, data: string | Uint8Array) => Effect.Effect<string>
  /**
   * The same, synchronously, where the platform can (node:crypto). When present, webhook
   * verification runs as one synchronous function.
   */
  readonly signSync?: ((secret: string, data: string | Uint8Array) => string) | undefined
  /**
   * The same as a Promise, where the platform's HMAC is asynchronous (Web Crypto): what
   * `constructEventPromise` calls, so a Promise caller runs no Effect at all.
   */
  readonly signPromise?: ((secret: string, data: string | Uint8Array) => Promise<string>) | undefined
}

/**
 * An {@link HmacService} that can sign synchronously.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SyncHmacService extends HmacService {
  readonly signSync: (secret: string, data: string | Uint8Array) => string
}

const encoder = new TextEncoder()

/**
 * Imported keys, per secret. A process verifies with a handful of endpoint secrets, so the cache
 * is small and simply cleared when full (a hostile caller cannot grow it without bound).
 */
const keys = new Map<string, Promise<CryptoKey>>()
const MAX_KEYS = 32

const subtle = (): SubtleCrypto => {
  const subtle = globalThis.crypto?.subtle
  if (subtle === undefined) {
    // Browsers hide crypto.subtle outside secure contexts (https or localhost).
    throw new Error("Web Crypto (crypto.subtle) is not available here: serve the page over https, or provide another Hmac service")
  }
  return subtle
}

/** Keys whose import has completed: the hot path skips one await. */
const ready = new Map<string, CryptoKey>()

const importKey = (secret: string): Promise<CryptoKey> => {
  let key = keys.get(secret)
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) {
      keys.clear()
      ready.clear()
    }
    key = subtle().importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
    // A failed import must not be cached.
    key.then((imported) => {
      if (keys.has(secret)) ready.set(secret, imported)
    }, () => keys.delete(secret))
    keys.set(secret, key)
  }
  return key
}

const signWith = (key: CryptoKey, data: string | Uint8Array): Promise<string> =>
  // A copy: Web Crypto takes an ArrayBuffer-backed view, not a possibly shared one.
  subtle().sign("HMAC", key, typeof data === "string" ? encoder.encode(data) : new Uint8Array(data)).then((signature) =>
    toHex(new Uint8Array(signature))
  )

const signPromise = (secret: string, data: string | Uint8Array): Promise<string> => {
  const key = ready.get(secret)
  return key !== undefined ? signWith(key, data) : importKey(secret).then((imported) => signWith(imported, data))
}

/**
 * Web Crypto (`crypto.subtle`): asynchronous, available in browsers (secure contexts), edge
 * runtimes, Deno, Bun and Node ≥ 20. The imported `CryptoKey` is cached per secret.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const webCrypto: HmacService = {
  sign: (secret, data) => Effect.promise(() => signPromise(secret, data)),
  signPromise
}

/**
 * The HMAC service. A `Context.Reference`: when nothing is provided it is {@link webCrypto}.
 *
 * @since 0.1.0
 * @category Tags
 */
export class Hmac extends Context.Reference<Hmac>()("@paymentflow/core/Hmac", {
  defaultValue: (): HmacService => webCrypto
}) {}

/**
 * Provides an {@link HmacService}, e.g. a counting one in tests.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (service: HmacService): Layer.Layer<never> => Layer.succeed(Hmac, service)

/**
 * Compares two strings of the same length without an early exit, so the time taken does not
 * tell how many leading characters matched: for a webhook signature, and for the sandbox's
 * `client_secret` check. Different lengths compare unequal at once (the length of a signature or
 * a secret is public).
 *
 * @example
 * import { constantTimeEqual } from "@paymentflow/core/Hmac"
 *
 * console.log(constantTimeEqual("abc", "abc")) // true
 *
 * @since 0.1.0
 * @category Utils
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
