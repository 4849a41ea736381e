/**
 * What only the browser layer refuses: a secret key. (Malformed keys, wrong environments and
 * non-https base URLs are refused by core's client, the same way on every platform.)
 */
import { AuthenticationError } from "@paymentflow/core/Errors"

/**
 * `sk_…` keys are refused outright: anything shipped to a browser can be read by whoever opens
 * the page, and a secret key can list, refund and delete. The key is not echoed, even masked.
 */
export const refuseSecretKey = (apiKey: string): AuthenticationError | undefined =>
  /^\s*sk_/.test(apiKey)
    ? new AuthenticationError({
      code: "secret_key_in_browser",
      message:
        "A secret API key (sk_…) must never be used in a browser: anyone who opens the page can read it. " +
        "Use a publishable key (pk_test_… or pk_live_…) here, and keep secret keys on your server."
    })
    : undefined
