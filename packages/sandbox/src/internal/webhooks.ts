/**
 * Webhook delivery: every event goes to every endpoint, signed, each delivery in its own fiber on
 * the sandbox's scope (so API responses never wait for it), retried on the configured schedule
 * (Clock-driven) until a 2xx. At most `webhookQueueCapacity` deliveries wait or retry at once.
 * Each endpoint receives the event rendered in its API version (its own, else the account's
 * default), through the version registry's event changes. With `duplicateDeliveries: N`, every
 * event goes N times to each endpoint, as N deliveries 0–250 ms apart.
 */
import { Event, type Event as EventType } from "@paymentflow/core/Event"
import { webCrypto } from "@paymentflow/core/Hmac"
import * as Versions from "@paymentflow/core/Versions"
import { formatHeader, HEADER as SIGNATURE_HEADER, signedPayload } from "@paymentflow/core/WebhookSignature"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type { WebhookEndpoint } from "../SandboxOptions.js"
import type { DeliveryStatus, WebhookDelivery } from "../WebhookDelivery.js"
import { type Config, secretOf } from "./config.js"
import type { makeIds } from "./ids.js"

/** In-process deliveries carry lowercase names, as Node hands them to a handler. */
const SIGNATURE_HEADER_LOWER = SIGNATURE_HEADER.toLowerCase()

const encodeEvent = Schema.encodeSync(Event)
const MAX_LOG = 10_000
const MAX_CONCURRENT_ATTEMPTS = 16
const MAX_DUPLICATE_GAP_MS = 250

/** HMAC-SHA256 with core's Web Crypto service (the verifier's own), so the in-process sandbox runs wherever Effect runs. */
const signer = (secret: string) => (payload: string): Effect.Effect<string> => webCrypto.sign(secret, payload)

type Send = (payload: string, headers: Record<string, string>) => Effect.Effect<number, string>

const sender = (endpoint: WebhookEndpoint): Send =>
  "handler" in endpoint
    ? (payload, headers) => endpoint.handler(payload, headers)
    : (payload, headers) =>
      Effect.tryPromise({
        try: async (signal) => {
          const response = await fetch(endpoint.url, { method: "POST", headers, body: payload, signal, redirect: "manual" })
          await response.arrayBuffer().catch(() => undefined)
          return response.status
        },
        catch: (cause) => {
          const reason = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : String(cause)
          return `no answer: ${reason}`
        }
      })

interface MutableDelivery {
  readonly id: string
  readonly eventId: string
  readonly eventType: string
  readonly endpoint: string
  status: DeliveryStatus
  readonly attempts: Array<{ readonly at: number; readonly statusCode: number | null; readonly error: string | null }>
  readonly created: number
}

/** @internal */
export const make = (config: Config, ids: ReturnType<typeof makeIds>) =>
  Effect.gen(function*() {
    const scope: Scope.Scope = yield* Effect.scope
    const permits = yield* Effect.makeSemaphore(MAX_CONCURRENT_ATTEMPTS)
    const log: Array<MutableDelivery> = []
    let waiting = 0
    const endpoints = config.webhooks.map((endpoint, i) => ({
      name: "handler" in endpoint ? endpoint.name ?? `in-process:${i}` : endpoint.url,
      inProcess: "handler" in endpoint,
      sign: signer(secretOf(endpoint)),
      render: Versions.plan(config.versions, endpoint.version ?? config.defaultVersion)?.event,
      send: sender(endpoint)
    }))
    const seconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

    const attempt = (endpoint: (typeof endpoints)[number], delivery: MutableDelivery, payload: string) =>
      permits.withPermits(1)(Effect.gen(function*() {
        const t = yield* seconds
        const signature = formatHeader(t, [yield* endpoint.sign(signedPayload(t, payload))])
        const headers: Record<string, string> = endpoint.inProcess
          ? { "content-type": "application/json", [SIGNATURE_HEADER_LOWER]: signature, "user-agent": "PaymentFlow-Sandbox/0.1" }
          : { "Content-Type": "application/json", [SIGNATURE_HEADER]: signature, "User-Agent": "PaymentFlow-Sandbox/0.1" }
        const result = yield* endpoint.send(payload, headers).pipe(
          Effect.timeoutFail({ duration: config.webhookTimeout, onTimeout: () => "no answer: timed out" }),
          Effect.catchAllDefect((defect) => Effect.fail(`the handler died: ${String(defect)}`)),
          Effect.either
        )
        const ok = result._tag === "Right" && result.right >= 200 && result.right < 300
        delivery.attempts.push(
          result._tag === "Right" ? { at: t, statusCode: result.right, error: null } : { at: t, statusCode: null, error: result.left }
        )
        return ok
      }))

    const deliver = (endpoint: (typeof endpoints)[number], delivery: MutableDelivery, payload: string) =>
      Effect.gen(function*() {
        const driver = yield* Schedule.driver(config.webhookRetry)
        while (true) {
          if (yield* attempt(endpoint, delivery, payload)) {
            delivery.status = "succeeded"
            return
          }
          const more = yield* Effect.either(driver.next(undefined))
          if (more._tag === "Left") {
            delivery.status = "failed"
            return
          }
        }
      }).pipe(Effect.ensuring(Effect.sync(() => {
        waiting -= 1
      })))

    const publish = (event: EventType): Effect.Effect<void> =>
      Effect.gen(function*() {
        if (endpoints.length === 0) return
        const created = yield* seconds
        const wire = encodeEvent(event)
        const newest = JSON.stringify(wire)
        const payloadFor = (render: ((type: string, data: unknown) => unknown) | undefined) =>
          render === undefined ? newest : JSON.stringify({ ...wire, data: render(wire.type, wire.data) })
        for (const endpoint of endpoints) {
          const payload = payloadFor(endpoint.render)
          // `duplicateDeliveries` copies, each its own delivery, 0–250 ms apart (jittered)
          let after = 0
          for (let copy = 0; copy < config.duplicateDeliveries; copy++) {
            if (copy > 0) after += yield* Random.nextIntBetween(0, MAX_DUPLICATE_GAP_MS + 1)
            const delivery: MutableDelivery = {
              id: ids("whd"),
              eventId: event.id,
              eventType: event.type,
              endpoint: endpoint.name,
              status: "pending",
              attempts: [],
              created
            }
            log.push(delivery)
            if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG)
            if (waiting >= config.webhookQueueCapacity) {
              delivery.status = "dropped"
              continue
            }
            waiting += 1
            const run = deliver(endpoint, delivery, payload)
            // interruptible: publish runs inside a request's uninterruptible section
            yield* Effect.forkIn(Effect.interruptible(after === 0 ? run : Effect.delay(run, Duration.millis(after))), scope)
          }
        }
      })

    const deliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>> = Effect.sync(() =>
      log.slice().reverse().map((d) => ({ ...d, object: "webhook_delivery" as const, attempts: d.attempts.slice() }))
    )

    /** Drops the deliveries of the events in `eventIds` (a key's reset; one in flight finishes unlogged). */
    const forget = (eventIds: ReadonlySet<string>): Effect.Effect<void> =>
      Effect.sync(() => {
        let kept = 0
        for (const d of log) if (!eventIds.has(d.eventId)) log[kept++] = d
        log.length = kept
      })

    return { publish, deliveries, forget }
  })

/** @internal */
export type Webhooks = Effect.Effect.Success<ReturnType<typeof make>>
