/**
 * The shop example end to end, as a shopper uses it: a real Chromium (driven by playwright)
 * opens the shop's page, pays for the cart with a test card, and reads the order's state, which
 * only the shop's webhook settles. Screenshots go to test/artifacts/ (gitignored), named
 * `shop-*.png`, and are checked to exist and be non-empty.
 */
import { existsSync, mkdirSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Effect from "effect/Effect"
import { type Browser, chromium, type Page } from "playwright"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../test/browser/project.js"
import { CATALOGUE } from "./catalogue.js"
import { type Example, KEYS, startExample } from "./example.js"
import type { ReceivedRequest } from "./merchant.js"
import { DEMO_SHOPPER } from "./shoppers.js"

const artifacts = fileURLToPath(new URL("../../test/artifacts/", import.meta.url))
const ci = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false" && process.env["CI"] !== "0"
// Under CI the page must be tested: a missing Chromium fails the launch below, loudly.
const runnable = ci || existsSync(chromiumPath)
const expiry = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`

const unitAmount = (sku: string): number => {
  const product = CATALOGUE.find((p) => p.sku === sku)
  if (product === undefined) throw new Error(`no ${sku} in the catalogue`)
  return product.unitAmount
}

describe.skipIf(!runnable)(`the shop example in Chromium${runnable ? "" : ` (skipped: no Chromium at ${chromiumPath})`}`, () => {
  let example: Example
  let browser: Browser
  const pageErrors: Array<string> = []
  // every request the shop's server received, in every test: no card number may be among them
  const received: Array<ReceivedRequest> = []

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    example = await startExample({ log: () => undefined, received: (request) => received.push(request) })
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  })
  afterAll(async () => {
    await browser?.close()
    await example?.close()
  })

  const open = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 560, height: 900 } })
    page.on("pageerror", (error) => pageErrors.push(error.message))
    page.on("console", (message) => {
      // The API's own 4xx answers (the tampering test's refused calls) are logged by Chromium as
      // failed loads; they are part of the test. Anything else is a bug in the page.
      if (message.type() === "error" && !message.location().url.startsWith(example.sandbox.url)) {
        pageErrors.push(`${message.text()} (${message.location().url})`)
      }
    })
    await page.goto(example.url)
    await page.waitForSelector("html[data-ready='true']")
    return page
  }

  const setCart = async (page: Page, quantities: Readonly<Record<string, number>>) => {
    for (const product of CATALOGUE) {
      await page.fill(`input[data-sku='${product.sku}']`, String(quantities[product.sku] ?? 0))
    }
  }

  const pay = async (page: Page, number: string) => {
    await page.fill("#card-number", number)
    await page.fill("#card-expiry", expiry)
    await page.fill("#card-cvc", "123")
    await page.click("#pay")
    await page.waitForSelector("#result:not([data-status='working']):not(:empty)", { timeout: 20_000 })
    const text = (await page.textContent("#result")) ?? ""
    return { status: await page.getAttribute("#result", "data-status"), text, orderId: /ord_[A-Za-z0-9]{24}/.exec(text)?.[0] }
  }

  const screenshot = async (page: Page, name: string) => {
    const path = `${artifacts}shop-${name}.png`
    await page.screenshot({ path, fullPage: true })
    expect(statSync(path).size).toBeGreaterThan(0)
  }

  /** What the sandbox holds for an order's payment (the sandbox's own state, not the shop's word). */
  const paymentOf = async (orderId: string | undefined) => {
    const order = example.shop.orders.get(orderId ?? "")
    expect(order, `the shop holds order ${orderId}`).toBeDefined()
    const payments = await Effect.runPromise(example.sandbox.sandbox.payments)
    return { order, payment: payments.find((p) => p.id === order?.paymentId) }
  }

  const delivered = async (eventId: string | null | undefined) => {
    const deliveries = await Effect.runPromise(example.sandbox.sandbox.deliveries)
    return deliveries.find((d) => d.eventId === eventId)
  }

  it("a good card: the page shows the order paid, settled by the signed payment.succeeded webhook", async () => {
    const page = await open()
    await setCart(page, { mug: 1, tshirt: 1 })
    const outcome = await pay(page, "4242 4242 4242 4242")
    await screenshot(page, "paid")
    const amount = unitAmount("mug") + unitAmount("tshirt")
    expect(outcome.status).toBe("paid")
    expect(outcome.text).toContain("Order paid")
    expect(outcome.text).toContain(`$${(amount / 100).toFixed(2)}`)
    const { order, payment } = await paymentOf(outcome.orderId)
    expect(order).toMatchObject({ status: "paid", amount, currency: "USD" })
    expect(payment).toMatchObject({ status: "succeeded", amount, currency: "USD" })
    expect(await delivered(order?.settledBy)).toMatchObject({ eventType: "payment.succeeded", endpoint: `${example.url}webhooks` })
    await page.close()
  })

  it("a declined card: the page shows the order declined, and the order is not paid", async () => {
    const page = await open()
    await setCart(page, { stickers: 2 })
    const outcome = await pay(page, "4000 0000 0000 0002")
    await screenshot(page, "declined")
    expect(outcome.status).toBe("declined")
    expect(outcome.text).toContain("card_declined")
    const { order, payment } = await paymentOf(outcome.orderId)
    expect(order).toMatchObject({ status: "failed", failureCode: "card_declined", amount: 2 * unitAmount("stickers") })
    expect(payment).toMatchObject({ status: "failed", failureCode: "card_declined" })
    expect(await delivered(order?.settledBy)).toMatchObject({ eventType: "payment.failed" })
    await page.close()
  })

  it("a tampered amount changes nothing that is charged: the page's price, the order request and a direct call are all ignored or refused", async () => {
    const page = await open()
    await setCart(page, { tshirt: 1 })
    // the shopper edits the page: every price and the total read one cent
    await page.evaluate(() => {
      for (const cell of document.querySelectorAll("td.price, td.total")) cell.textContent = "$0.01"
    })
    // ...and rewrites the order request: an amount, a currency and a price per item
    const sent: Array<string> = []
    const received: Array<{ readonly client_secret: string }> = []
    await page.route("**/orders", async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as { items: Array<Record<string, unknown>> }
      const tampered = JSON.stringify({ items: body.items.map((item) => ({ ...item, price: 1, unitAmount: 1 })), amount: 1, currency: "JPY" })
      sent.push(tampered)
      const response = await route.fetch({ postData: tampered })
      received.push((await response.json()) as { client_secret: string })
      await route.fulfill({ response })
    })
    const outcome = await pay(page, "4242424242424242")
    await screenshot(page, "tampered")
    expect(sent).toHaveLength(1)
    expect(sent[0]).toContain("\"amount\":1")
    expect(outcome.status).toBe("paid")
    expect(outcome.text).toContain("$25.00")
    const { order, payment } = await paymentOf(outcome.orderId)
    expect(order).toMatchObject({ status: "paid", amount: unitAmount("tshirt"), currency: "USD" })
    expect(payment).toMatchObject({ status: "succeeded", amount: unitAmount("tshirt"), currency: "USD" })

    // with the publishable key a page cannot make its own payment, nor confirm one with an amount
    const direct = await page.evaluate(async ({ baseUrl, key, clientSecret, paymentId }) => {
      const headers = { authorization: `Bearer ${key}`, "content-type": "application/json", "paymentflow-version": "2026-12-01" }
      const create = await fetch(`${baseUrl}/v1/payments`, { method: "POST", headers, body: JSON.stringify({ amount: 1, currency: "USD" }) })
      const confirm = await fetch(`${baseUrl}/v1/payments/${paymentId}/confirm`, {
        method: "POST",
        headers,
        body: JSON.stringify({ client_secret: clientSecret, amount: 1, payment_method: "pm_AAAAAAAAAAAAAAAAAAAAAAAA" })
      })
      // and leaving the version header out changes nothing: the account's default version is 2026-12-01
      const bare = { authorization: `Bearer ${key}`, "content-type": "application/json" }
      const bareCreate = await fetch(`${baseUrl}/v1/payments`, { method: "POST", headers: bare, body: JSON.stringify({ amount: 1, currency: "USD" }) })
      const bareRead = await fetch(`${baseUrl}/v1/payments/${paymentId}`, { headers: { authorization: bare.authorization } })
      return {
        create: create.status,
        confirm: confirm.status,
        confirmBody: await confirm.text(),
        bareCreate: bareCreate.status,
        bareRead: bareRead.status,
        bareReadBody: await bareRead.text()
      }
    }, { baseUrl: example.sandbox.url, key: KEYS.publishable, clientSecret: received[0]?.client_secret ?? "", paymentId: payment?.id ?? "" })
    expect(direct.create).toBe(403)
    expect(direct.confirm).toBe(400)
    expect(direct.confirmBody).toContain("parameter_unknown")
    expect(direct.bareCreate).toBe(403)
    expect(direct.bareRead).toBe(400) // parameter_missing: client_secret — the order's details stay private
    expect(direct.bareReadBody).toContain("client_secret")
    expect(direct.bareReadBody).not.toContain("order_id")

    // nothing charged differs from what the shop priced: every payment is one of its orders, for the order's amount
    const orders = example.shop.orders.all()
    for (const p of await Effect.runPromise(example.sandbox.sandbox.payments)) {
      const owner = orders.find((o) => o.paymentId === p.id)
      expect(owner, `payment ${p.id} belongs to an order`).toBeDefined()
      expect(p.amount).toBe(owner?.amount)
      expect(p.currency).toBe(owner?.currency)
    }
    await page.close()
  })

  it("a card that fails the Luhn check: the SDK's message, the field marked, nothing charged", async () => {
    const page = await open()
    const before = await Effect.runPromise(example.sandbox.sandbox.payments)
    const outcome = await pay(page, "4242 4242 4242 4241")
    await screenshot(page, "invalid-card")
    expect(outcome.status).toBe("error")
    expect(outcome.text).toContain("Luhn")
    expect(outcome.text).not.toMatch(/\bat\s+\S+\s*\(|Error:|\.ts:\d+/)
    expect(await page.getAttribute("#card-number", "aria-invalid")).toBe("true")
    // the order was placed (its payment created) but the card never reached PaymentFlow: still pending
    const after = await Effect.runPromise(example.sandbox.sandbox.payments)
    expect(after.length).toBe(before.length + 1)
    expect(after[0]?.status).toBe("pending")
    expect(example.shop.orders.byPayment(after[0]?.id ?? "")?.status).toBe("awaiting_payment")
    await page.close()
  })

  /** Signs the page in as the demo shopper (the shop's demo sign-in: a button, no password). */
  const signIn = async (page: Page) => {
    await page.click("#sign-in")
    // (not `:has-text('Signed in')`: a case-insensitive substring, it matches "Not signed in." too)
    await page.waitForFunction((email) => document.querySelector("#shopper")?.textContent?.startsWith("Signed in as") === true &&
      document.querySelector("#shopper")?.textContent?.includes(email) === true, DEMO_SHOPPER.email)
  }

  /** The card number with any spacing or dashes between its digits. */
  const anyForm = (digits: string) => new RegExp(digits.split("").join("[\\s\\-]*"))

  it("save this card: the page tokenizes, the shop attaches and charges it; a repeat order is one click with the saved card, and no card number reaches the shop", async () => {
    const saved = "5555555555554444"
    const first = await open()
    await signIn(first)
    expect(await first.isVisible("#pay-saved")).toBe(false)
    await setCart(first, { mug: 1 })
    await first.check("#save-card")
    const paid = await pay(first, "5555 5555 5555 4444")
    await first.waitForSelector("#pay-saved:visible")
    await screenshot(first, "saved-card-paid")
    expect(paid.status).toBe("paid")
    expect(await first.textContent("#pay-saved")).toContain("Mastercard …4444")
    await first.close()

    // the sandbox's own state: the shopper's customer holds the card, and the order's payment used it
    const customers = await Effect.runPromise(example.sandbox.sandbox.customers)
    const customer = customers.find((c) => c.email === DEMO_SHOPPER.email)
    expect(customer?.defaultPaymentMethod).toMatch(/^pm_/)
    const method = (await Effect.runPromise(example.sandbox.sandbox.paymentMethods)).find((m) => m.id === customer?.defaultPaymentMethod)
    expect(method).toMatchObject({ customer: customer?.id, card: { brand: "mastercard", last4: "4444" } })
    const one = await paymentOf(paid.orderId)
    expect(one.order).toMatchObject({ status: "paid", amount: unitAmount("mug") })
    expect(one.payment).toMatchObject({ status: "succeeded", amount: unitAmount("mug"), customer: customer?.id, paymentMethod: method?.id })
    expect(await delivered(one.order?.settledBy)).toMatchObject({ eventType: "payment.succeeded" })

    // later, in another browser session: sign in again and pay with the saved card, typing no card
    const second = await open()
    const toPaymentFlow: Array<string> = []
    second.on("request", (request) => {
      if (request.url().startsWith(example.sandbox.url)) toPaymentFlow.push(`${request.method()} ${request.url()}`)
    })
    await signIn(second)
    await second.waitForSelector("#pay-saved:visible")
    await setCart(second, { stickers: 3 })
    const ordersBefore = received.filter((r) => r.method === "POST" && r.url === "/orders").length
    await second.click("#pay-saved")
    await second.waitForSelector("#result:not([data-status='working']):not(:empty)", { timeout: 20_000 })
    await screenshot(second, "saved-card-repeat")
    const text = (await second.textContent("#result")) ?? ""
    expect(await second.getAttribute("#result", "data-status")).toBe("paid")
    const two = await paymentOf(/ord_[A-Za-z0-9]{24}/.exec(text)?.[0])
    expect(two.order).toMatchObject({ status: "paid", amount: 3 * unitAmount("stickers") })
    expect(two.payment).toMatchObject({ status: "succeeded", customer: customer?.id, paymentMethod: method?.id })
    expect(two.payment?.id).not.toBe(one.payment?.id)
    expect(await delivered(two.order?.settledBy)).toMatchObject({ eventType: "payment.succeeded" })
    // one click: the page sent the cart alone, and nothing at all to PaymentFlow
    const repeatOrders = received.filter((r) => r.method === "POST" && r.url === "/orders").slice(ordersBefore)
    expect(repeatOrders.map((r) => JSON.parse(r.body.toString("utf8")))).toEqual([{ items: [{ sku: "stickers", quantity: 3 }], saved_card: true }])
    expect(toPaymentFlow).toEqual([])
    await second.close()

    // the hook saw the orders' bodies (the first carried the pm_… id, so a card number would have shown)...
    const bodies = received.map((r) => r.body.toString("utf8"))
    expect(bodies.some((body) => body.includes(`"payment_method":"${method?.id}"`))).toBe(true)
    // ...and no request the shop received, in any test, held a card number: not in a body, a URL or a header
    for (const number of [saved, "4242424242424242", "4000000000000002"]) {
      for (const request of received) {
        const seen = [request.url, JSON.stringify(request.headers), request.body.toString("utf8")].join("\n")
        // a boolean, so that a failure names the request without printing the number
        expect(anyForm(number).test(seen), `a card number in ${request.method} ${request.url}`).toBe(false)
      }
    }
  })

  it("the page logged no error", () => {
    expect(pageErrors).toEqual([])
  })
})
