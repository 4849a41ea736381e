/**
 * Webhook delivery over real HTTP: the sandbox server POSTs signed events to a receiver on
 * 127.0.0.1, and `GET /v1/sandbox/webhook_deliveries` shows every attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Event } from "@paymentflow/core/Event"
import { Payment } from "@paymentflow/core/Payment"
import { Refund } from "@paymentflow/core/Refund"
import { WebhookDeliveryList } from "@paymentflow/sandbox"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Schema from "effect/Schema"
import { createHmac } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { card, client, decode } from "./http.js"

const secret = "whsec_http_receiver_secret"

interface Received {
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

let receiver: Http.Server
let sandbox: RunningServer
const received: Array<Received> = []
const waiters: Array<() => void> = []

/** Resolves once `n` deliveries have arrived (no timers: the receiver wakes it). */
const deliveries = (n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (received.length >= n ? resolve() : waiters.push(check))
    check()
  })

beforeAll(async () => {
  receiver = Http.createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (c: string) => (body += c))
    req.on("end", () => {
      received.push({ headers: req.headers, body })
      res.writeHead(200).end("ok")
      waiters.splice(0).forEach((w) => w())
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
  const { port } = receiver.address() as AddressInfo
  sandbox = await SandboxServer.start({ webhooks: [{ url: `http://127.0.0.1:${port}/hooks`, secret }] })
})
afterAll(async () => {
  await sandbox.close()
  await new Promise<void>((resolve) => receiver.close(() => resolve()))
})

describe("webhook delivery over HTTP", () => {
  it("payment.succeeded, refund.created and refund.completed arrive signed; the delivery log shows them", async () => {
    const call = client(sandbox.url)
    const payment = decode(Payment, await call("POST", "/v1/payments", { body: { amount: 900, currency: "EUR", payment_method: card("4242424242424242") } }))
    const refund = decode(Refund, await call("POST", "/v1/refunds", { body: { payment_id: payment.id } }))
    await deliveries(3)
    const events = received.map((r) => {
      const header = String(r.headers["paymentflow-signature"])
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)
      expect(match).not.toBeNull()
      const expected = createHmac("sha256", secret).update(`${match?.[1]}.${r.body}`).digest("hex")
      expect(match?.[2]).toBe(expected)
      expect(Math.abs(Number(match?.[1]) - Date.now() / 1000)).toBeLessThan(300)
      expect(r.headers["content-type"]).toBe("application/json")
      return Schema.decodeUnknownSync(Event)(JSON.parse(r.body))
    })
    expect(events.map((e) => e.type).sort()).toEqual(["payment.succeeded", "refund.completed", "refund.created"])
    expect(events.find((e) => e.type === "payment.succeeded")?.data.id).toBe(payment.id)
    expect(events.find((e) => e.type === "refund.completed")?.data).toMatchObject({ id: refund.id, status: "succeeded" })
    expect(new Set(events.map((e) => e.id)).size).toBe(3)

    const log = await call("GET", "/v1/sandbox/webhook_deliveries")
    const list = decode(WebhookDeliveryList, log)
    expect(list.totalCount).toBe(3)
    for (const d of list.data) {
      expect(d.status).toBe("succeeded")
      expect(d.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks$/)
      expect(d.attempts.map((a) => a.statusCode)).toEqual([200])
    }
    expect(log.text).toContain("\"event_type\"")
  })
})
