/**
 * API keys: parsing (`pk_`/`sk_`, `test`/`live`), the environment a key belongs to, and the
 * mask used wherever a key could otherwise be shown (logs, errors, `toString`).
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import { API_KEY_PATTERN } from "./Fields.js"

/**
 * The two API environments. `test` keys belong to `sandbox`, `live` keys to `production`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Environment = "sandbox" | "production"

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
 * input ever comes back whole.
 *
 * @since 0.1.0
 * @category Utils
 */
export const maskApiKey = (key: string | Redacted.Redacted<string>): string => {
  const value = typeof key === "string" ? key : Redacted.value(key)
  return value.length < 16 ? "***" : `${value.slice(0, 7)}...${value.slice(-4)}`
}

/**
 * The key as a plain string, from either form the options accept.
 *
 * @since 0.1.0
 * @category Utils
 */
export const value = (key: string | Redacted.Redacted<string>): string =>
  typeof key === "string" ? key : Redacted.value(key)
