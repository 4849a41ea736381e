/**
 * Child processes of the benchmark. Every section that times SDK code runs in its own plain
 * Node process (a fresh heap and JIT, `--expose-gc` where needed). Its script is bundled first
 * by esbuild with every package left external, so `@paymentflow/*`, `effect`, `stripe` and
 * `undici` resolve through `node_modules` to the BUILT packages, as users get them, and no
 * TypeScript loader (tsx turns source maps on, which slows every stack capture) runs in the
 * timed process. Inputs go in as one JSON argument, results come back as the last JSON line on
 * stdout, decoded with a Schema.
 *
 * Every child is killed when the parent exits, and servers also exit by themselves when the
 * parent's end of their stdin closes.
 */
import * as Schema from "effect/Schema"
import * as esbuild from "esbuild"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))
export const benchDir = `${root}bench/`
/** Scratch space (git-ignored): bundled child scripts, cold-import scripts, profiles. */
export const tmpDir = `${benchDir}.tmp/`

const compiled = new Map<string, Promise<string>>()
/** Bundles `bench/<file>` (packages external) to `bench/.tmp/children/`, once per run. */
const compile = (file: string): Promise<string> => {
  let out = compiled.get(file)
  if (out === undefined) {
    const outfile = `${tmpDir}children/${file.replace(/[/\\]/g, "_").replace(/\.ts$/, ".mjs")}`
    out = esbuild.build({
      entryPoints: [`${benchDir}${file}`],
      outfile,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      // Not the repository's tsconfig: its `paths` map `@paymentflow/*` to the sources, which
      // esbuild would then bundle instead of leaving the built packages external.
      tsconfigRaw: {},
      logLevel: "silent"
    }).then(() => outfile)
    compiled.set(file, out)
  }
  return out
}

const children = new Set<ChildProcess>()
let hooked = false
const hookExit = () => {
  if (hooked) return
  hooked = true
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  }
  process.on("exit", killAll)
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll()
      process.exit(130)
    })
  }
}

const launch = async (file: string, input: unknown, nodeArgs: ReadonlyArray<string>): Promise<ChildProcess> => {
  const script = await compile(file)
  hookExit()
  const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(input)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "pipe"]
  })
  children.add(child)
  child.once("exit", () => children.delete(child))
  return child
}

const lastJsonLine = (stdout: string): unknown => {
  const lines = stdout.trim().split("\n")
  const last = lines[lines.length - 1]
  if (last === undefined || last === "") throw new Error("the child printed nothing")
  return JSON.parse(last)
}

/** Runs a section script to completion and decodes its result. */
export const runSection = <A, I>(
  file: string,
  input: unknown,
  schema: Schema.Schema<A, I>,
  options?: { readonly nodeArgs?: ReadonlyArray<string>; readonly timeoutMs?: number }
): Promise<A> =>
  launch(file, input, options?.nodeArgs ?? []).then((child) => new Promise((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), options?.timeoutMs ?? 600_000)
    child.once("error", reject)
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      if (code !== 0) {
        reject(new Error(`bench/${file} exited with ${code ?? signal}\n${stderr}`))
        return
      }
      try {
        resolve(Schema.decodeUnknownSync(schema)(lastJsonLine(stdout)))
      } catch (error) {
        reject(new Error(`bench/${file}: unreadable result: ${String(error)}\n${stdout}\n${stderr}`))
      }
    })
  }))

/** A server child: the port it printed, and how to stop it. */
export interface ServerChild {
  readonly port: number
  readonly close: () => Promise<void>
}

const Ready = Schema.Struct({ port: Schema.Int })

/** Starts a server script, which prints `{"port":…}` once it listens on 127.0.0.1. */
export const startServer = (file: string, input: unknown): Promise<ServerChild> =>
  launch(file, input, []).then((child) => new Promise((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    const onExit = (code: number | null) => reject(new Error(`bench/${file} exited early with ${code}\n${stderr}`))
    child.once("exit", onExit)
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d
      const newline = stdout.indexOf("\n")
      if (newline === -1) return
      child.off("exit", onExit)
      try {
        const { port } = Schema.decodeUnknownSync(Ready)(JSON.parse(stdout.slice(0, newline)))
        resolve({
          port,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              child.once("exit", () => done())
              child.stdin?.end()
              setTimeout(() => child.kill("SIGKILL"), 2000).unref()
            })
        })
      } catch (error) {
        child.kill("SIGKILL")
        reject(error)
      }
    })
  }))

/** In a child: its JSON input, decoded. */
export const readInput = <A, I>(schema: Schema.Schema<A, I>): A =>
  Schema.decodeUnknownSync(schema)(JSON.parse(process.argv[2] ?? "{}"))

/** In a child: prints the result as the last line and exits. */
export const writeOutput = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/** In a server child: exit when the parent closes our stdin (or dies). */
export const exitWithParent = (onExit: () => void): void => {
  process.stdin.resume()
  process.stdin.on("end", onExit)
  process.stdin.on("close", onExit)
}
