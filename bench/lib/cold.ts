/**
 * Cold import: wall time from spawning `node` to its exit, for `node -e 0`, an empty ESM script,
 * and scripts that only import a package. The scripts live in `bench/.tmp`, so bare specifiers
 * resolve from the repository root's `node_modules` (the BUILT `@paymentflow/node`).
 */
import { spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { root, tmpDir } from "./child.js"
import { median, now } from "./stats.js"

export interface ColdTarget {
  readonly name: string
  /** The ESM script's source; `undefined` for `node -e 0`. */
  readonly source: string | undefined
}

const startOnce = (args: ReadonlyArray<string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = now()
    const child = spawn(process.execPath, [...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.once("error", reject)
    child.once("exit", (code) => (code === 0 ? resolve(now() - t0) : reject(new Error(`node ${args.join(" ")}: exit ${code}\n${stderr}`))))
  })

/** Median ms per process start for each target, the targets interleaved, one untimed round first. */
export const coldStarts = async <N extends string>(
  targets: ReadonlyArray<ColdTarget & { readonly name: N }>,
  runs: number
): Promise<Map<N, number>> => {
  mkdirSync(`${tmpDir}cold`, { recursive: true })
  const argsOf = targets.map((t) => {
    if (t.source === undefined) return { name: t.name, args: ["-e", "0"] }
    const file = `${tmpDir}cold/${t.name.replace(/[^a-z0-9]+/gi, "-")}.mjs`
    writeFileSync(file, t.source)
    return { name: t.name, args: [file] }
  })
  const samples = new Map<N, Array<number>>(targets.map((t) => [t.name, []]))
  for (let round = -1; round < runs; round++) {
    for (const { name, args } of argsOf) {
      const ms = await startOnce(args)
      if (round >= 0) samples.get(name)?.push(ms)
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]))
}
