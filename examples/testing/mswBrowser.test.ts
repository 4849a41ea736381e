/**
 * Recipe: frontend development with no server. A Chromium page (playwright) runs the browser
 * client against `@paymentflow/sandbox/msw` through MSW's `setupWorker`: the whole sandbox in the
 * page, served by a service worker. The page is bundled here with esbuild (no Node built-in).
 */
import * as esbuild from "esbuild"
import { existsSync, readFileSync } from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { type Browser, chromium } from "playwright"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../test/browser/project.js"

const root = fileURLToPath(new URL("../../", import.meta.url))
const ci = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false"
const runnable = ci || existsSync(chromiumPath)

/** `@paymentflow/*` from the workspace's sources. */
const workspace: esbuild.Plugin = {
  name: "workspace",
  setup(build) {
    build.onResolve({ filter: /^@paymentflow\/(core|browser|sandbox)(\/.*)?$/ }, (args) => {
      const [, pkg, sub] = /^@paymentflow\/([a-z]+)(?:\/(.*))?$/.exec(args.path)!
      return { path: `${root}packages/${pkg}/src/${sub ?? "index"}.ts` }
    })
  }
}

describe.skipIf(!runnable)(`a page on the MSW sandbox in Chromium${runnable ? "" : ` (skipped: no Chromium at ${chromiumPath})`}`, () => {
  let server: http.Server
  let url: string
  let browser: Browser

  beforeAll(async () => {
    const bundle = await esbuild.build({
      entryPoints: [fileURLToPath(new URL("msw-page/page.ts", import.meta.url))],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      plugins: [workspace],
      nodePaths: [`${root}packages/sandbox/node_modules`],
      logLevel: "silent"
    })
    const script = bundle.outputFiles[0]!.text
    const worker = readFileSync(`${root}packages/sandbox/node_modules/msw/lib/mockServiceWorker.js`, "utf8")
    server = http.createServer((req, res) => {
      if (req.url === "/mockServiceWorker.js") {
        res.writeHead(200, { "content-type": "text/javascript" })
        res.end(worker)
      } else if (req.url === "/page.js") {
        res.writeHead(200, { "content-type": "text/javascript" })
        res.end(script)
      } else {
        res.writeHead(200, { "content-type": "text/html" })
        res.end(`<!doctype html><html><body><script type="module" src="/page.js"></script></body></html>`)
      }
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  it("the browser client creates, confirms and retrieves payments against the sandbox in the page", async () => {
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForSelector("body[data-result]", { state: "attached", timeout: 30_000 })
    const result: unknown = JSON.parse((await page.getAttribute("body", "data-result")) ?? "{}")
    expect(result).toEqual({ created: "pending", confirmed: "succeeded", retrieved: "succeeded", declined: "card_declined", served: 200 })
    await page.close()
  }, 60_000)
})
