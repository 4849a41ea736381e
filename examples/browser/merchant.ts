/**
 * The merchant's server: the one place that holds the secret key. It
 * - serves the shop page (`index.html` with the publishable key filled in, and `shop.js`);
 * - `POST /orders`: takes a cart of `{ sku, quantity }` (never an amount), prices it from its own
 *   catalogue, creates the payment with `@paymentflow/node` (one idempotency key per order, so a
 *   retried create never charges twice), stores the order and hands the payment's
 *   `client_secret` to the page, which confirms it with the card;
 * - `POST /webhooks`: verifies the `PaymentFlow-Signature` on the raw body and marks the order
 *   `paid` on `payment.succeeded`, `failed` on `payment.failed` — the only way an order settles;
 * - `GET /orders/:id`: the order's state, for the page to show;
 * - `POST /session`, `GET /session`: a demo sign-in (one fixed shopper, `shoppers.ts`) and who is
 *   signed in, with their saved card;
 * - saved cards: `POST /orders` with `payment_method: "pm_…"` (the page tokenized the card with the
 *   publishable key) attaches it to the signed-in shopper's PaymentFlow customer, makes it their
 *   default and charges it; with `saved_card: true` it charges the customer's default payment
 *   method, and the page sends no card at all.
 * Card numbers never reach this server: the page sends them straight to PaymentFlow, and takes
 * back a `pm_…` id at most.
 *
 * Plain `node:http` and the Promise client, so it reads like the Express or Fastify server you
 * would write. Routes are one table (`routes` in {@link makeShop}): a new one is one entry.
 *
 * @since 0.1.0
 */
import { isPaymentFlowError } from "@paymentflow/core/Errors"
import type { Event } from "@paymentflow/core/Event"
import type { PaymentMethod } from "@paymentflow/core/PaymentMethod"
import { SignatureVerificationError, WebhookPayloadError } from "@paymentflow/core/Webhook"
import type { PaymentFlowClient } from "@paymentflow/node"
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http"
import { CATALOGUE, CartError, CURRENCY, type PricedCart, priceCart } from "./catalogue.js"
import { inMemoryOrders, newOrderId, type Order, type Orders } from "./orders.js"
import { inMemoryShoppers, SESSION_COOKIE, type Shopper, type Shoppers } from "./shoppers.js"

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
  /** The shoppers and their (demo) sign-in. Default: in memory, one demo shopper. */
  readonly shoppers?: Shoppers | undefined
  /** One line per order event (never a secret). Default `console.log`. */
  readonly log?: ((line: string) => void) | undefined
  /**
   * A test hook: called with every request the server receives, its body read in full (up to
   * 1 MiB) before routing, so that even a route that never reads its body is seen. The shop's
   * tests use it to show that no card number ever reaches this server.
   */
  readonly received?: ((request: ReceivedRequest) => void) | undefined
}

/**
 * A request as it reached the shop's server (see {@link ShopOptions.received}).
 *
 * @since 0.1.0
 * @category Models
 */
