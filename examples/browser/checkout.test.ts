/**
 * The checkout example end to end, as a shopper uses it: a real Chromium (driven by playwright)
 * opens the page, types an amount and a test card, pays, and reads the outcome. Screenshots go
 * to test/artifacts/.
 */
import { existsSync, mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../test/browser/project.js"
import { type Example, startExample } from "./server.js"

const artifacts = fileURLToPath(new URL("../../test/artifacts/", import.meta.url))
const ci = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false"
// Under CI the page must be tested: a missing Chromium fails the launch below, loudly.
const runnable = ci || existsSync(chromiumPath)
const expiry = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`

describe.skipIf(!runnable)(`the checkout example in Chromium${runnable ? "" : ` (skipped: no Chromium at ${chromiumPath})`}`, () => {
  let example: Example
  let browser: Browser
  const pageErrors: Array<string> = []

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    example = await startExample({ port: 0, sandboxPort: 0 })
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  })
  afterAll(async () => {
    await browser?.close()
    await example?.close()
  })

  const open = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 560, height: 820 } })
    page.on("pageerror", (error) => pageErrors.push(error.message))
    page.on("console", (message) => {
      // The API's own 4xx answers (a card that is not a test card) are logged by Chromium as
      // failed loads; they are part of the flow. Anything else is a bug in the page.
      if (message.type() === "error" && !message.location().url.startsWith(example.sandboxUrl)) {
        pageErrors.push(`${message.text()} (${message.location().url})`)
      }
    })
    await page.goto(example.url)
    await page.waitForSelector("html[data-ready='true']")
    return page
  }

  const pay = async (page: Page, fields: { amount: string; number: string; expiry?: string; cvc?: string; currency?: string }) => {
    await page.fill("#amount", fields.amount)
    if (fields.currency) await page.selectOption("#currency", fields.currency)
    await page.fill("#card-number", fields.number)
    await page.fill("#card-expiry", fields.expiry ?? expiry)
    await page.fill("#card-cvc", fields.cvc ?? "123")
    await page.click("#pay")
    await page.waitForSelector("#result:not([data-status='working']):not(:empty)")
    return {
      status: await page.getAttribute("#result", "data-status"),
      text: (await page.textContent("#result")) ?? ""
    }
  }

  /** What the sandbox holds for a payment the page reported (read with a secret key, server side). */
  const stored = async (text: string): Promise<unknown> => {
    const id = /pay_[A-Za-z0-9]{24}/.exec(text)?.[0]
    expect(id, `a payment id in "${text}"`).toBeDefined()
    const response = await fetch(`${example.sandboxUrl}/v1/payments/${id}`, {
      headers: { authorization: "Bearer sk_test_CheckoutExampleServer0001", "paymentflow-version": "2025-06-01" }
    })
    return response.json()
  }

  it("a good card: the shopper sees the payment succeed, and the sandbox holds it as succeeded", async () => {
    const page = await open()
    const outcome = await pay(page, { amount: "25.00", number: "4242 4242 4242 4242" })
    await page.screenshot({ path: `${artifacts}checkout-succeeded.png` })
    expect(outcome.status).toBe("succeeded")
    expect(outcome.text).toContain("Payment succeeded")
    expect(outcome.text).toContain("$25.00")
    expect(await stored(outcome.text)).toMatchObject({ status: "succeeded", amount: 2500, currency: "USD" })
    await page.close()
  })

  it("a declined card: the shopper sees the failure and the card's reason", async () => {
    const page = await open()
    const outcome = await pay(page, { amount: "1999", currency: "JPY", number: "4000 0000 0000 0002" })
    await page.screenshot({ path: `${artifacts}checkout-declined.png` })
    expect(outcome.status).toBe("failed")
    expect(outcome.text).toContain("card_declined")
    const insufficient = await pay(page, { amount: "10.50", currency: "EUR", number: "4000000000009995" })
    expect(insufficient.status).toBe("failed")
    expect(insufficient.text).toContain("insufficient_funds")
    await page.close()
  })

  it("bad input: the typed error's message, the field marked, no stack", async () => {
    const page = await open()
    const luhn = await pay(page, { amount: "5.00", number: "4242 4242 4242 4241" })
    await page.screenshot({ path: `${artifacts}checkout-invalid-card.png` })
    expect(luhn.status).toBe("error")
    expect(luhn.text).toContain("Luhn")
    expect(luhn.text).not.toMatch(/\bat\s+\S+\s*\(|Error:|\.ts:\d+/)
    expect(await page.getAttribute("#card-number", "aria-invalid")).toBe("true")
    const notTest = await pay(page, { amount: "5.00", number: "4111 1111 1111 1111" })
    expect(notTest.status).toBe("error")
    expect(notTest.text.length).toBeGreaterThan(0)
    expect(notTest.text).not.toMatch(/\bat\s+\S+\s*\(|\.ts:\d+/)
    const amount = await pay(page, { amount: "abc", number: "4242424242424242" })
    expect(amount.status).toBe("error")
    expect(await page.getAttribute("#amount", "aria-invalid")).toBe("true")
    await page.close()
  })

  it("the page logged no error", () => {
    expect(pageErrors).toEqual([])
  })
})
