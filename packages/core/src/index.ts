/**
 * `@paymentflow/core`: the PaymentFlow API definition, typed errors and the Effect client.
 *
 * Names users type are flat (`PaymentFlow`, `ValidationError`, `Payment`); modules of functions
 * are namespaces (`Webhook.constructEvent`, `Retry.schedule`).
 *
 * @since 0.1.0
 */

// --- the API definition ---
export * from "./Fields.js"
export * from "./Headers.js"
export * from "./Card.js"
export * from "./Payment.js"
export * from "./Refund.js"
export * from "./Customer.js"
export * from "./PaymentMethod.js"
export * from "./List.js"
export * from "./Event.js"
export { ErrorBody, ErrorType } from "./ErrorBody.js"
export * as ErrorCodes from "./ErrorBody.js"
export * as Api from "./Api.js"
export * as Endpoint from "./Endpoint.js"
export * as Rule from "./Rule.js"

// --- errors ---
export * from "./Errors.js"

// --- the client (issue: SDK) ---
export { PaymentFlow } from "./PaymentFlow.js"
export { PaymentFlowClient } from "./PaymentFlowClient.js"
export { maskApiKey } from "./ApiKey.js"
export * as ApiKey from "./ApiKey.js"
export * as Retry from "./Retry.js"

// --- webhooks (issue: webhooks) ---
export * as Webhook from "./Webhook.js"
export { SignatureVerificationError, WebhookPayloadError } from "./Webhook.js"
export { Hmac, type HmacService, type SyncHmacService } from "./Hmac.js"
export * as WebhookReceiver from "./WebhookReceiver.js"
export * as WebhookInbox from "./WebhookInbox.js"
