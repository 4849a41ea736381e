/**
 * A PaymentFlow webhook receiver on plain Node `http` (no Effect server), using the Promise-style
 * verifier. It:
 * - reads the raw body (capped) and verifies the `PaymentFlow-Signature` header on those exact
 *   bytes before parsing anything;
 * - answers 401 (bad signature), 400 (signed but not an event), 413 (too large), 405 (not POST);
 * - deduplicates by event id, because delivery is at least once: an event already handled is
 *   answered 200 without running the handler again, and a duplicate that arrives while the
 *   first copy is still being handled waits for it instead of running in parallel;
 * - answers 500 when the handler throws, without marking the event handled, so the retry runs it.
 *
 * Run: `PAYMENTFLOW_WEBHOOK_SECRET=whsec_... npx tsx examples/webhook-receiver/server.ts`
 * (listens on 127.0.0.1:4242, `PORT` to change).
 */
import type { Event } from "@paymentflow/core/Event"
import * as Webhook from "@paymentflow/core/Webhook"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { pathToFileURL } from "node:url"

/**
 * The ids of events already handled. In memory and bounded here (the oldest ids are forgotten
 * first); in production use your database, e.g. a unique constraint on the event id written in
 * the same transaction as the event's effects.
 */
export interface ProcessedEvents {
  readonly has: (id: string) => boolean | Promise<boolean>
  readonly add: (id: string) => void | Promise<void>
}

/** An in-memory {@link ProcessedEvents} remembering the last `capacity` ids. */
export const inMemoryProcessedEvents = (capacity = 100_000): ProcessedEvents => {
  const ids = new Set<string>()
  return {
    has: (id) => ids.has(id),
    add: (id) => {
      ids.add(id)
      if (ids.size > capacity) {
        const oldest = ids.values().next()
        if (!oldest.done) ids.delete(oldest.value)
      }
    }
  }
}

export interface ReceiverOptions {
  /** The endpoint's `whsec_…` secret. */
  readonly secret: string
  /** Your business logic, run once per event id. Throw (or reject) to have the event sent again. */
  readonly onEvent: (event: Event) => void | Promise<void>
  /** Where handled event ids are kept. Default: in memory. */
  readonly processed?: ProcessedEvents
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
  const processed = options.processed ?? inMemoryProcessedEvents()
  const maxBodySize = options.maxBodySize ?? 1024 * 1024
  /** Events being handled right now, by id: a concurrent duplicate waits for the first copy. */
  const inFlight = new Map<string, Promise<void>>()

  const handleOnce = (event: Event): Promise<"handled" | "duplicate"> => {
    const running = inFlight.get(event.id)
    if (running) return running.then(() => "duplicate" as const)
    const run = (async () => {
      if (await processed.has(event.id)) return "duplicate" as const
      await options.onEvent(event)
      await processed.add(event.id)
      return "handled" as const
    })()
    const settled = run.then(() => undefined)
    inFlight.set(event.id, settled)
    // Forget the in-flight entry whatever the outcome; a failure is retried by the sender.
    settled.catch(() => undefined).finally(() => inFlight.delete(event.id))
    return run
  }

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
      try {
        const outcome = await handleOnce(event)
        send(res, 200, { received: true, duplicate: outcome === "duplicate" })
      } catch (e) {
        console.error(`webhook handler failed for ${event.type} ${event.id}; answering 500 so it is sent again`, e)
        fail(res, 500, "handler_failed", "The webhook handler failed")
      }
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
