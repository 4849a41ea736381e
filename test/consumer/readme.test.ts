/**
 * The READMEs' snippets, pasted into a fresh app as written: every code block marked
 * `<!-- snippet: NAME -->` in README.md and packages/*\/README.md is written as is into an app that
 * installed the packed tarballs with npm (harness.ts), type-checked with the app's strict
 * tsconfig (`skipLibCheck: false`), and — those that run on Node — run with node against the
 * installed `paymentflow-sandbox` bin on 127.0.0.1. The one thing replaced is the sandbox's
 * address: the snippets read `PAYMENTFLOW_BASE_URL` (default `http://127.0.0.1:12111`, the bin's
 * port), and the test sets it to the port the bin got.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { typeSetups } from "./fixtures.js"
import {
  makeApp,
  packAll,
  root,
  run,
  runOk,
  type SandboxProcess,
  startSandbox,
  tempDir,
  tools,
  writeFiles
} from "./harness.js"

/** A marked snippet: the HTML comment, then (after blank lines) a ```ts fence. */
const SNIPPET = /<!-- snippet: ([a-z0-9-]+) -->\s*\n```ts\n([\s\S]*?)\n```/g

const readmes = ["README.md", ...readdirSync(join(root, "packages")).map((name) => join("packages", name, "README.md"))]

const snippets = (markdown: string): ReadonlyArray<{ readonly name: string; readonly code: string }> =>
  [...markdown.matchAll(SNIPPET)].map((match) => ({ name: match[1]!, code: match[2]! }))

const all = readmes.flatMap((file) => snippets(readFileSync(join(root, file), "utf8")).map((s) => ({ ...s, file })))

/** The snippets that run on Node, and a line each prints when it works as its comments say. */
const RUNS: Record<string, ReadonlyArray<RegExp>> = {
  "quickstart-promise": [/^refund_exceeds_payment amount$/m, /^pay_\w+ (succeeded|processing)$/m],
  "quickstart-effect": [/^failed card_declined$/m],
  "core-effect": [/^pay_\w+ pending$/m],
  "node-effect": [/^pay_\w+$/m],
  "node-promise": [/^pay_\w+ pending$/m, /^amount /m],
  "sandbox": [/^1$/m, /^http:\/\/127\.0\.0\.1:\d+$/m]
}
/** Type-checked only: they run in a page (`document`, a hard-coded loopback URL). */
const TYPE_ONLY = ["browser-promise", "browser-effect"]

const SK = "sk_test_readme0123456789abcd"

let temp: ReturnType<typeof tempDir>
let app: string
let sandbox: SandboxProcess | undefined

beforeAll(async () => {
  temp = tempDir("paymentflow-readme-")
  app = join(temp.dir, "app")
  const [tarballs] = await Promise.all([packAll(join(temp.dir, "packs")), tools()])
  await makeApp(app, tarballs)
  // the app's strict tsconfig (node16 ESM, skipLibCheck false), emitting JavaScript to run
  const base = JSON.parse(typeSetups["node16 ESM"].files["tsconfig.json"])
  const files: Record<string, string> = {
    "readme/package.json": JSON.stringify({ type: "module" }),
    "readme/tsconfig.json": JSON.stringify({
      compilerOptions: { ...base.compilerOptions, noEmit: false, outDir: "out", lib: ["ES2022", "DOM", "DOM.Iterable"] },
      files: all.map((s) => `${s.name}.ts`)
    })
  }
  for (const s of all) files[`readme/${s.name}.ts`] = s.code
  writeFiles(app, files)
  sandbox = await startSandbox(app)
}, 600_000)

afterAll(async () => {
  await sandbox?.stop()
  if (process.env.PAYMENTFLOW_KEEP_CONSUMER === undefined) temp?.remove()
})

describe("the READMEs' snippets, pasted into a fresh app", () => {
  it("are all marked, one name each", () => {
    const names = all.map((s) => s.name)
    expect(new Set(names).size).toBe(names.length)
    expect([...names].sort()).toEqual([...Object.keys(RUNS), ...TYPE_ONLY].sort())
  })

  it("compile under the app's strict tsconfig (skipLibCheck: false)", async () => {
    const { bin } = await tools()
    const result = await run(bin("tsc"), ["-p", "tsconfig.json"], { cwd: join(app, "readme") })
    expect(result.stdout + result.stderr).toBe("")
    expect(result.code).toBe(0)
  }, 300_000)

  it.each(Object.keys(RUNS))("%s runs with node against the sandbox bin", async (name) => {
    const out = await runOk("node", [join("out", `${name}.js`)], {
      cwd: join(app, "readme"),
      env: { PAYMENTFLOW_BASE_URL: sandbox!.url, PAYMENTFLOW_API_KEY: SK },
      timeout: 60_000
    })
    for (const line of RUNS[name]!) expect(out).toMatch(line)
  }, 120_000)
})
