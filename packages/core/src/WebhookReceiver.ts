/**
 * A webhook endpoint for Effect HTTP servers: reads the raw body, verifies its signature,
 * decodes the event and runs your handler, answering what the sender's retry logic expects.
 *
 * | outcome                                   | status |
 * | ----------------------------------------- | ------ |
 * | handled, or a duplicate of a handled event | 200    |
 * | bad or missing signature, stale timestamp | 401    |
 * | signed, but not an event (bad payload)    | 400    |
 * | not `POST`                                | 405    |
 * | body larger than `maxBodySize`            | 413    |
 * | the event is being handled by another delivery | 409 + `Retry-After` (PaymentFlow retries) |
 * | your handler failed or died               | 500 (PaymentFlow retries) |
 * | the inbox store is unreachable            | 503 + `Retry-After` (PaymentFlow retries) |
 *
 * Delivery is at least once, in no guaranteed order: the receiver runs your handler once per
 * event `id` through an inbox (`WebhookInbox`: claim → handle → done). The default inbox is in
 * this process's memory; give every process of a fleet the same store (`inboxStore` of
 * `@paymentflow/node/Redis`), or `inbox: false` to deduplicate yourself.
 *
 * Example: {@link make}.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Event } from "./Event.js"
import * as Webhook from "./Webhook.js"
import * as WebhookInbox from "./WebhookInbox.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface Options<E, R> {
  /** The endpoint's `whsec_…` secret. */
  readonly secret: Webhook.Secret
  /** Runs once per verified delivery. Fail (or die) to answer 500 and have the event sent again. */
  readonly handle: (event: Event, request: HttpServerRequest.HttpServerRequest) => Effect.Effect<void, E, R>
  /** Seconds either side of the clock the signature's timestamp may be. Default 300. */
  readonly tolerance?: number | undefined
  /** Largest body accepted, in bytes. Default 1 MiB (events are a few KB). */
  readonly maxBodySize?: number | undefined
  /**
   * Runs the handler once per event id. Default: `WebhookInbox.make()` (this process's memory);
   * `false` runs it for every verified delivery.
   */
  readonly inbox?: WebhookInbox.Inbox | false | undefined
}

/**
 * The default `maxBodySize`: 1 MiB.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_MAX_BODY_SIZE = 1024 * 1024

const header = Webhook.HEADER.toLowerCase()

const error = (status: number, type: string, code: string, message: string) =>
  HttpServerResponse.unsafeJson({ error: { type, code, message } }, { status })

const received = HttpServerResponse.unsafeJson({ received: true })
const duplicate = HttpServerResponse.unsafeJson({ received: true, duplicate: true })

const failed = (event: Event) => <E>(cause: Cause.Cause<E>) =>
  Effect.logError("PaymentFlow webhook handler failed; answering 500 so the event is sent again", cause).pipe(
    Effect.annotateLogs({ eventId: event.id, eventType: event.type }),
    Effect.as(error(500, "handler_error", "handler_failed", "The webhook handler failed"))
  )

/**
 * The endpoint as an `HttpApp`: mount it on a `POST` route.
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { WebhookReceiver } from "@paymentflow/core"
 * import { Effect, Redacted } from "effect"
 *
 * const webhooks = WebhookReceiver.make({
 *   secret: Redacted.make(process.env.PAYMENTFLOW_WEBHOOK_SECRET ?? "whsec_0123456789abcdef"),
 *   handle: (event) => Effect.log(`got ${event.type} ${event.id}`)
 * })
 * // serve it with HttpServer.serve on your platform's server layer
 * export const router = HttpRouter.empty.pipe(HttpRouter.post("/webhooks", webhooks))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = <E, R>(options: Options<E, R>): HttpApp.Default<never, R | HttpServerRequest.HttpServerRequest> => {
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE
  const verifyOptions: Webhook.VerifyOptions = { tolerance: options.tolerance }
  const inbox = options.inbox === undefined ? WebhookInbox.make() : options.inbox
  const tooLarge = error(413, "invalid_request_error", "body_too_large", `The body is larger than ${maxBodySize} bytes`)
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "POST") {
      return HttpServerResponse.unsafeJson(
        { error: { type: "invalid_request_error", code: "method_not_allowed", message: "Webhooks are delivered with POST" } },
        { status: 405, headers: { allow: "POST" } }
      )
    }
    const declared = Number(request.headers["content-length"])
    if (Number.isFinite(declared) && declared > maxBodySize) return tooLarge
    // The raw bytes: the signature is over exactly what was sent, never over re-serialized JSON.
    const body = yield* request.arrayBuffer.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxBodySize)),
      Effect.map((buffer) => new Uint8Array(buffer)),
      Effect.either
    )
    if (body._tag === "Left") return error(400, "invalid_request_error", "unreadable_body", "The request body could not be read")
    if (body.right.length > maxBodySize) return tooLarge
    const event = yield* Effect.either(Webhook.constructEvent(body.right, request.headers[header], options.secret, verifyOptions))
    if (event._tag === "Left") {
      const e = event.left
      return e._tag === "SignatureVerificationError"
        ? error(401, "signature_verification_error", e.code, e.message)
        : error(400, "invalid_payload_error", e.code, e.message)
    }
    const handled = options.handle(event.right, request)
    if (inbox === false) {
      return yield* handled.pipe(Effect.as(received), Effect.catchAllCause(failed(event.right)))
    }
    return yield* inbox.run(event.right.id, handled).pipe(
      Effect.map((outcome) =>
        outcome._tag === "Handled"
          ? received
          : outcome._tag === "Duplicate"
          ? duplicate
          : HttpServerResponse.unsafeJson(
            { error: { type: "api_error", code: "event_in_progress", message: "This event is being handled by another delivery; retry later" } },
            { status: 409, headers: { "retry-after": String(WebhookInbox.retryAfterSeconds(outcome.retryAfter)) } }
          )
      ),
      Effect.catchAllCause((cause) => {
        const failure = Cause.failureOption(cause)
        return Option.isSome(failure) && failure.value instanceof WebhookInbox.InboxStoreError
          ? Effect.logWarning(`PaymentFlow webhook inbox unreachable; answering 503 so the event is sent again: ${failure.value.message}`).pipe(
            Effect.annotateLogs({ eventId: event.right.id }),
            Effect.as(HttpServerResponse.unsafeJson(
              { error: { type: "api_error", code: "inbox_unavailable", message: "The webhook inbox is unreachable; retry later" } },
              { status: 503, headers: { "retry-after": "1" } }
            ))
          )
          : failed(event.right)(cause)
      })
    )
  })
}
