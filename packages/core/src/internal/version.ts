/**
 * The SDK version sent in `PaymentFlow-Client`. Kept in step with `package.json` by the
 * `Client.test.ts` check.
 *
 * @internal
 */
export const VERSION = "0.1.0"
