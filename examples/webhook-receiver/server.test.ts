import type { Event } from "@paymentflow/core/Event"
import * as Webhook from "@paymentflow/core/Webhook"
import * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import * as Effect from "effect/Effect"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import type { AddressInfo } from "node:net"
import type { Server } from "node:http"
import { afterEach, describe, expect, it } from "vitest"
import { createWebhookServer, type ReceiverOptions } from "./server.js"

const SECRET = "whsec_example_receiver_0123456789"
const NOW = 1_700_000_000
const now = () => NOW * 1000

const eventBody = (id: string, type = "payment.succeeded") =>
  JSON.stringify({
    id,
    object: "event",
    type,
    created: NOW,
    data: {
      id: "pay_AAAAAAAAAAAAAAAAAAAAAAAA",
      object: "payment",
      amount: 1000,
      amount_refunded: 0,
      currency: "USD",
      status: "succeeded",
      customer: null,
      customer_email: null,
      description: null,
      metadata: {},
      failure_code: null,
      payment_method: null,
      failure_message: null,
      created: NOW
    }
  })

const EVT_A = "evt_AAAAAAAAAAAAAAAAAAAAAAAA"
const EVT_B = "evt_BBBBBBBBBBBBBBBBBBBBBBBB"

const servers: Array<Server> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
})

const start = async (options: Omit<ReceiverOptions, "secret" | "now">) => {
  const server = createWebhookServer({ secret: SECRET, now, ...options })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}/webhooks`
  const post = async (body: string, signature?: string) => {
    const res = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "PaymentFlow-Signature": signature ?? Webhook.generateTestHeaderSync({ payload: body, secret: SECRET, timestamp: NOW, hmac: NodeHmac.hmac })
      }
    })
    return { status: res.status, retryAfter: res.headers.get("retry-after"), json: (await res.json()) as unknown }
  }
  return { url, post }
}

describe("examples/webhook-receiver", () => {
  it("handles an event once, however many times it is delivered", async () => {
    const seen: Array<string> = []
    const { post } = await start({ onEvent: (e) => void seen.push(e.id) })
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { received: true, duplicate: false } })
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { received: true, duplicate: true } })
    expect(await post(eventBody(EVT_B))).toMatchObject({ status: 200 })
    expect(seen).toStrictEqual([EVT_A, EVT_B])
  })

  it("a duplicate delivered while the first copy is being handled is answered 409 + Retry-After and does not run", async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const seen: Array<string> = []
    let entered = () => {}
    const started = new Promise<void>((resolve) => (entered = resolve))
    const { post } = await start({
      onEvent: async (e) => {
        seen.push(e.id)
        entered()
        await gate
      }
    })
    const first = post(eventBody(EVT_A))
    await started
    const second = await post(eventBody(EVT_A))
    expect(second).toMatchObject({ status: 409, retryAfter: "30", json: { error: { code: "event_in_progress" } } })
    release()
    expect(await first).toMatchObject({ status: 200, json: { duplicate: false } })
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { duplicate: true } })
    expect(seen).toStrictEqual([EVT_A])
  })

  it("answers 500 when the handler throws and runs it again on the retry", async () => {
    let calls = 0
    const { post } = await start({
      onEvent: () => {
        calls++
        if (calls === 1) throw new Error("database unavailable")
      }
    })
    const original = console.error
    console.error = () => {}
    try {
      expect((await post(eventBody(EVT_A))).status).toBe(500)
    } finally {
      console.error = original
    }
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { duplicate: false } })
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { duplicate: true } })
    expect(calls).toBe(2)
  })

  it("401 on a bad signature, 400 on a signed non-event, and neither is handled", async () => {
    const seen: Array<Event> = []
    const { post } = await start({ onEvent: (e) => void seen.push(e) })
    const body = eventBody(EVT_A)
    const wrongSecret = Webhook.generateTestHeaderSync({ payload: body, secret: "whsec_wrong", timestamp: NOW, hmac: NodeHmac.hmac })
    expect(await post(body, wrongSecret)).toMatchObject({ status: 401, json: { error: { code: "no_matching_signature" } } })
    const stale = Webhook.generateTestHeaderSync({ payload: body, secret: SECRET, timestamp: NOW - 301, hmac: NodeHmac.hmac })
    expect(await post(body, stale)).toMatchObject({ status: 401, json: { error: { code: "timestamp_out_of_tolerance" } } })
    expect(await post(body, "")).toMatchObject({ status: 401, json: { error: { code: "missing_header" } } })
    expect(await post("{not json")).toMatchObject({ status: 400, json: { error: { code: "invalid_json" } } })
    expect(await post(eventBody(EVT_B, "payment.exploded"))).toMatchObject({ status: 400, json: { error: { code: "unknown_event_type" } } })
    expect(seen).toHaveLength(0)
  })

  it("405 for GET, 413 for a body over the limit", async () => {
    const { post, url } = await start({ onEvent: () => {}, maxBodySize: 512 })
    expect((await fetch(url)).status).toBe(405)
    expect((await post("x".repeat(2048))).status).toBe(413)
    // The server is still fine afterwards.
    expect(await post("{}")).toMatchObject({ status: 400, json: { error: { code: "invalid_event" } } })
  })

  it("503 + Retry-After while the inbox's store is unreachable, the handler not run; handled once it answers", async () => {
    let down = true
    const memory = WebhookInbox.memoryStore()
    const inbox = WebhookInbox.makePromise({
      storeTimeout: "200 millis",
      store: { ...memory, claim: (id, lease) => (down ? Effect.fail(new WebhookInbox.InboxStoreError({ message: "connection refused" })) : memory.claim(id, lease)) }
    })
    const seen: Array<string> = []
    const { post } = await start({ inbox, onEvent: (e) => void seen.push(e.id) })
    const original = console.error
    console.error = () => {}
    try {
      expect(await post(eventBody(EVT_A))).toMatchObject({ status: 503, retryAfter: "1", json: { error: { code: "inbox_unavailable" } } })
    } finally {
      console.error = original
    }
    expect(seen).toStrictEqual([])
    down = false
    expect(await post(eventBody(EVT_A))).toMatchObject({ status: 200, json: { duplicate: false } })
    expect(seen).toStrictEqual([EVT_A])
  })
})
