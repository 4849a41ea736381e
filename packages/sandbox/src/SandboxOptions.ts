/**
 * The options of the sandbox, shared by the in-process layer (`Sandbox.layer`), the Node server
 * (`SandboxServer`) and the CLI (`pnpm sandbox`).
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Versions from "@paymentflow/core/Versions"

/**
 * A webhook endpoint reached over HTTP: the sandbox POSTs each signed event to `url`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface HttpWebhookEndpoint {
  /** Where events are POSTed. */
  readonly url: string
  /** The endpoint's `whsec_…` signing secret. */
  readonly secret: string | Redacted.Redacted<string>
  /**
   * The API version this endpoint's events are rendered in. Default: the sandbox's
   * `defaultVersion`.
   */
  readonly version?: string | undefined
}

/**
 * A webhook endpoint inside the process (no port): the sandbox calls `handler` with the raw body
 * and the request headers (lower-case names); the handler answers with an HTTP status.
 *
 * @since 0.1.0
 * @category Models
 */
export interface InProcessWebhookEndpoint {
  /** Shown as the delivery's `endpoint` in the delivery log. Default `in-process:<index>`. */
  readonly name?: string | undefined
  /** The endpoint's `whsec_…` signing secret. */
  readonly secret: string | Redacted.Redacted<string>
  /** Receives one delivery attempt; a 2xx status means delivered, anything else is retried. */
  /**
   * The API version this endpoint's events are rendered in. Default: the sandbox's
   * `defaultVersion`.
   */
  readonly version?: string | undefined
  readonly handler: (payload: string, headers: Readonly<Record<string, string>>) => Effect.Effect<number>
}

/**
 * @since 0.1.0
 * @category Models
 */
export type WebhookEndpoint = HttpWebhookEndpoint | InProcessWebhookEndpoint

/**
 * @since 0.1.0
 * @category Models
 */
export interface SandboxOptions {
  /**
   * How long a payment given a payment method stays `processing`. `0` (the default) settles it
   * before the response is sent; a positive delay settles it later on Effect's `Clock`.
   */
  readonly processingDelay?: Duration.DurationInput | undefined
  /** How long a refund stays `pending` (same rules as `processingDelay`). Default `0`. */
  readonly refundDelay?: Duration.DurationInput | undefined
  /** Requests per API key per sliding minute; `false` switches the limit off. Default `100`. */
  readonly rateLimit?: number | false | undefined
  /**
   * The length of the sliding rate-limit window. Default one minute, as the contract says; a
   * shorter window lets demos and tests show a 429 and its recovery in seconds.
   */
  readonly rateLimitWindow?: Duration.DurationInput | undefined
  /** Honour the `PaymentFlow-Sandbox-Fault` request header. Default `false` (the header is ignored). */
  readonly faults?: boolean | undefined
  /** Accept only these keys. Default: every well-formed `pk_test_…` / `sk_test_…` key. */
  readonly apiKeys?: ReadonlyArray<string | Redacted.Redacted<string>> | undefined
  /** Where events are delivered. */
  readonly webhooks?: ReadonlyArray<WebhookEndpoint> | undefined
  /**
   * The delays between delivery attempts of one event (Clock-driven). Default: exponential from
   * 1 second, doubling, at most 8 attempts in all.
   */
  readonly webhookRetry?: Schedule.Schedule<unknown, unknown> | undefined
  /**
   * Deliver every event this many times to each endpoint (at-least-once on purpose, to test a
   * receiver's deduplication): each copy is its own delivery with its own retries, started 0–250 ms
   * after the previous one (jittered, on Effect's `Clock` and `Random`). Default `1`.
   */
  readonly duplicateDeliveries?: number | undefined
  /** How long one delivery attempt may take before it counts as no answer. Default 10 seconds. */
  readonly webhookTimeout?: Duration.DurationInput | undefined
  /** At most this many deliveries wait or retry at once; further ones are recorded as `dropped`. Default 10 000. */
  readonly webhookQueueCapacity?: number | undefined
  /** How long an idempotency key is remembered. Default 24 hours. */
  readonly idempotencyTtl?: Duration.DurationInput | undefined
  /** The largest request body accepted, in bytes. Default 1 MiB (1 048 576). */
  readonly maxBodyBytes?: number | undefined
  /**
   * The account's default API version: how a request without `PaymentFlow-Version` is served, and
   * the version webhook events are rendered in unless their endpoint names one. Default
   * `2025-06-01` (the oldest announced version, as for an account created before `2026-12-01`).
   */
  readonly defaultVersion?: string | undefined
  /**
   * The API versions served and what changed in each. Default: core's (`Versions.registry`);
   * a test may register a made-up one (`Versions.withOlder`).
   */
  readonly versions?: Versions.Registry | undefined
}
