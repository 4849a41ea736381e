/**
 * The sandbox's log of webhook deliveries: one entry per event and endpoint, with every attempt.
 * Served at `GET /v1/sandbox/webhook_deliveries`, the sandbox-only row
 * `sandbox.listWebhookDeliveries` (`@paymentflow/core/SandboxControl`, where the schemas and
 * their types live; re-exported here).
 *
 * @since 0.1.0
 */
export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  DeliveryAttempt,
  /**
   * `pending` while attempts remain, `succeeded` after a 2xx, `failed` when the retry schedule is
   * exhausted, `dropped` when the delivery queue was full (schema and type).
   *
   * @since 0.1.0
   * @category Schemas
   */
  DeliveryStatus,
  /**
   * One event to one endpoint, with every attempt (schema and type).
   *
   * @since 0.1.0
   * @category Schemas
   */
  WebhookDelivery,
  /**
   * The response of `GET /v1/sandbox/webhook_deliveries`, newest first.
   *
   * @since 0.1.0
   * @category Schemas
   */
  WebhookDeliveryList
} from "@paymentflow/core/SandboxControl"
