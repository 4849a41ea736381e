/**
 * `@paymentflow/node/client`: the Promise client alone, as ONE pre-bundled file (Effect, the
 * platform and core inlined, minified), for code that does not use Effect and wants a fast cold
 * start (a CLI, a serverless function): it loads one file instead of Effect's module graph.
 *
 * ```ts
 * import { PaymentFlowClient, ValidationError } from "@paymentflow/node/client"
 * ```
 *
 * It carries its own copy of Effect and of the SDK, so take the client and `Retry` from this
 * entry. Its error classes are a copy too, but they match across copies: an error it rejects with
 * is `instanceof` `@paymentflow/node`'s class of the same `_tag` (and the other way round), and
 * `isPaymentFlowError` and `error._tag` work on either. Effect users import `@paymentflow/node`
 * (the main entry), which shares your `effect` and never loads this file. Both entries speak the
 * same wire protocol and behave the same.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export { PaymentFlowClient, type Options } from "./PaymentFlowClient.js"
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
export type { CallOptions } from "@paymentflow/core/PaymentFlowClient"
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
