/**
 * The sandbox serves the API reference at `GET /docs`: one page rendered from the OpenAPI
 * document it serves, readable offline. A real Chromium (Debian's, driven by playwright) opens it,
 * a screenshot goes to test/artifacts/, and every request the page makes is recorded: the only
 * one is the page itself.
 */
import * as Api from "@paymentflow/core/Api"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import { existsSync, mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Browser, chromium } from "playwright"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../browser/project.js"

const artifacts = fileURLToPath(new URL("../artifacts/", import.meta.url))
const ci = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false"
// Under CI the page must be tested: a missing Chromium fails the launch below, loudly.
const runnable = ci || existsSync(chromiumPath)
const summaries = Api.all.filter((e) => e.surface !== "sandbox").map((e) => e.summary)

describe("GET /docs", () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await SandboxServer.start({ port: 0, processingDelay: 0, rateLimit: false })
  })
  afterAll(() => server?.close())

  it("is one HTML page naming every operation, with no script and a policy that forbids every outside load", async () => {
    const response = await fetch(`${server.url}/docs`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/html")
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(summaries.length).toBeGreaterThan(10)
    for (const summary of summaries) expect(html).toContain(summary.replace(/'/g, "&#39;").replace(/"/g, "&quot;"))
    expect(html).toContain("Idempotency-Key")
    // small enough to serve from memory on every sandbox
    expect(html.length).toBeLessThan(400_000)
  })

  describe.skipIf(!runnable)(`in Chromium${runnable ? "" : ` (skipped: no Chromium at ${chromiumPath})`}`, () => {
    let browser: Browser
    beforeAll(async () => {
      mkdirSync(artifacts, { recursive: true })
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
    })
    afterAll(() => browser?.close())

    it("renders the operations and requests nothing but the page", async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const requests: Array<string> = []
      const problems: Array<string> = []
      page.on("request", (request) => requests.push(request.url()))
      page.on("pageerror", (error) => problems.push(error.message))
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text())
      })
      const response = await page.goto(`${server.url}/docs`, { waitUntil: "load" })
      expect(response?.status()).toBe(200)
      await page.screenshot({ path: `${artifacts}docs-page.png`, fullPage: false })
      const create = page.getByRole("heading", { name: /^Create a payment/ })
      expect(await create.count()).toBe(1)
      expect(await create.isVisible()).toBe(true)
      expect(await page.locator("section h3").count()).toBe(summaries.length)
      // the page is rendered, not a blank document: its text holds every operation's summary
      const text = await page.locator("body").innerText()
      for (const summary of summaries) expect(text).toContain(summary)
      expect(requests).toEqual([`${server.url}/docs`])
      expect(problems).toEqual([])
      await page.close()
    })
  })
})
