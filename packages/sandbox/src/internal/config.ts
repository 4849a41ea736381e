import * as Duration from "effect/Duration"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Versions from "@paymentflow/core/Versions"
import type { SandboxOptions, WebhookEndpoint } from "../SandboxOptions.js"

/** The options with every default applied. */
export interface Config {
  readonly processingDelay: Duration.Duration
  readonly refundDelay: Duration.Duration
  readonly rateLimit: number | false
  readonly rateLimitWindow: Duration.Duration
  readonly faults: boolean
  readonly apiKeys: ReadonlySet<string> | undefined
  readonly webhooks: ReadonlyArray<WebhookEndpoint>
  readonly webhookRetry: Schedule.Schedule<unknown, unknown>
  readonly webhookTimeout: Duration.Duration
  readonly duplicateDeliveries: number
  readonly webhookQueueCapacity: number
  readonly idempotencyTtl: Duration.Duration
  readonly maxBodyBytes: number
  /** The versions served, and how a request without `PaymentFlow-Version` is served. */
  readonly versions: Versions.Registry
  readonly defaultVersion: string
}

/** The local sandbox account's default API version. */
export const DEFAULT_VERSION: string = Versions.V2025_06_01.version

const checkVersion = (versions: Versions.Registry, what: string, version: string): string => {
  if (Versions.plan(versions, version) === undefined) {
    throw new RangeError(`${what} must be one of ${Versions.supported(versions).join(", ")}, got '${version}'`)
  }
  return version
}

export const DEFAULT_RATE_LIMIT = 100
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** Exponential backoff from 1 s, doubling: 8 attempts in all (7 retries). */
export const defaultWebhookRetry: Schedule.Schedule<unknown, unknown> = Schedule.exponential("1 second", 2).pipe(
  Schedule.intersect(Schedule.recurs(7))
)

const reveal = (s: string | Redacted.Redacted<string>): string => (Redacted.isRedacted(s) ? Redacted.value(s) : s)

export const resolve = (options: SandboxOptions = {}): Config => {
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit
  if (rateLimit !== false && !(Number.isInteger(rateLimit) && rateLimit >= 1)) {
    throw new RangeError(`rateLimit must be a positive integer or false, got ${String(rateLimit)}`)
  }
  const rateLimitWindow = Duration.decode(options.rateLimitWindow ?? "1 minute")
  if (Duration.toMillis(rateLimitWindow) < 1000) {
    throw new RangeError("rateLimitWindow must be at least 1 second")
  }
  const duplicateDeliveries = options.duplicateDeliveries ?? 1
  if (!(Number.isInteger(duplicateDeliveries) && duplicateDeliveries >= 1 && duplicateDeliveries <= 100)) {
    throw new RangeError(`duplicateDeliveries must be an integer from 1 to 100, got ${String(duplicateDeliveries)}`)
  }
  const versions = options.versions ?? Versions.registry
  const defaultVersion = checkVersion(versions, "defaultVersion", options.defaultVersion ?? DEFAULT_VERSION)
  for (const endpoint of options.webhooks ?? []) {
    if (endpoint.version !== undefined) checkVersion(versions, "a webhook endpoint's version", endpoint.version)
  }
  return {
    versions,
    defaultVersion,
    processingDelay: Duration.decode(options.processingDelay ?? 0),
    refundDelay: Duration.decode(options.refundDelay ?? 0),
    rateLimit,
    rateLimitWindow,
    faults: options.faults ?? false,
    apiKeys: options.apiKeys === undefined ? undefined : new Set(options.apiKeys.map(reveal)),
    webhooks: options.webhooks ?? [],
    webhookRetry: options.webhookRetry ?? defaultWebhookRetry,
    webhookTimeout: Duration.decode(options.webhookTimeout ?? "10 seconds"),
    duplicateDeliveries,
    webhookQueueCapacity: options.webhookQueueCapacity ?? 10_000,
    idempotencyTtl: Duration.decode(options.idempotencyTtl ?? "24 hours"),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  }
}

export const secretOf = (endpoint: WebhookEndpoint): string => reveal(endpoint.secret)
