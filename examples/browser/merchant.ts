/**
 * The merchant's server: the one place that holds the secret key. It
 * - serves the shop page (`index.html` with the publishable key filled in, and `shop.js`);
 * - `POST /orders`: takes a cart of `{ sku, quantity }` (never an amount), prices it from its own
 *   catalogue, creates the payment with `@paymentflow/node` (one idempotency key per order, so a
 *   retried create never charges twice), stores the order and hands the payment's
 *   `client_secret` to the page, which confirms it with the card;
 * - `POST /webhooks`: verifies the `PaymentFlow-Signature` on the raw body and marks the order
 *   `paid` on `payment.succeeded`, `failed` on `payment.failed` — the only way an order settles;
 * - `GET /orders/:id`: the order's state, for the page to show.
 * Card numbers never reach this server: the page sends them straight to PaymentFlow.
 *
 * Plain `node:http` and the Promise client, so it reads like the Express or Fastify server you
 * would write. Routes are one table (`routes` in {@link makeShop}): a new one is one entry.
 *
 * @since 0.1.0
 */
import { isPaymentFlowError } from "@paymentflow/core/Errors"
import type { Event } from "@paymentflow/core/Event"
import { SignatureVerificationError, WebhookPayloadError } from "@paymentflow/core/Webhook"
import type { PaymentFlowClient } from "@paymentflow/node"
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http"
import { CATALOGUE, CartError, CURRENCY, type PricedCart, priceCart } from "./catalogue.js"
import { inMemoryOrders, newOrderId, type Order, type Orders } from "./orders.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface ShopOptions {
  /** A Promise client holding the merchant's secret key (`sk_test_…`). */
  readonly paymentflow: PaymentFlowClient
  /** The webhook endpoint's `whsec_…` secret. */
  readonly webhookSecret: string
  /** The page: `index.html` rendered with the publishable key, and its bundled script. */
  readonly page: { readonly html: string; readonly script: string }
  /** Where orders are kept. Default: in memory. */
  readonly orders?: Orders | undefined
  /** One line per order event (never a secret). Default `console.log`. */
  readonly log?: ((line: string) => void) | undefined
}

/**
 * What a route sees of a request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RouteRequest {
  /** The path's `:name` parts. */
  readonly params: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  /** The raw body (read once, capped at `limit` bytes: {@link BodyTooLarge} past it). */
  readonly body: (limit: number) => Promise<Buffer>
}

/**
 * What a route answers.
 *
 * @since 0.1.0
 * @category Models
 */
export type Reply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly type: string; readonly text: string }

/**
 * @since 0.1.0
 * @category Models
 */
export interface Route {
  readonly method: "GET" | "POST"
  /** `/orders/:id`: a `:name` part matches one path segment. */
  readonly path: string
  readonly handle: (request: RouteRequest) => Promise<Reply>
}

/**
 * @since 0.1.0
 * @category Errors
 */
