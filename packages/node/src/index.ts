/**
 * `@paymentflow/node`: PaymentFlow for Node — the pooled undici `HttpClient`, the service layer
 * with `Config` from the environment, and the Promise client.
 *
 * This entry shares your `effect` (a peer dependency), so importing it loads Effect's modules.
 * Code that only uses the Promise client and cares about cold starts can import
 * `@paymentflow/node/client` instead: the same client as one pre-bundled file (see there).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as NodePaymentFlow from "./NodePaymentFlow.js"
/**
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
/**
 * @since 0.1.0
 */
export * as NodeHmac from "./NodeHmac.js"
/**
 * @since 0.1.0
 */
export { PaymentFlowClient } from "./PaymentFlowClient.js"
/**
 * The service tag, the errors and the models, so Node users import from one package.
 *
 * @since 0.1.0
 */
export { PaymentFlow } from "@paymentflow/core/PaymentFlow"
/**
 * @since 0.1.0
 */
export * from "@paymentflow/core/Errors"
/**
 * @since 0.1.0
 */
export { maskApiKey } from "@paymentflow/core/ApiKey"
/**
 * @since 0.1.0
 */
export * as Retry from "@paymentflow/core/Retry"
/**
 * @since 0.1.0
 */
export { SignatureVerificationError, WebhookPayloadError } from "@paymentflow/core/Webhook"
/**
 * @since 0.1.0
 */
export type { Customer, DeletedCustomer } from "@paymentflow/core/Customer"
/**
 * @since 0.1.0
 */
export type { Payment } from "@paymentflow/core/Payment"
/**
 * @since 0.1.0
 */
export type { Refund } from "@paymentflow/core/Refund"
/**
 * @since 0.1.0
 */
export type { Event } from "@paymentflow/core/Event"
/**
 * @since 0.1.0
 */
export type { Page } from "@paymentflow/core/List"
