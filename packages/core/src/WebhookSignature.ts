/**
 * The webhook signature scheme as pure functions over strings, for code that signs events (the
 * sandbox) as well as code that verifies them:
 * `PaymentFlow-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, where `<hex>` is the
 * lowercase hex HMAC-SHA256, keyed with the whole `whsec_…` secret (UTF-8), of `<t>.<raw body>`.
 *
 * @since 0.1.0
 */
export {
  /**
   * The header name, as sent.
   *
   * @since 0.1.0
   * @category Constants
   */
  HEADER,
  /**
   * Formats the header from a timestamp and one or more hex signatures.
   *
   * @since 0.1.0
   * @category Utils
   */
  formatHeader,
  /**
   * The bytes that are signed: `<t>.<raw body>`.
   *
   * @since 0.1.0
   * @category Utils
   */
  signedPayload
} from "./internal/signature.js"
