/**
 * `pnpm example:browser` as documented: the script (run with tsx, as the root package.json does)
 * prints the shop's URL, serves the page and the shop's API, and stops cleanly — exit code 0, its
 * ports closed — on SIGINT (Ctrl-C) and on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url))

const start = async () => {
  const child = spawn(tsx, ["examples/browser/serve.ts", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const urls = await new Promise<{ shop: string; sandbox: string }>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const shop = /Shop example: (http:\/\/\S+)/.exec(output)?.[1]
      const sandbox = /sandbox API: (http:\/\/\S+)/.exec(output)?.[1]
      if (shop !== undefined && sandbox !== undefined) resolve({ shop, sandbox })
    })
    child.once("exit", (code) => reject(new Error(`serve.ts exited (${code}) before printing its URL:\n${output}`)))
  })
  return { child, urls, output: () => output }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    child.once("exit", (code) => resolve(code))
  })

const refused = async (url: string) => {
  try {
    await fetch(url)
    return false
  } catch {
    return true
  }
}

describe("pnpm example:browser", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`serves the shop and stops cleanly on ${signal}`, async () => {
      const { child, output, urls } = await start()
      try {
        const page = await fetch(urls.shop)
        expect(page.status).toBe(200)
        const html = await page.text()
        expect(html).toContain("pk_test_")
        expect(html).not.toContain("sk_test_")
        expect((await fetch(new URL("/shop.js", urls.shop))).status).toBe(200)
        expect(await (await fetch(new URL("/products", urls.shop))).json()).toMatchObject({ currency: "USD" })
        child.kill(signal)
        expect(await exited(child), output()).toBe(0)
        expect(await refused(urls.shop)).toBe(true)
        expect(await refused(`${urls.sandbox}/v1/payments`)).toBe(true)
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL")
      }
    })
  }
})
