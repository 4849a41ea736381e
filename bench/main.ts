/**
 * `pnpm bench` (after `pnpm build`): every figure beside its baseline, measured in one run.
 * Prints the table; writes `bench/RESULTS.md` and `bench/results.svg`.
 *
 * `--quick` (or `PAYMENTFLOW_BENCH_QUICK=1`) runs tiny counts and writes nothing — what the
 * smoke test does.
 */
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { benchDir, root } from "./lib/child.js"
import { markdownTable, resultsMarkdown, svgChart } from "./report.js"
import { fullCounts, quickCounts, runBench, SECTIONS, type SectionName } from "./run.js"

const quick = process.argv.includes("--quick") || process.env["PAYMENTFLOW_BENCH_QUICK"] === "1"
/** `--only=requests,cold`: just those sections, full counts, and nothing written. */
const onlyArg = process.argv.find((arg) => arg.startsWith("--only="))
const isSection = (name: string): name is SectionName => SECTIONS.some((s) => s === name)
const only: ReadonlyArray<SectionName> | undefined = onlyArg === undefined
  ? undefined
  : onlyArg.slice("--only=".length).split(",").map((name) => {
    if (!isSection(name)) {
      console.error(`unknown section ${name}: one of ${SECTIONS.join(", ")}`)
      process.exit(1)
    }
    return name
  })

for (const pkg of ["core", "node", "sandbox"]) {
  if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) {
    console.error(`packages/${pkg}/dist is missing: run \`npx pnpm@10 build\` first (\`pnpm bench\` does).`)
    process.exit(1)
  }
}

const versionOf = (name: string): string => {
  const paths = [`${root}node_modules/${name}/package.json`, `${root}packages/node/node_modules/${name}/package.json`]
  for (const path of paths) {
    if (existsSync(path)) {
      const parsed: unknown = JSON.parse(readFileSync(path, "utf8"))
      if (typeof parsed === "object" && parsed !== null && "version" in parsed && typeof parsed.version === "string") return parsed.version
    }
  }
  return "?"
}

const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim()
  } catch {
    return "?"
  }
})()

const started = Date.now()
const results = await runBench(quick ? quickCounts : fullCounts, (line) => console.error(`[bench] ${line}`), only)
const table = markdownTable(results)
console.log(table)
for (const note of results.notes) console.log(`\n${note}`)

if (!quick && only === undefined) {
  const cpus = os.cpus()
  const environment = [
    `Node ${process.version} (${process.platform} ${process.arch}), ${cpus.length} × ${cpus[0]?.model ?? "?"}, ${new Date().toISOString().slice(0, 10)}, commit ${commit}`,
    `@paymentflow/core, node, browser, sandbox ${versionOf("@paymentflow/core")} (built by \`pnpm build\`); effect ${versionOf("effect")}, ` +
    `@effect/platform ${versionOf("@effect/platform")}, undici ${versionOf("undici")}, stripe ${versionOf("stripe")}, esbuild ${versionOf("esbuild")}`,
    `Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s`
  ]
  writeFileSync(`${benchDir}RESULTS.md`, resultsMarkdown(results, environment, "npx pnpm@10 bench"))
  writeFileSync(`${benchDir}results.svg`, svgChart(results, `PaymentFlow SDK benchmarks — Node ${process.version}, commit ${commit}`))
  console.error(`[bench] wrote bench/RESULTS.md and bench/results.svg (${((Date.now() - started) / 1000).toFixed(0)} s)`)
}
