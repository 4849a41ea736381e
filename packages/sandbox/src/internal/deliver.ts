/**
 * Delivering the sandbox's events to the app's own webhook receiver, in process and signed, as
 * the sandbox would over HTTP: `POST` with the raw JSON body (rendered in the account's default
 * API version) and `PaymentFlow-Signature`.
 *
 * The signature's timestamp is taken from the clock the receiver checks it against, so a receiver
 * checking the ±300 s tolerance accepts it however far the test moved its `TestClock`:
 * - an Effect receiver (an `HttpApp`, run in the test's runtime) reads the `Clock`: stamped with
 *   `Clock.currentTimeMillis` (the `TestClock` in a test);
 * - a Promise receiver (a web handler) reads `Date.now()`: stamped with `Date.now()`.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Event, type Event as EventType } from "@paymentflow/core/Event"
import { webCrypto } from "@paymentflow/core/Hmac"
import * as Versions from "@paymentflow/core/Versions"
import { formatHeader, HEADER, signedPayload } from "@paymentflow/core/WebhookSignature"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Delivered, WebhookReceiver } from "../PaymentFlowTest.js"
import type { Config } from "./config.js"

const encodeEvent = Schema.encodeSync(Event)

/** The raw body of `event` as the account's default version renders it. */
export const payloadOf = (config: Config) => {
  const render = Versions.plan(config.versions, config.defaultVersion)?.event
  return (event: EventType): string => {
    const wire = encodeEvent(event)
    return JSON.stringify(render === undefined ? wire : { ...wire, data: render(wire.type, wire.data) })
  }
}

const headersOf = (secret: string, payload: string, seconds: number) =>
  Effect.map(webCrypto.sign(secret, signedPayload(seconds, payload)), (signature) => ({
    "content-type": "application/json",
    [HEADER.toLowerCase()]: formatHeader(seconds, [signature]),
    "user-agent": "PaymentFlow-Sandbox/0.1"
  }))

const isHttpApp = <E, R>(receiver: WebhookReceiver<E, R>): receiver is HttpApp.Default<E, R> => Effect.isEffect(receiver)

/** One delivery of `payload` to `receiver` at `url`: the status it answered. */
export const deliverOne = <E, R>(
  receiver: WebhookReceiver<E, R>,
  url: string,
  secret: string,
  payload: string
): Effect.Effect<number, never, Exclude<R, HttpServerRequest.HttpServerRequest>> => {
  if (isHttpApp(receiver)) {
    return Effect.gen(function*() {
      const seconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const headers = yield* headersOf(secret, payload, seconds)
      const request = HttpServerRequest.fromWeb(new Request(url, { method: "POST", headers, body: payload }))
      const response = yield* receiver.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, request),
        Effect.scoped,
        // what a server answers for a failure or a defect (404 for a route miss, else 500)
        Effect.catchAllCause((cause) => Effect.map(HttpServerError.causeResponse(cause), ([r]) => r))
      )
      return response.status
    })
  }
  return Effect.gen(function*() {
    const seconds = Math.floor(Date.now() / 1000)
    const headers = yield* headersOf(secret, payload, seconds)
    return yield* Effect.promise(async () => {
      try {
        const response = await receiver(new Request(url, { method: "POST", headers, body: payload }))
        await response.arrayBuffer().catch(() => undefined)
        return response.status
      } catch {
        return 500 // a handler that throws: what a server answers
      }
    })
  })
}

/** Each event once, oldest first, with the status the receiver answered. */
export const deliverAll = <E, R>(
  receiver: WebhookReceiver<E, R>,
  url: string,
  secret: string,
  payload: (event: EventType) => string,
  events: ReadonlyArray<EventType>
): Effect.Effect<ReadonlyArray<Delivered>, never, Exclude<R, HttpServerRequest.HttpServerRequest>> =>
  Effect.forEach(events, (event) =>
    Effect.map(deliverOne(receiver, url, secret, payload(event)), (status) => ({
      eventId: event.id,
      eventType: event.type,
      status
    })))