export interface ReceivedRequest {
  readonly method: string
  /** The path and query string. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
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
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly type: string; readonly text: string; readonly headers?: Readonly<Record<string, string>> }

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
  readonly shoppers: Shoppers
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

/** What the page may see of a saved card. */
const cardView = (method: PaymentMethod) => ({
  id: method.id,
  brand: method.card.brand,
  last4: method.card.last4,
  exp_month: method.card.expMonth,
  exp_year: method.card.expYear
})

/** How an order is paid, from the `POST /orders` body. */
type Paying =
  | { readonly by: "page" } // the page confirms with the client_secret (a card inline, never seen here)
  | { readonly by: "new-card"; readonly paymentMethod: string } // tokenized by the page: save it, charge it
  | { readonly by: "saved-card" } // the customer's default payment method, no card sent

const payingOf = (body: unknown): Paying | string => {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {}
  const method = record["payment_method"]
  const saved = record["saved_card"]
  if (method !== undefined && saved !== undefined) return "Give payment_method or saved_card, not both."
  if (saved !== undefined) return saved === true ? { by: "saved-card" } : "saved_card must be true."
  if (method === undefined) return { by: "page" }
  // Only a `pm_…` id: card details are tokenized by the page and never taken here (nor echoed).
  return typeof method === "string" && /^pm_[A-Za-z0-9]{1,64}$/.test(method)
    ? { by: "new-card", paymentMethod: method }
    : "payment_method must be a pm_… id: the page tokenizes the card with PaymentFlow; the shop takes no card details."
}

/**
 * The shop's routes and a request handler over them.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeShop = (options: ShopOptions): Shop => {
  const orders = options.orders ?? inMemoryOrders()
  const shoppers = options.shoppers ?? inMemoryShoppers()
  const log = options.log ?? console.log
  const { paymentflow, webhookSecret } = options

  /** The shopper's PaymentFlow customer, created the first time they save a card. */
  const customerOf = async (shopper: Shopper): Promise<string> => {
    if (shopper.customerId !== null) return shopper.customerId
    // keyed by the shopper: two saves at once make one customer
    const customer = await paymentflow.customers.create(
      { email: shopper.email, name: shopper.name, metadata: { shopper_id: shopper.id } },
      { idempotencyKey: `shopper-${shopper.id}` }
    )
    return shoppers.linkCustomer(shopper.id, customer.id).customerId ?? customer.id
  }