export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge"
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Shop {
  /** Mount on a Node `http` server: `createServer(shop.handler)`. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void
  readonly orders: Orders
  readonly routes: ReadonlyArray<Route>
}

const fail = (status: number, message: string): Reply => ({ status, json: { error: { message } } })

/** What the page may see of an order (no payment secrets: the `client_secret` is handed over once, by `POST /orders`). */
const view = (order: Order) => ({
  id: order.id,
  status: order.status,
  amount: order.amount,
  currency: order.currency,
  lines: order.lines,
  failure_code: order.failureCode
})

/**
 * The shop's routes and a request handler over them.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeShop = (options: ShopOptions): Shop => {
  const orders = options.orders ?? inMemoryOrders()
  const log = options.log ?? console.log
  const { paymentflow, webhookSecret } = options

  const createOrder: Route["handle"] = async (request) => {
    let body: unknown
    try {
      body = JSON.parse((await request.body(64 * 1024)).toString("utf8"))
    } catch (error) {
      if (error instanceof BodyTooLarge) throw error
      return fail(400, "The body must be JSON.")
    }
    let cart: PricedCart
    try {
      cart = priceCart(body)
    } catch (error) {
      if (error instanceof CartError) return fail(400, error.message)
      throw error
    }
    const id = newOrderId()
    try {
      // The amount is the catalogue's, the idempotency key the order's: the SDK retries a create
      // that got no answer with the same key, and PaymentFlow makes one payment of it.
      const payment = await paymentflow.payments.create(
        { amount: cart.amount, currency: cart.currency, description: `Shop order ${id}`, metadata: { order_id: id } },
        { idempotencyKey: `order-${id}` }
      )
      if (payment.clientSecret === undefined) return fail(502, "PaymentFlow returned no client_secret: is the SDK pinned to 2026-12-01?")
      const order = orders.add({ id, cart, paymentId: payment.id })
      log(`order ${order.id}: ${order.amount} ${order.currency}, payment ${payment.id}`)
      return {
        status: 200,
        json: { order_id: order.id, client_secret: payment.clientSecret, amount: order.amount, currency: order.currency }
      }
    } catch (error) {
      // The SDK's typed errors carry a message safe to show (keys and secrets are masked).
      if (isPaymentFlowError(error)) return fail(502, `Could not create the payment: ${error.message}`)
      throw error
    }
  }

  const getOrder: Route["handle"] = async ({ params }) => {
    const order = orders.get(params["id"] ?? "")
    return order === undefined ? fail(404, "No such order.") : { status: 200, json: view(order) }
  }

  const webhook: Route["handle"] = async (request) => {
    // Verify the raw bytes before parsing anything: a page (or anyone) could POST here.
    const raw = await request.body(1024 * 1024)
    let event: Event
    try {
      event = paymentflow.webhooks.constructEvent(raw, request.headers["paymentflow-signature"], webhookSecret)
    } catch (error) {
      if (error instanceof SignatureVerificationError) return fail(401, error.message)
      if (error instanceof WebhookPayloadError) return fail(400, error.message)
      throw error
    }
    // Delivery is at least once and in no order: `settle` is idempotent, and a settled order stays.
    if (event.type === "payment.succeeded" || event.type === "payment.failed") {
      const paid = event.type === "payment.succeeded"
      const order = orders.settle(event.data.id, {
        status: paid ? "paid" : "failed",
        failureCode: paid ? null : event.data.failureCode,
        eventId: event.id
      })
      if (order !== undefined) log(`order ${order.id}: ${order.status} (${event.type} ${event.id})`)
    }
    return { status: 200, json: { received: true } }
  }

  const routes: ReadonlyArray<Route> = [
    { method: "GET", path: "/", handle: async () => ({ status: 200, type: "text/html", text: options.page.html }) },
    { method: "GET", path: "/shop.js", handle: async () => ({ status: 200, type: "text/javascript", text: options.page.script }) },
    { method: "GET", path: "/products", handle: async () => ({ status: 200, json: { currency: CURRENCY, products: CATALOGUE } }) },
    { method: "POST", path: "/orders", handle: createOrder },
    { method: "GET", path: "/orders/:id", handle: getOrder },
    { method: "POST", path: "/webhooks", handle: webhook }
  ]

  return { handler: handlerFor(routes), orders, routes }
}

const match = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of want.entries()) {
    const segment = got[i] ?? ""
    if (part.startsWith(":")) {
      if (segment === "") return undefined
      params[part.slice(1)] = decodeURIComponent(segment)
    } else if (part !== segment) {
      return undefined
    }
  }
  return params
}

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners("data")
        req.resume()
        reject(new BodyTooLarge())
      } else {
        chunks.push(chunk)
      }
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })

/**
 * A Node request handler over a route table: 404 for an unknown path, 405 for a known path with
 * another method, 413 past a route's body limit, 500 (and a log line) when a route throws.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const handlerFor = (routes: ReadonlyArray<Route>) => (req: IncomingMessage, res: ServerResponse): void => {
  const send = (reply: Reply) => {
    if (res.headersSent) return
    const [type, text] = "json" in reply ? ["application/json", JSON.stringify(reply.json)] : [reply.type, reply.text]
    res.writeHead(reply.status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" })
    res.end(text)
  }
  const path = new URL(req.url ?? "/", "http://localhost").pathname
  const candidates = routes.flatMap((route) => {
    const params = match(route.path, path)
    return params === undefined ? [] : [{ route, params }]
  })
  const found = candidates.find(({ route }) => route.method === req.method)
  if (found === undefined) return send(candidates.length === 0 ? fail(404, "Not found.") : fail(405, "Method not allowed."))
  let read: Promise<Buffer> | undefined
  const request: RouteRequest = { params: found.params, headers: req.headers, body: (limit) => (read ??= readBody(req, limit)) }
  found.route.handle(request).then(send, (error: unknown) => {
    if (error instanceof BodyTooLarge) return send(fail(413, "The body is too large."))
    console.error(`${req.method} ${path} failed:`, error instanceof Error ? error.message : error)
    send(fail(500, "Something went wrong."))
  })
}
