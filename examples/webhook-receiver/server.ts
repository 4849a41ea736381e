/**
 * A PaymentFlow webhook receiver on plain Node `http` (no Effect server), using the Promise-style
 * verifier. It:
 * - reads the raw body (capped) and verifies the `PaymentFlow-Signature` header on those exact
 *   bytes before parsing anything;
 * - answers 401 (bad signature), 400 (signed but not an event), 413 (too large), 405 (not POST);
 * - deduplicates by event id through core's webhook inbox (`WebhookInbox.makePromise`), because
 *   delivery is at least once: an event already handled is answered 200 without running the
 *   handler again; a duplicate that arrives while the first copy is still being handled (here or,
 *   with a shared store, in another process) is answered 409 with `Retry-After`, so it is sent
 *   again later and never handled twice;
 * - answers 500 when the handler throws (the claim released), so the retry runs it;
 * - answers 503 with `Retry-After` while the inbox's store is unreachable (fail closed).
 *
 * A fleet passes `inbox: WebhookInbox.makePromise({ store: Redis.connectInbox({ redis }).store })`
 * (`@paymentflow/node/Redis`): every process then shares one inbox (examples/fleet/worker.ts).
 *
 * Run: `PAYMENTFLOW_WEBHOOK_SECRET=whsec_... npx tsx examples/webhook-receiver/server.ts`
 * (listens on 127.0.0.1:4242, `PORT` to change).
 */
import type { Event } from "@paymentflow/core/Event"
import * as Webhook from "@paymentflow/core/Webhook"
import * as WebhookInbox from "@paymentflow/core/WebhookInbox"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { pathToFileURL } from "node:url"

export interface ReceiverOptions {
  /** The endpoint's `whsec_…` secret. */
  readonly secret: string
  /** Your business logic, run once per event id. Throw (or reject) to have the event sent again. */
  readonly onEvent: (event: Event) => void | Promise<void>
  /** Where claims and handled event ids are kept. Default: this process's memory. */
  readonly inbox?: WebhookInbox.PromiseInbox
  /** Largest accepted body, in bytes. Default 1 MiB. */
  readonly maxBodySize?: number
  /** The clock, in epoch milliseconds (tests). Default `Date.now`. */
  readonly now?: () => number
}

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge())
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners("data")
        req.resume() // drain what is left without keeping it
        reject(new BodyTooLarge())
      } else {
        chunks.push(chunk)
      }
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  if (res.headersSent) return
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const fail = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
  send(res, status, { error: { code, message } }, headers)

/** The request handler: mount it on any Node `http` server (or Express: `app.post("/webhooks", handler)` with no body parser before it). */
export const createWebhookHandler = (options: ReceiverOptions) => {
  const inbox = options.inbox ?? WebhookInbox.makePromise()
  const maxBodySize = options.maxBodySize ?? 1024 * 1024

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== "POST") return fail(res, 405, "method_not_allowed", "Webhooks are delivered with POST", { allow: "POST" })
      let raw: Buffer
      try {
        raw = await readBody(req, maxBodySize)
      } catch (e) {
        return e instanceof BodyTooLarge
          ? fail(res, 413, "body_too_large", `The body is larger than ${maxBodySize} bytes`, { connection: "close" })
          : fail(res, 400, "unreadable_body", "The request body could not be read")
      }
      let event: Event
      try {
        event = await Webhook.constructEventPromise(raw, req.headers["paymentflow-signature"], options.secret, {
          hmac: NodeHmac.hmac,
          now: options.now
        })
      } catch (e) {
        if (e instanceof Webhook.SignatureVerificationError) return fail(res, 401, e.code, e.message)
        if (e instanceof Webhook.WebhookPayloadError) return fail(res, 400, e.code, e.message)
        throw e
      }
      let result: WebhookInbox.PromiseOutcome
      try {
        result = await inbox.run(event.id, () => options.onEvent(event))
      } catch (e) {
        if (e instanceof WebhookInbox.InboxStoreError) {
          console.error(`webhook inbox unreachable for ${event.id}; answering 503 so it is sent again: ${e.message}`)
          return fail(res, 503, "inbox_unavailable", "The webhook inbox is unreachable; retry later", { "retry-after": "1" })
        }
        console.error(`webhook handler failed for ${event.type} ${event.id}; answering 500 so it is sent again`, e)
        return fail(res, 500, "handler_failed", "The webhook handler failed")
      }
      if (result.outcome === "in_progress") {
        return fail(res, 409, "event_in_progress", "This event is being handled by another delivery; retry later", {
          "retry-after": String(result.retryAfterSeconds)
        })
      }
      send(res, 200, { received: true, duplicate: result.outcome === "duplicate" })
    } catch (e) {
      // Whatever happens, answer: a receiver must never crash on one request.
      console.error("webhook receiver error", e)
      fail(res, 500, "internal_error", "Internal error")
    }
  }
}

/** A Node `http` server answering webhooks on every path. */
export const createWebhookServer = (options: ReceiverOptions): Server => {
  const handler = createWebhookHandler(options)
  return createServer((req, res) => void handler(req, res))
}

// Run directly: start the server.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env["PAYMENTFLOW_WEBHOOK_SECRET"]
  if (!secret) {
    console.error("Set PAYMENTFLOW_WEBHOOK_SECRET to the endpoint's whsec_… secret")
    process.exit(1)
  }
  const port = Number(process.env["PORT"] ?? 4242)
  const server = createWebhookServer({
    secret,
    onEvent: (event) => {
      switch (event.type) {
        case "payment.succeeded":
          console.log(`payment ${event.data.id} succeeded: ${event.data.amount} ${event.data.currency}`)
          break
        case "payment.failed":
          console.log(`payment ${event.data.id} failed: ${event.data.failureCode ?? "unknown"}`)
          break
        default:
          console.log(`${event.type} ${event.data.id}`)
      }
    }
  })
  server.listen(port, "127.0.0.1", () => console.log(`webhook receiver on http://127.0.0.1:${port}`))
}
