/**
 * `pnpm run docs:api` (part of `pnpm run docs`; a bare `pnpm docs` is pnpm's own command) runs
 * `@effect/docgen` in every package: it fails on an export without `@since`, and it type-checks
 * every `@example` with tsc and runs it with tsx (against the in-process sandbox or a loopback
 * `SandboxServer`). Running it here, in CI, keeps
 * the reference generated and its examples compiling: an example that stops compiling or
 * throws fails this test.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))
const PACKAGES = ["core", "node", "browser", "sandbox"] as const

interface Result {
  readonly code: number
  readonly output: string
}

/** What `pnpm docs:api` runs in one package folder: its bins (docgen, tsc, tsx) on the PATH. */
const docgen = (name: string): Promise<Result> =>
  new Promise((resolve) => {
    execFile(join(root, "node_modules/.bin/docgen"), [], {
      cwd: join(root, "packages", name),
      env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH ?? ""}` },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      resolve({ code, output: `${stdout.toString()}${stderr.toString()}` })
    })
  })

/** The modules docgen documents: `src/*.ts` minus the ones its `docgen.json` excludes. */
const documented = (name: string): ReadonlyArray<string> => {
  const config: { readonly exclude?: ReadonlyArray<string> } = JSON.parse(
    readFileSync(join(root, "packages", name, "docgen.json"), "utf8")
  )
  const excluded = new Set((config.exclude ?? []).filter((glob) => !glob.includes("*")))
  return readdirSync(join(root, "packages", name, "src"))
    .filter((file) => file.endsWith(".ts") && !excluded.has(`src/${file}`))
}

describe("pnpm docs:api", () => {
  it("generates every package's reference; every @example compiles and runs", async () => {
    const started = Date.now()
    const results = await Promise.all(PACKAGES.map(async (name) => [name, await docgen(name)] as const))
    console.log(`docgen for ${PACKAGES.length} packages in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    let examples = 0
    for (const [name, result] of results) {
      expect({ name, code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ name, code: 0, output: "" })
      expect(result.output).toContain("Docs generation succeeded!")
      // docgen ran the examples (runExamples is on unless `--no-run-examples`)
      const found = /(\d+) example\(s\) found/.exec(result.output)
      expect(found, `${name}: docgen did not check examples\n${result.output}`).not.toBeNull()
      examples += Number(found?.[1] ?? 0)
      for (const file of documented(name)) {
        expect(existsSync(join(root, "packages", name, "docs", "modules", `${file}.md`)), `${name}/${file}`).toBe(true)
      }
    }
    // PaymentFlow, PaymentFlowClient (core, node, browser), Webhook.constructEvent,
    // WebhookReceiver.make, NodePaymentFlow.layerConfig, BrowserPaymentFlow, Sandbox
    expect(examples).toBeGreaterThanOrEqual(9)
  }, 300_000)

  it("is part of pnpm docs, beside the OpenAPI page", () => {
    const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts
    expect(scripts["docs"]).toContain("docs:api")
    expect(scripts["docs"]).toContain("docs:openapi")
    expect(scripts["docs:api"]).toContain("docgen")
  })
})
