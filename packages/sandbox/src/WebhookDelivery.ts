/**
 * The sandbox's log of webhook deliveries: one entry per event and endpoint, with every attempt.
 * Served at `GET /v1/sandbox/webhook_deliveries`, the sandbox-only row
 * `sandbox.listWebhookDeliveries` (`@paymentflow/core/SandboxControl`, where the schemas live;
 * re-exported here).
 *
 * @since 0.1.0
 */
import type { DeliveryStatus as DeliveryStatusSchema, WebhookDelivery as WebhookDeliverySchema } from "@paymentflow/core/SandboxControl"

export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  DeliveryAttempt,
  /**
   * @since 0.1.0
   * @category Schemas
   */
  DeliveryStatus,
  /**
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

/**
 * `pending` while attempts remain, `succeeded` after a 2xx, `failed` when the retry schedule is
 * exhausted, `dropped` when the delivery queue was full.
 *
 * @since 0.1.0
 * @category Models
 */
export type DeliveryStatus = typeof DeliveryStatusSchema.Type

/**
 * @since 0.1.0
 * @category Models
 */
export type WebhookDelivery = typeof WebhookDeliverySchema.Type
