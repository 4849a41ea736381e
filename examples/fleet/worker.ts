/**
 * One process of the fleet (examples/fleet/main.ts, and the fleet tests in packages/node/test):
 * - a webhook receiver — examples/webhook-receiver's handler — on one inbox shared in Redis
 *   (`Redis.connectInbox`), whose side effect is a POST to `COLLECTOR_URL` (the "fulfilment"
 *   service outside the receivers, which counts each event id);
 * - `CREATES` payments through the SDK (`API_KEY`, `BASE_URL`), on one budget shared in Redis
 *   (`Redis.rateLimit`, `LIMIT` per `WINDOW_MS`), retries off.
 *
 * Prints JSON lines: `{"listening":PORT}` once bound, `{"handling":ID}` when a handler starts,
 * `{"created":N,"rateLimited":N,"failed":N,"began":MS,"ended":MS}` when its creates are done
 * (epoch milliseconds). `GET /stats` answers its
 * counts. Runs until SIGTERM.
 */
import * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import { PaymentFlowClient } from "@paymentflow/node"
import * as Redis from "@paymentflow/node/Redis"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createWebhookHandler } from "../webhook-receiver/server.js"

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`fleet worker: ${name} is not set`)
  return value
}
const line = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`)

const name = env("NAME", String(process.pid))
const redis = { host: env("REDIS_HOST", "127.0.0.1"), port: Number(env("REDIS_PORT")) }
const handleMs = Number(env("HANDLE_MS", "0"))
const collector = env("COLLECTOR_URL")

const stats = {
  name,
  created: 0,
  rateLimited: 0,
  createFailed: 0,
  handled: 0,
  answers: {} as Record<string, number>
}

const inboxRedis = Redis.connectInbox({ redis })
// `INBOX=memory`: this process's own inbox (the fleet tests' control, which shows what sharing buys)
const inbox = WebhookInbox.makePromise({
  store: env("INBOX", "redis") === "memory" ? WebhookInbox.memoryStore() : inboxRedis.store,
  lease: `${Number(env("LEASE_MS", "30000"))} millis`,
  storeTimeout: "500 millis"
})

const webhooks = createWebhookHandler({
  secret: env("WEBHOOK_SECRET"),
  inbox,
  onEvent: async (event) => {
    line({ handling: event.id })
    if (handleMs > 0) await new Promise((resolve) => setTimeout(resolve, handleMs))
    // the side effect, outside this process: a failure throws, the claim is released, the event retried
    const response = await fetch(collector, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventId: event.id, worker: name })
    })
    if (!response.ok) throw new Error(`collector answered ${response.status}`)
    stats.handled++
  }
})

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats))
    return
  }
  res.on("finish", () => {
    const key = String(res.statusCode)
    stats.answers[key] = (stats.answers[key] ?? 0) + 1
  })
  void webhooks(req, res)
})

const creates = async () => {
  const count = Number(env("CREATES", "0"))
  if (count === 0) return
  const client = new PaymentFlowClient({
    apiKey: env("API_KEY"),
    baseUrl: env("BASE_URL"),
    maxRetries: 0,
    rateLimit: Redis.rateLimit({ redis, limit: Number(env("LIMIT")), window: Number(env("WINDOW_MS")) })
  })
  const began = Date.now()
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    try {
      await client.payments.create({
        amount: 100 + i,
        currency: "USD",
        paymentMethod: { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
      })
      stats.created++
    } catch (error) {
      if (error instanceof Error && "_tag" in error && error._tag === "RateLimitError") stats.rateLimited++
      else stats.createFailed++
    }
  }))
  line({ created: stats.created, rateLimited: stats.rateLimited, failed: stats.createFailed, began, ended: Date.now() })
}

server.listen(Number(env("PORT", "0")), "127.0.0.1", () => {
  line({ listening: (server.address() as AddressInfo).port })
  creates().catch((error: unknown) => {
    process.stderr.write(`fleet worker ${name}: ${String(error)}\n`)
  })
})

process.once("SIGTERM", () => {
  server.closeAllConnections()
  server.close()
  void inboxRedis.close().finally(() => process.exit(0))
})
