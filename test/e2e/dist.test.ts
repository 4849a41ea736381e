/**
 * The BUILT `@paymentflow/node` (dist), loaded the two ways users load it — CommonJS `require`
 * and ESM `import` — in a fresh Node process, calling the sandbox server over loopback. The
 * root `test` script builds the packages before running vitest.
 */
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { builtinModules } from "node:module"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const SK = "sk_test_distabcdefghijklmnop1"

let server: RunningServer
beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: false })
})
afterAll(async () => {
  await server?.close()
})

const run = (args: ReadonlyArray<string>): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, [...args], { cwd: root, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(stdout.trim())
    })
  })

// The same program in both module systems: create, retrieve, a local ValidationError, close.
const body = (url: string) => `
  const client = new PaymentFlowClient({ apiKey: "${SK}", baseUrl: "${url}" });
  const created = await client.payments.create({ amount: 1234, currency: "USD" });
  const again = await client.payments.retrieve(created.id);
  let field = "none", isClass = false;
  try { await client.payments.retrieve("nope") } catch (e) { field = e.field; isClass = e instanceof ValidationError }
  await client.close();
  console.log(JSON.stringify({ id: again.id === created.id, amount: again.amount, field, isClass }));
`

describe("the built package", () => {
  it("dist exists (run `pnpm build` first; the root test script does)", () => {
    expect(existsSync(`${root}packages/node/dist/index.cjs`)).toBe(true)
    expect(existsSync(`${root}packages/node/dist/index.js`)).toBe(true)
  })

  it("works from CommonJS require", async () => {
    const out = await run([
      "-e",
      `const { PaymentFlowClient, ValidationError } = require("@paymentflow/node"); (async () => { ${body(server.url)} })().catch((e) => { console.error(e); process.exit(1) })`
    ])
    expect(JSON.parse(out)).toEqual({ id: true, amount: 1234, field: "id", isClass: true })
  })

  it("works from ESM import", async () => {
    const out = await run([
      "--input-type=module",
      "-e",
      `import { PaymentFlowClient, ValidationError } from "@paymentflow/node"; ${body(server.url)}`
    ])
    expect(JSON.parse(out)).toEqual({ id: true, amount: 1234, field: "id", isClass: true })
  })

  for (const [system, args] of [
    ["ESM import", (url: string) => ["--input-type=module", "-e", `import { PaymentFlowClient, ValidationError } from "@paymentflow/node/client"; ${body(url)}`]],
    [
      "CommonJS require",
      (url: string) => [
        "-e",
        `const { PaymentFlowClient, ValidationError } = require("@paymentflow/node/client"); (async () => { ${body(url)} })().catch((e) => { console.error(e); process.exit(1) })`
      ]
    ]
  ] as const) {
    it(`the bundled Promise entry @paymentflow/node/client works from ${system}`, async () => {
      const out = await run(args(server.url))
      expect(JSON.parse(out)).toEqual({ id: true, amount: 1234, field: "id", isClass: true })
    })
  }

  it("the bundled Promise entry is one file with Effect inlined (only undici is imported), and the main entry never loads it", () => {
    for (const file of ["client/client.js", "client/client.cjs"]) {
      const source = readFileSync(`${root}packages/node/dist/${file}`, "utf8")
      const specifiers = [...source.matchAll(/(?:from\s*|import\(|require\()\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1])
      const builtin = (s: string | undefined) => s !== undefined && (s.startsWith("node:") || builtinModules.includes(s))
      expect(specifiers.filter((s) => s !== "undici" && !builtin(s)), file).toEqual([])
    }
    for (const file of ["index.js", "index.cjs"]) {
      expect(readFileSync(`${root}packages/node/dist/${file}`, "utf8"), file).not.toContain("client/client")
    }
  })
})
