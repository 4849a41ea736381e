/**
 * The consumer suite's machinery: pack the workspace packages as `pnpm publish` would, install the
 * tarballs with plain npm into a fresh app outside the repository, and run tools there.
 *
 * Two folders are cached between runs, each keyed by a hash of what it holds (so a version change
 * makes a new one): the tools (`typescript`, `vite`, `publint`, `@arethetypeswrong/cli`), run from
 * their folder, and the third-party dependencies an app declares (`effect`, `@effect/platform`, ...),
 * installed once and copied into each fresh app before npm installs the tarballs into it. The
 * tarballs themselves are never cached: every run packs and installs them anew.
 *
 * npm installs are the only network access (the registry); everything else is 127.0.0.1.
 */
import { execFile, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))

/** The workspace packages, in dependency order. */
export const PACKAGES = ["core", "node", "browser", "sandbox"] as const
export type PackageName = (typeof PACKAGES)[number]

/** Tools, run from their cached folder. */
export const TOOLS = {
  "typescript": "~5.9.3",
  "vite": "~7.3.0",
  "publint": "~0.3.25",
  "@arethetypeswrong/cli": "~0.18.2"
} as const

/** What a user's app declares next to the SDK (Effect 3: always a range, npm's latest is Effect 4). */
export const THIRD_PARTY = {
  "effect": "^3.22.4",
  "@effect/platform": "^0.97.1",
  "@effect/platform-node": "^0.108.2",
  "undici": "^7.16.0",
  "@types/node": "^20.19.0"
} as const

const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]
const CACHE = join(tmpdir(), "paymentflow-consumer-cache")

export interface Run {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

/** Runs a command to its end; never rejects (the caller asserts on `code`). */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly timeout?: number }
): Promise<Run> =>
  new Promise((resolve) => {
    execFile(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeout ?? 300_000,
      maxBuffer: 64 * 1024 * 1024
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      resolve({ stdout: stdout.toString(), stderr: stderr.toString(), code })
    })
  })

/** Runs a command and fails with its output when it exits non-zero. */
export const runOk = async (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly timeout?: number }
): Promise<string> => {
  const result = await run(command, args, options)
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${options.cwd}) exited ${result.code}\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

const hash = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16)

/**
 * A folder holding `dependencies` installed by npm, made once per set of versions (built under a
 * temporary name and renamed, so an interrupted install is never taken for a finished one).
 */
const cachedInstall = async (kind: string, dependencies: Record<string, string>): Promise<string> => {
  const dir = join(CACHE, `${kind}-${hash({ dependencies, node: process.versions.node.split(".")[0] })}`)
  if (existsSync(join(dir, "node_modules", ".consumer-ready"))) return dir
  mkdirSync(CACHE, { recursive: true })
  const building = mkdtempSync(join(CACHE, `${kind}-building-`))
  writeFileSync(join(building, "package.json"), JSON.stringify({ name: `consumer-${kind}`, private: true, dependencies }, null, 2))
  await runOk("npm", ["install", ...NPM_FLAGS], { cwd: building })
  writeFileSync(join(building, "node_modules", ".consumer-ready"), "")
  try {
    renameSync(building, dir)
  } catch {
    // another run finished the same folder first: use it
    rmSync(building, { recursive: true, force: true })
  }
  return dir
}

/** The cached tools folder; its binaries are in `bin`. */
export const tools = async (): Promise<{ readonly dir: string; readonly bin: (name: string) => string }> => {
  const dir = await cachedInstall("tools", TOOLS)
  return { dir, bin: (name) => join(dir, "node_modules", ".bin", name) }
}

/** Packs every package with pnpm (which rewrites `workspace:^` as `pnpm publish` does) into `dest`. */
export const packAll = async (dest: string): Promise<Record<PackageName, string>> => {
  mkdirSync(dest, { recursive: true })
  await runOk("npx", ["--yes", "pnpm@10", "-r", "--filter", "./packages/*", "pack", "--pack-destination", dest], {
    cwd: root,
    env: { npm_config_yes: "true" }
  })
  const files = readdirSync(dest)
  const out = {} as Record<PackageName, string>
  for (const name of PACKAGES) {
    const file = files.find((f) => f.startsWith(`paymentflow-${name}-`) && f.endsWith(".tgz"))
    if (file === undefined) throw new Error(`pnpm pack made no tarball for @paymentflow/${name} in ${dest}: ${files.join(", ")}`)
    out[name] = join(dest, file)
  }
  return out
}

/**
 * A fresh app at `dir`: the cached third-party dependencies copied in, then the tarballs installed
 * by `npm install` (plain npm, as a user would), so `package.json` lists them as `file:` deps.
 */
export const makeApp = async (dir: string, tarballs: Record<PackageName, string>): Promise<void> => {
  const deps = await cachedInstall("deps", THIRD_PARTY)
  mkdirSync(dir, { recursive: true })
  cpSync(join(deps, "node_modules"), join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true })
  cpSync(join(deps, "package-lock.json"), join(dir, "package-lock.json"))
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer-app", version: "1.0.0", private: true, dependencies: THIRD_PARTY }, null, 2)
  )
  await runOk("npm", ["install", ...NPM_FLAGS, ...PACKAGES.map((name) => tarballs[name])], { cwd: dir })
}

/** A temporary folder outside the repository, removed by the returned function. */
export const tempDir = (prefix: string): { readonly dir: string; readonly remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes `files` (path relative to `dir` -> content), making folders as needed. */
export const writeFiles = (dir: string, files: Record<string, string>): void => {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path)
    mkdirSync(join(full, ".."), { recursive: true })
    writeFileSync(full, content)
  }
}

export interface SandboxProcess {
  readonly url: string
  readonly stop: () => Promise<void>
}

/**
 * Starts the installed `paymentflow-sandbox` bin (from the sandbox tarball) on 127.0.0.1 and a free
 * port (`--port 0`), and resolves with the URL it prints once listening.
 */
export const startSandbox = (appDir: string): Promise<SandboxProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(join(appDir, "node_modules", ".bin", "paymentflow-sandbox"), [
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--rate-limit",
      "off"
    ], { cwd: appDir, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the sandbox bin did not say it was listening within 30 s\n${out}\n${err}`))
    }, 30_000)
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the sandbox bin exited ${code} before listening\n${out}\n${err}`))
    })
  })
