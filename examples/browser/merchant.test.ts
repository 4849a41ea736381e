/**
 * The shop's server over HTTP, against a real sandbox server (no browser): it prices the cart
 * itself, creates one payment per order with the secret key, and settles an order only on a
 * webhook signed with the endpoint's secret.
 */
import { PaymentFlowClient } from "@paymentflow/node"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CATALOGUE } from "./catalogue.js"
import { type Example, KEYS, startExample } from "./example.js"

let example: Example
let paymentflow: PaymentFlowClient

beforeAll(async () => {
  example = await startExample({ log: () => undefined })
  paymentflow = new PaymentFlowClient({ apiKey: KEYS.secret, baseUrl: example.sandbox.url })
})
afterAll(async () => {
  await paymentflow?.close()
  await example?.close()
})

const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(new URL(path, example.url), { method: "POST", body, headers: { "content-type": "application/json", ...headers } })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const order = async (id: string) => (await fetch(new URL(`/orders/${id}`, example.url))).json() as Promise<Record<string, unknown>>

const payments = () => Effect.runPromise(example.sandbox.sandbox.payments)

const price = (sku: string): number => {
  const product = CATALOGUE.find((p) => p.sku === sku)
  if (product === undefined) throw new Error(`no ${sku} in the catalogue`)
  return product.unitAmount
}

describe("the shop's server", () => {
  it("prices the cart from its catalogue, whatever amount or price the body carries, and creates one payment for it", async () => {
    const created = await post(
      "/orders",
      JSON.stringify({ items: [{ sku: "mug", quantity: 2, price: 1 }, { sku: "stickers", quantity: 1, unitAmount: 1 }], amount: 1, currency: "JPY" })
    )
    expect(created.status).toBe(200)
    const expected = 2 * price("mug") + price("stickers")
    expect(created.body).toMatchObject({ amount: expected, currency: "USD" })
    const orderId = String(created.body["order_id"])
    expect(orderId).toMatch(/^ord_[A-Za-z0-9]{24}$/)
    const clientSecret = String(created.body["client_secret"])
    const payment = (await payments()).find((p) => p.metadata["order_id"] === orderId)
    expect(payment).toMatchObject({ amount: expected, currency: "USD", status: "pending" })
    expect(clientSecret.startsWith(`${payment?.id}_secret_`)).toBe(true)
    expect(await order(orderId)).toMatchObject({ id: orderId, status: "awaiting_payment", amount: expected })
    // the order's state never hands out the payment's secret
    expect(JSON.stringify(await order(orderId))).not.toContain("_secret_")
  })

  it("refuses a cart it cannot price, and creates no payment for it", async () => {
    const before = (await payments()).length
    for (
      const body of [
        JSON.stringify({ items: [] }),
        JSON.stringify({ items: [{ sku: "yacht", quantity: 1 }] }),
        JSON.stringify({ items: [{ sku: "mug", quantity: 0 }] }),
        JSON.stringify({ items: [{ sku: "mug", quantity: 1.5 }] }),
        JSON.stringify({ items: [{ sku: "mug", quantity: 15 }, { sku: "mug", quantity: 15 }] }),
        JSON.stringify({ amount: 1 }),
        "not json"
      ]
    ) {
      const answer = await post("/orders", body)
      expect(answer.status, body).toBe(400)
      expect(typeof (answer.body["error"] as { message?: unknown } | undefined)?.message).toBe("string")
    }
    expect((await payments()).length).toBe(before)
  })

  it("settles an order only on a webhook signed with the endpoint's secret", async () => {
    const created = await post("/orders", JSON.stringify({ items: [{ sku: "tshirt", quantity: 1 }] }))
    const orderId = String(created.body["order_id"])
    const payment = (await payments()).find((p) => p.metadata["order_id"] === orderId)
    const forged = JSON.stringify({
      id: "evt_ForgedForgedForgedForged",
      object: "event",
      type: "payment.succeeded",
      created: Math.floor(Date.now() / 1000),
      data: { ...payment, status: "succeeded" }
    })
    const unsigned = await post("/webhooks", forged)
    expect(unsigned.status).toBe(401)
    const wrongSecret = paymentflow.webhooks.generateTestHeader({ payload: forged, secret: "whsec_NotTheShopsSecret000000" })
    const signedWrong = await post("/webhooks", forged, { "paymentflow-signature": wrongSecret })
    expect(signedWrong.status).toBe(401)
    expect(await order(orderId)).toMatchObject({ status: "awaiting_payment" })
    expect(example.shop.orders.get(orderId)?.settledBy).toBeNull()

    // the real one: the sandbox's signed payment.succeeded, after a confirm with a good card
    await paymentflow.payments.confirm(String(payment?.id), {
      paymentMethod: { card: { number: "4242424242424242", expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: "123" } }
    })
    await expect.poll(() => example.shop.orders.get(orderId)?.status, { timeout: 10_000 }).toBe("paid")
    const settledBy = example.shop.orders.get(orderId)?.settledBy
    const deliveries = await Effect.runPromise(example.sandbox.sandbox.deliveries)
    expect(deliveries.find((d) => d.eventId === settledBy)).toMatchObject({ eventType: "payment.succeeded", endpoint: `${example.url}webhooks` })
  })

  it("charges saved cards only for a signed-in shopper, takes a pm_… id and never card details, and refuses a saved-card order with no saved card", async () => {
    const before = (await payments()).length
    const items = [{ sku: "mug", quantity: 1 }]
    const card = { number: "4242424242424242", expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: "123" }
    const method = await paymentflow.paymentMethods.create({ card })
    // not signed in: neither a pm_… to save nor the saved card
    expect((await post("/orders", JSON.stringify({ items, payment_method: method.id }))).status).toBe(401)
    expect((await post("/orders", JSON.stringify({ items, saved_card: true }))).status).toBe(401)
    const signedIn = await fetch(new URL("/session", example.url), { method: "POST", body: "{}" })
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    expect(signedIn.headers.get("set-cookie")).toMatch(/^shop_session=[\w-]{32}; Path=\/; HttpOnly; SameSite=Strict$/)
    // card details are refused without being echoed back, signed in or not
    for (const paymentMethod of [{ card }, card.number, "pm_"]) {
      const answer = await post("/orders", JSON.stringify({ items, payment_method: paymentMethod }), { cookie })
      expect(answer.status).toBe(400)
      expect(JSON.stringify(answer.body)).not.toContain(card.number)
    }
    // a forged session is no session
    expect((await post("/orders", JSON.stringify({ items, saved_card: true }), { cookie: "shop_session=forged" })).status).toBe(401)
    // with the session: the demo shopper has no saved card in this shop yet
    const none = await post("/orders", JSON.stringify({ items, saved_card: true }), { cookie })
    expect(none.status).toBe(409)
    expect((await payments()).length).toBe(before)
  })

  it("answers 404 for an unknown order and 405 for a known path with another method", async () => {
    expect((await fetch(new URL("/orders/ord_NoSuchOrderNoSuchOrder0000", example.url))).status).toBe(404)
    expect((await fetch(new URL("/orders", example.url))).status).toBe(405)
    expect((await fetch(new URL("/nothing-here", example.url))).status).toBe(404)
  })
})
