/**
 * The webhook signature scheme of the contract, as pure functions over strings:
 * `PaymentFlow-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, where `<hex>` is the
 * lowercase hex HMAC-SHA256, keyed with the whole `whsec_…` secret (UTF-8), of `<t>.<raw body>`.
 * The HMAC itself is computed by a platform service (Web Crypto or node:crypto).
 */

/** The header name, as sent. */
export const HEADER = "PaymentFlow-Signature"

/** The bytes that are signed: `<t>.<raw body>`. */
export const signedPayload = (timestamp: number, body: string): string => `${timestamp}.${body}`

/** Formats the header from a timestamp and one or more hex signatures. */
export const formatHeader = (timestamp: number, signatures: ReadonlyArray<string>): string =>
  [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(",")
