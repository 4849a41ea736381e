/**
 * HMAC-SHA256 on `node:crypto`: synchronous and several times faster than Web Crypto, so
 * webhook verification on Node runs as one synchronous function.
 *
 * @since 0.1.0
 */
import { Hmac, type SyncHmacService } from "@paymentflow/core/Hmac"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createHmac, createSecretKey, type KeyObject } from "node:crypto"

/** Key objects per secret; a handful of endpoint secrets in practice, cleared when full. */
const keys = new Map<string, KeyObject>()
const MAX_KEYS = 32

const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret)
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear()
    key = createSecretKey(Buffer.from(secret, "utf8"))
    keys.set(secret, key)
  }
  return key
}

const signSync = (secret: string, data: string | Uint8Array): string =>
  // A string is hashed as UTF-8, bytes as they are.
  createHmac("sha256", keyOf(secret)).update(data).digest("hex")

/**
 * The `node:crypto` HMAC service, for `Webhook.constructEventSync(..., { hmac: NodeHmac.hmac })`.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const hmac: SyncHmacService = {
  sign: (secret, data) => Effect.sync(() => signSync(secret, data)),
  signSync
}

/**
 * Provides the `node:crypto` HMAC to `Webhook.constructEvent` and `WebhookReceiver`.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer: Layer.Layer<never> = Layer.succeed(Hmac, hmac)
