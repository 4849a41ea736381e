/**
 * API keys: parsing (`pk_`/`sk_`, `test`/`live`), the environment a key belongs to, and the
 * mask used wherever a key could otherwise be shown (logs, errors, `toString`).
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import { AuthenticationError } from "./Errors.js"
import { API_KEY_PATTERN } from "./Fields.js"

/**
 * The two API environments. `test` keys belong to `sandbox`, `live` keys to `production`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Environment = "sandbox" | "production"

/**
 * The default base URL of each environment: the client's, and the `servers` of `openapi.json`.
 *
 * @since 0.1.0
 * @category Constants
 */
export const BASE_URLS = {
  production: "https://api.paymentflow.com",
  sandbox: "https://sandbox.api.paymentflow.com"
} as const satisfies { readonly [E in Environment]: string }

/**
 * What a well-formed key says about itself.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ParsedApiKey {
  /** `publishable` (`pk_`, safe in browsers) or `secret` (`sk_`). */
  readonly kind: "publishable" | "secret"
  /** `sandbox` for `*_test_*` keys, `production` for `*_live_*` keys. */
  readonly environment: Environment
}

/**
 * Reads a key's kind and environment; `undefined` when it does not match
 * `^(pk|sk)_(live|test)_[A-Za-z0-9]{16,}$`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const parse = (key: string): ParsedApiKey | undefined => {
  const match = API_KEY_PATTERN.exec(key)
  if (match === null) return undefined
  return {
    kind: match[1] === "pk" ? "publishable" : "secret",
    environment: match[2] === "live" ? "production" : "sandbox"
  }
}

/**
 * Masks a key for display: its first 7 characters, `...`, its last 4 (`sk_test...abcd`). Keys
 * too short to mask safely (under 16 characters, so malformed anyway) show only `***`, so no
 * input ever comes back whole. A missing key (`undefined`, a wiped `Redacted`) shows `***` too.
 *
 * @since 0.1.0
 * @category Utils
 */
export const maskApiKey = (key: string | Redacted.Redacted<string> | undefined): string => {
  const raw = value(key)
  return raw.length < 16 ? "***" : `${raw.slice(0, 7)}...${raw.slice(-4)}`
}

/**
 * The key as a plain string, from any form the options accept. A missing key — `undefined` (an
 * unset environment variable) or a `Redacted` whose value was wiped (`Redacted.unsafeWipe`) — is
 * `""`, which every client refuses on each call with `AuthenticationError` `api_key_missing`:
 * building a client never throws.
 *
 * @since 0.1.0
 * @category Utils
 */
export const value = (key: string | Redacted.Redacted<string> | undefined): string => {
  if (key === undefined) return ""
  if (typeof key === "string") return key
  try {
    return Redacted.value(key)
  } catch {
    // `Redacted.value` throws once the value was wiped: the key is gone, i.e. missing.
    return ""
  }
}

/**
 * Whether a key is a secret key (`sk_…`), well-formed or not: what a browser must never hold.
 *
 * @since 0.1.0
 * @category Utils
 */
export const isSecret = (key: string): boolean => /^\s*sk_/.test(key)

/**
 * The refusal of a secret key in a browser: anything shipped to a page can be read by whoever
 * opens it, and a secret key can list, refund and delete. The key is not echoed, even masked.
 * `undefined` for any other key. (The one definition of this refusal: core's clients apply it
 * when they run in a browser, `@paymentflow/browser` always.)
 *
 * @since 0.1.0
 * @category Utils
 */
export const refuseSecretKeyInBrowser = (key: string): AuthenticationError | undefined =>
  isSecret(key)
    ? new AuthenticationError({
      code: "secret_key_in_browser",
      message:
        "A secret API key (sk_…) must never be used in a browser: anyone who opens the page can read it. " +
        "Use a publishable key (pk_test_… or pk_live_…) here, and keep secret keys on your server."
    })
    : undefined