  /** The card a saved-card order is charged with: the customer's default payment method. */
  const defaultCardOf = async (shopper: Shopper): Promise<string | null> =>
    shopper.customerId === null ? null : (await paymentflow.customers.retrieve(shopper.customerId)).defaultPaymentMethod

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
    const paying = payingOf(body)
    if (typeof paying === "string") return fail(400, paying)
    const shopper = paying.by === "page" ? undefined : shoppers.fromCookie(request.headers.cookie)
    if (paying.by !== "page" && shopper === undefined) return fail(401, "Sign in to pay with a saved card.")
    const id = newOrderId()
    let stage = "create the payment"
    try {
      // Which saved card is charged, decided before anything is created.
      let paymentMethod: string | undefined
      let customer: string | undefined
      if (shopper !== undefined && paying.by === "new-card") {
        stage = "save the card"
        customer = await customerOf(shopper)
        // attaching again to the same customer is a no-op, so a retried request is harmless
        await paymentflow.paymentMethods.attach(paying.paymentMethod, { customer })
        // the card just saved is the one a one-click order charges (attach makes only a first card the default)
        await paymentflow.customers.update(customer, { defaultPaymentMethod: paying.paymentMethod })
        paymentMethod = paying.paymentMethod
      } else if (shopper !== undefined && paying.by === "saved-card") {
        const saved = await defaultCardOf(shopper)
        if (saved === null) return fail(409, "You have no saved card: pay with a card and tick \"Save this card\".")
        customer = shopper.customerId ?? undefined
        paymentMethod = saved
      }
      stage = "create the payment"
      // The amount is the catalogue's, the idempotency key the order's: the SDK retries a create
      // that got no answer with the same key, and PaymentFlow makes one payment of it.
      const payment = await paymentflow.payments.create(
        {
          amount: cart.amount,
          currency: cart.currency,
          description: `Shop order ${id}`,
          metadata: { order_id: id },
          ...(customer === undefined ? {} : { customer })
        },
        { idempotencyKey: `order-${id}` }
      )
      if (payment.clientSecret === undefined) return fail(502, "PaymentFlow returned no client_secret: is the SDK pinned to 2026-12-01?")
      // The order is on record before its payment can settle, so the webhook always finds it.
      const order = orders.add({ id, cart, paymentId: payment.id })
      log(`order ${order.id}: ${order.amount} ${order.currency}, payment ${payment.id}`)
      if (paymentMethod === undefined) {
        return {
          status: 200,
          json: { order_id: order.id, client_secret: payment.clientSecret, amount: order.amount, currency: order.currency }
        }
      }
      // A saved card: the server confirms with the `pm_…` (secret key); the page has nothing to confirm.
      stage = "charge the saved card"
      await paymentflow.payments.confirm(payment.id, { paymentMethod }, { idempotencyKey: `order-${id}-confirm` })
      const card = await paymentflow.paymentMethods.retrieve(paymentMethod)
      log(`order ${order.id}: charging saved card ${card.card.brand} …${card.card.last4} of ${customer ?? "?"}`)
      return { status: 200, json: { order_id: order.id, amount: order.amount, currency: order.currency, card: cardView(card) } }
    } catch (error) {
      // The SDK's typed errors carry a message safe to show (keys and secrets are masked).
      if (isPaymentFlowError(error)) {
        return fail(error._tag === "ValidationError" || error._tag === "ConflictError" ? 400 : 502, `Could not ${stage}: ${error.message}`)
      }
      throw error
    }
  }

  const signIn: Route["handle"] = async () => {
    const { shopper, token } = shoppers.signIn()
    return {
      status: 200,
      json: { shopper: { name: shopper.name, email: shopper.email } },
      // HttpOnly: the page's script never sees the token; SameSite=Strict: no other site sends it
      headers: { "set-cookie": `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict` }
    }
  }

  const session: Route["handle"] = async ({ headers }) => {
    const shopper = shoppers.fromCookie(headers.cookie)
    if (shopper === undefined) return { status: 200, json: { shopper: null, saved_card: null } }
    const saved = await defaultCardOf(shopper)
    return {
      status: 200,
      json: {
        shopper: { name: shopper.name, email: shopper.email },
        saved_card: saved === null ? null : cardView(await paymentflow.paymentMethods.retrieve(saved))
      }
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
    { method: "POST", path: "/session", handle: signIn },
    { method: "GET", path: "/session", handle: session },
    { method: "POST", path: "/webhooks", handle: webhook }
  ]

  return { handler: handlerFor(routes, options.received), orders, shoppers, routes }
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
 * another method, 413 past a route's body limit, 500 (and a log line) when a route throws. With
 * `received` (a test hook), every request's body is read in full (up to 1 MiB) and handed to it
 * before routing.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const handlerFor = (routes: ReadonlyArray<Route>, received?: (request: ReceivedRequest) => void) =>
(req: IncomingMessage, res: ServerResponse): void => {
  const send = (reply: Reply) => {
    if (res.headersSent) return
    const [type, text] = "json" in reply ? ["application/json", JSON.stringify(reply.json)] : [reply.type, reply.text]
    res.writeHead(reply.status, { ...reply.headers, "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" })
    res.end(text)
  }
  if (received === undefined) {
    let read: Promise<Buffer> | undefined
    return dispatch(routes, req, send, (limit) => (read ??= readBody(req, limit)))
  }
  readBody(req, 1024 * 1024).then(
    (body) => {
      received({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
      dispatch(routes, req, send, (limit) => body.length > limit ? Promise.reject(new BodyTooLarge()) : Promise.resolve(body))
    },
    () => send(fail(413, "The body is too large."))
  )
}

const dispatch = (
  routes: ReadonlyArray<Route>,
  req: IncomingMessage,
  send: (reply: Reply) => void,
  body: (limit: number) => Promise<Buffer>
): void => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname
  const candidates = routes.flatMap((route) => {
    const params = match(route.path, path)
    return params === undefined ? [] : [{ route, params }]
  })
  const found = candidates.find(({ route }) => route.method === req.method)
  if (found === undefined) return send(candidates.length === 0 ? fail(404, "Not found.") : fail(405, "Method not allowed."))
  found.route.handle({ params: found.params, headers: req.headers, body }).then(send, (error: unknown) => {
    if (error instanceof BodyTooLarge) return send(fail(413, "The body is too large."))
    console.error(`${req.method} ${path} failed:`, error instanceof Error ? error.message : error)
    send(fail(500, "Something went wrong."))
  })
}
