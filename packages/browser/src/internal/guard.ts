/**
 * What only the browser layer refuses: a secret key, always. (Core's clients refuse one too, but
 * only when they detect a browser and unless `dangerouslyAllowBrowser` is set; this package is
 * browser-only, so it has no escape hatch. Malformed keys, wrong environments and non-https base
 * URLs are refused by core's client, the same way on every platform.) The refusal itself — its
 * code and message — is core's one definition, `ApiKey.refuseSecretKeyInBrowser`.
 */
export { refuseSecretKeyInBrowser as refuseSecretKey } from "@paymentflow/core/ApiKey"
