/**
 * `@paymentflow/browser`: PaymentFlow in the browser — an Effect layer over `fetch`
 * (`BrowserPaymentFlow`), a Promise client (`PaymentFlowClient`), both limited to what a
 * publishable key may do, and the SDK's typed errors.
 *
 * Import a module directly (`@paymentflow/browser/BrowserPaymentFlow`) to leave the Promise
 * client and webhook verification out of the bundle.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export {
  BrowserPaymentFlow,
  PUBLISHABLE_OPERATIONS,
  type PublishableOperation
} from "./BrowserPaymentFlow.js"
/**
 * @since 0.1.0
 */
export { type CallOptions, type Params, PaymentFlowClient } from "./PaymentFlowClient.js"
/**
 * @since 0.1.0
 */
export {
  ApiError,
  AuthenticationError,
  ConflictError,
  type ErrorTag,
  isPaymentFlowError,
  NetworkError,
  NotFoundError,
  type PaymentFlowError,
  RateLimitError,
  ValidationError
} from "@paymentflow/core/Errors"
/**
 * @since 0.1.0
 */
export { SignatureVerificationError, WebhookPayloadError } from "@paymentflow/core/Webhook"
/**
 * @since 0.1.0
 */
export type { FailureCode, Payment, PaymentStatus, PaymentWithSecret } from "@paymentflow/core/Payment"
/**
 * @since 0.1.0
 */
export { CURRENCIES, type Currency } from "@paymentflow/core/Fields"
/**
 * @since 0.1.0
 */
export type { Event } from "@paymentflow/core/Event"
