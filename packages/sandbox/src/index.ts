/**
 * `@paymentflow/sandbox`: a stateful local simulator of the PaymentFlow API — the in-process
 * `HttpClient` layer (`Sandbox.layer`), a Node server (`SandboxServer`), webhook delivery and
 * fault injection.
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
export {
  type HttpServerError,
  type RunningServer,
  SandboxServer,
  type SandboxServerService,
  type ServerOptions
} from "./SandboxServer.js"
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
