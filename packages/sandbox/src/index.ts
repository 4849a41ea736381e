/**
 * `@paymentflow/sandbox`: a stateful local simulator of the PaymentFlow API — the in-process
 * `HttpClient` layer (`Sandbox.layer`), webhook delivery and fault injection. The Node server
 * (`SandboxServer`) is `@paymentflow/sandbox/server`: this entry never loads `@effect/platform-node`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export { ConnectionDropped, Sandbox, type SandboxService, type SeedPayment } from "./Sandbox.js"
/**
 * @since 0.1.0
 */
export type {
  HttpWebhookEndpoint,
  InProcessWebhookEndpoint,
  SandboxOptions,
  WebhookEndpoint
} from "./SandboxOptions.js"
/**
 * @since 0.1.0
 */
export { DeliveryStatus, WebhookDelivery, WebhookDeliveryList } from "./WebhookDelivery.js"
/**
 * @since 0.1.0
 */
export {
  type ClientOptions,
  type DeliverOptions,
  type Delivered,
  type Fault,
  type FaultOptions,
  type InProcessApp,
  PaymentFlowTest,
  type PaymentFlowTestOptions,
  type PaymentFlowTestService,
  type RecordedRequest,
  type WebhookReceiver
} from "./PaymentFlowTest.js"
