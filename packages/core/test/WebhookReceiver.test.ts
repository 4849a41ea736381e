import { describe, expect, it } from "@effect/vitest"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Event } from "@paymentflow/core/Event"
import * as WebhookReceiver from "@paymentflow/core/WebhookReceiver"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { body, eventJson, NOW, SECRET } from "./WebhookFixtures.js"

const sign = (t: number, payload: string): string =>
  createHmac("sha256", Buffer.from(SECRET, "utf8")).update(`${t}.${payload}`).digest("hex")

const request = (payload: string, signature: string | undefined, init: RequestInit = {}) =>
  HttpServerRequest.fromWeb(
    new Request("http://127.0.0.1/webhooks", {
      method: "POST",
      body: payload,
      headers: { "content-type": "application/json", ...(signature === undefined ? {} : { "PaymentFlow-Signature": signature }) },
      ...init
    })
  )

/** Runs the receiver on one in-memory request at NOW; returns the status, the JSON body and the events handled. */
const deliver = <E>(
  req: HttpServerRequest.HttpServerRequest,
  handle: (event: Event) => Effect.Effect<void, E> = () => Effect.void,
  options: { readonly maxBodySize?: number } = {}
) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW * 1000)
    const handled = yield* Ref.make<ReadonlyArray<Event>>([])
    const app = WebhookReceiver.make({
      secret: SECRET,
      handle: (event) => Ref.update(handled, (es) => [...es, event]).pipe(Effect.zipRight(handle(event))),
      ...options
    })
    const response = yield* app.pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, req))
    const web = HttpServerResponse.toWeb(response)
    const json: unknown = yield* Effect.promise(() => web.json())
    return { status: response.status, json, handled: yield* Ref.get(handled), headers: response.headers }
  })

describe("WebhookReceiver", () => {
  const payload = body()

  it.effect("200 after the handler succeeds, with the decoded event", () =>
    Effect.gen(function*() {
      const { handled, json, status } = yield* deliver(request(payload, `t=${NOW},v1=${sign(NOW, payload)}`))
      expect(status).toBe(200)
      expect(json).toStrictEqual({ received: true })
      expect(handled.map((e) => [e.id, e.type])).toStrictEqual([[eventJson().id, "payment.succeeded"]])
    }))

  it.effect("verifies the raw bytes: an unusually formatted body verifies as sent", () =>
    Effect.gen(function*() {
      // Key order and spacing a JSON re-serialization would change.
      const odd = `{ "data" : ${JSON.stringify(eventJson().data)}, "created":${NOW - 5},"type":"payment.succeeded",\n"object":"event","id":"${eventJson().id}" }`
      const { handled, status } = yield* deliver(request(odd, `t=${NOW},v1=${sign(NOW, odd)}`))
      expect(status).toBe(200)
      expect(handled).toHaveLength(1)
    }))

  it.effect("401 on a bad, missing or stale signature; the handler is not called", () =>
    Effect.gen(function*() {
      const cases = [
        [`t=${NOW},v1=${sign(NOW, "something else")}`, "no_matching_signature"],
        [undefined, "missing_header"],
        ["nonsense", "malformed_header"],
        [`t=${NOW - 301},v1=${sign(NOW - 301, payload)}`, "timestamp_out_of_tolerance"]
      ] as const
      for (const [signature, code] of cases) {
        const { handled, json, status } = yield* deliver(request(payload, signature))
        expect(status).toBe(401)
        expect(json).toMatchObject({ error: { type: "signature_verification_error", code } })
        expect(handled).toHaveLength(0)
      }
    }))

  it.effect("400 on a correctly signed body that is not an event; the handler is not called", () =>
    Effect.gen(function*() {
      for (const [p, code] of [["{oops", "invalid_json"], [body({ type: "payment.exploded" }), "unknown_event_type"]] as const) {
        const { handled, json, status } = yield* deliver(request(p, `t=${NOW},v1=${sign(NOW, p)}`))
        expect(status).toBe(400)
        expect(json).toMatchObject({ error: { type: "invalid_payload_error", code } })
        expect(handled).toHaveLength(0)
      }
    }))

  it.effect("500 when the handler fails or dies, so PaymentFlow sends the event again", () =>
    Effect.gen(function*() {
      const signed = () => request(payload, `t=${NOW},v1=${sign(NOW, payload)}`)
      const failed = yield* deliver(signed(), () => Effect.fail("database down"))
      expect(failed.status).toBe(500)
      expect(failed.handled).toHaveLength(1)
      expect(failed.json).toMatchObject({ error: { code: "handler_failed" } })
      const died = yield* deliver(signed(), () => Effect.die(new Error("bug")))
      expect(died.status).toBe(500)
    }))

  it.effect("405 for anything but POST", () =>
    Effect.gen(function*() {
      const { handled, headers, status } = yield* deliver(
        HttpServerRequest.fromWeb(new Request("http://127.0.0.1/webhooks", { method: "GET" }))
      )
      expect(status).toBe(405)
      expect(headers["allow"]).toBe("POST")
      expect(handled).toHaveLength(0)
    }))

  it.effect("413 for a body over maxBodySize, before verifying", () =>
    Effect.gen(function*() {
      const { handled, status } = yield* deliver(request(payload, `t=${NOW},v1=${sign(NOW, payload)}`), undefined, { maxBodySize: 100 })
      expect(status).toBe(413)
      expect(handled).toHaveLength(0)
    }))
})
