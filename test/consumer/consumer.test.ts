/**
 * The SDK as a user installs it: every package packed (`pnpm pack`, as `pnpm publish` packs), the
 * tarballs installed with plain npm into a fresh app in the OS temp folder, and there the types
 * checked under four compiler setups, the main flows run (ESM, CJS, Effect) against the sandbox
 * bin from its own tarball, `publint` and `attw` run on every tarball, and a browser app built
 * with Vite. The root `test` script builds before vitest runs.
 *
 * See harness.ts for what is cached between runs (the tools and third-party dependencies, never
 * the tarballs). npm installs reach the registry; everything else stays on 127.0.0.1.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { browserApp, expectedFlows, nodeInBrowserApp, runBundle, runtimeFiles, typeSetups } from "./fixtures.js"
import {
  makeApp,
  packAll,
  PACKAGES,
  type PackageName,
  run,
  type Run,
  runOk,
  type SandboxProcess,
  startSandbox,
  tempDir,
  tools,
  writeFiles
} from "./harness.js"

const SK = "sk_test_consumer0123456789abcd"
/** Per test: type-checking with `skipLibCheck: false` reads all of Effect's declarations. */
const SLOW = 300_000
const SETUPS = Object.keys(typeSetups) as Array<keyof typeof typeSetups>

let temp: ReturnType<typeof tempDir>
let app: string
let tarballs: Record<PackageName, string>
let tool: Awaited<ReturnType<typeof tools>>
let sandbox: SandboxProcess | undefined

beforeAll(async () => {
  const started = Date.now()
  temp = tempDir("paymentflow-consumer-")
  app = join(temp.dir, "app")
  const [packed, t] = await Promise.all([packAll(join(temp.dir, "packs")), tools()])
  tarballs = packed
  tool = t
  await makeApp(app, tarballs)
  writeFiles(app, runtimeFiles)
  for (const setup of Object.values(typeSetups)) writeFiles(join(app, setup.dir), setup.files)
  writeFiles(join(app, "browser"), browserApp)
  writeFiles(join(app, "node-in-browser"), nodeInBrowserApp)
  console.log(`consumer app ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${app}`)
}, 600_000)

afterAll(async () => {
  await sandbox?.stop()
  if (process.env.PAYMENTFLOW_KEEP_CONSUMER === undefined) temp?.remove()
})

describe("the installed packages", () => {
  it("are installed from the tarballs, not linked to the workspace", () => {
    for (const name of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(app, "node_modules", "@paymentflow", name, "package.json"), "utf8"))
      expect(manifest.name).toBe(`@paymentflow/${name}`)
      expect(statSync(join(app, "node_modules", "@paymentflow", name)).isSymbolicLink()).toBe(false)
      // pnpm pack rewrote the workspace protocol
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain("workspace:")
    }
  })

  it.each(PACKAGES)("@paymentflow/%s ships its LICENSE, repository, engines and sideEffects", (name) => {
    const dir = join(app, "node_modules", "@paymentflow", name)
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toMatch(/MIT License[\s\S]*2026 PaymentFlow SDK authors/)
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    expect(manifest.license).toBe("MIT")
    expect(manifest.repository).toEqual({
      type: "git",
      url: "git+https://github.com/paymentflow/paymentflow-typescript.git",
      directory: `packages/${name}`
    })
    expect(manifest.engines).toEqual({ node: ">=20.18.1" })
    if (name === "sandbox") expect(manifest.sideEffects).toEqual(expect.arrayContaining(["./dist/bin.js"]))
    else expect(manifest.sideEffects).toBe(false)
    expect(Object.keys(manifest.exports)).not.toContain("./*")
    expect(manifest.exports["./internal/*"]).toBeNull()
  })

  it("expose no bin, chunk or internal module as an import", async () => {
    const chunkOf = (name: PackageName) => {
      const chunk = readdirSync(join(app, "node_modules", "@paymentflow", name, "dist")).find((f) => /^chunk-.*\.js$/.test(f))
      if (chunk === undefined) throw new Error(`no chunk in @paymentflow/${name}/dist`)
      return chunk
    }
    const specifiers = [
      "@paymentflow/sandbox/bin",
      "@paymentflow/sandbox/bin.js",
      "@paymentflow/sandbox/dist/bin.js",
      `@paymentflow/core/${chunkOf("core").replace(/\.js$/, "")}`,
      `@paymentflow/core/${chunkOf("core")}`,
      `@paymentflow/node/${chunkOf("node").replace(/\.js$/, "")}`,
      "@paymentflow/core/internal/wire",
      "@paymentflow/sandbox/internal/cli"
    ]
    const probe = `
      const out = {}
      for (const s of ${JSON.stringify(specifiers)}) {
        let esm, cjs
        try { await import(s); esm = "loaded" } catch (e) { esm = e.code }
        try { require(s); cjs = "loaded" } catch (e) { cjs = e.code }
        out[s] = [esm, cjs]
      }
      console.log(JSON.stringify(out))
    `
    const out = await runOk(process.execPath, [
      "--input-type=module",
      "-e",
      `import { createRequire } from "node:module"; const require = createRequire(process.cwd() + "/"); ${probe}`
    ], { cwd: app })
    const result = JSON.parse(out) as Record<string, [string, string]>
    for (const s of specifiers) expect([s, ...result[s]!]).toEqual([s, "ERR_PACKAGE_PATH_NOT_EXPORTED", "ERR_PACKAGE_PATH_NOT_EXPORTED"])
  }, SLOW)
})

describe("types, with skipLibCheck false and strict", () => {
  // One tsc per setup, all started at once (each checks all of Effect's .d.ts: the slow part).
  const checks = new Map<string, Promise<Run>>()
  const check = (name: keyof typeof typeSetups) => {
    let started = checks.get(name)
    if (started === undefined) {
      started = run(tool.bin("tsc"), ["-p", "tsconfig.json", "--pretty", "false"], { cwd: join(app, typeSetups[name].dir) })
      checks.set(name, started)
    }
    return started
  }
  beforeAll(() => {
    for (const name of SETUPS) void check(name)
  })

  it.each(SETUPS)("%s: 0 errors and every type assertion holds", async (name) => {
    const result = await check(name)
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("")
    expect(result.code).toBe(0)
  }, SLOW)

  it("the assertions can fail: a wrong expectation is a compile error", async () => {
    const dir = join(app, "types-negative")
    writeFiles(dir, {
      "package.json": JSON.stringify({ type: "module" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: { strict: true, skipLibCheck: true, noEmit: true, module: "node16", moduleResolution: "node16", types: ["node"] },
        files: ["check.ts"]
      }),
      "check.ts": `
        import type { ValidationError } from "@paymentflow/node"
        type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
        function assertType<T extends true>(): T | undefined { return undefined }
        assertType<Equals<ValidationError["field"], number>>()
      `
    })
    const result = await run(tool.bin("tsc"), ["-p", "tsconfig.json", "--pretty", "false"], { cwd: dir })
    expect(result.stdout).toContain("check.ts(5,20): error TS2344")
    expect(result.code).not.toBe(0)
  }, SLOW)
})

describe("the main flows against the sandbox bin from its tarball", () => {
  beforeAll(async () => {
    sandbox = await startSandbox(app)
  }, 60_000)

  const flows = async (file: string, module?: string) => {
    const out = await runOk(process.execPath, [file], {
      cwd: app,
      env: { PF_KEY: SK, PF_URL: sandbox!.url, ...(module === undefined ? {} : { PF_MODULE: module }) },
      timeout: 60_000
    })
    return JSON.parse(out.trim().split("\n").at(-1)!)
  }

  it("the sandbox listens on 127.0.0.1", () => {
    expect(sandbox!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it.each(["@paymentflow/node", "@paymentflow/node/client"])("Promise client from ESM import of %s", async (module) => {
    expect(await flows("flows-esm.mjs", module)).toEqual(expectedFlows)
  }, SLOW)

  it.each(["@paymentflow/node", "@paymentflow/node/client"])("Promise client from CJS require of %s", async (module) => {
    expect(await flows("flows-cjs.cjs", module)).toEqual(expectedFlows)
  }, SLOW)

  it("Effect API on NodePaymentFlow.layer", async () => {
    expect(await flows("flows-effect.mjs")).toEqual(expectedFlows)
  }, SLOW)
})

describe("before sending, and across copies of the classes", () => {
  let out: {
    readonly distinctClasses: number
    readonly instanceOf: Record<string, [boolean, boolean, boolean]>
    readonly malformedId: Record<string, Record<string, unknown>>
    readonly unsetKey: Record<string, [string, string, string]>
  }
  beforeAll(async () => {
    const stdout = await runOk(process.execPath, ["copies.mjs"], { cwd: app, timeout: 60_000 })
    out = JSON.parse(stdout.trim().split("\n").at(-1)!)
  }, SLOW)

  it("an error of any copy (node ESM/CJS, node/client ESM/CJS, core ESM/CJS) is instanceof every copy's class of its tag, and no other", () => {
    // the copies are distinct classes (so this is not trivially true)...
    expect(out.distinctClasses).toBeGreaterThan(0)
    // ...yet instanceof, isPaymentFlowError and _tag agree across all of them
    for (const [pair, result] of Object.entries(out.instanceOf)) expect([pair, ...result]).toEqual([pair, true, false, true])
    expect(Object.keys(out.instanceOf)).toHaveLength(36)
  })

  it("a malformed id is ValidationError field id, no status, from every client (the bundled one is instanceof @paymentflow/node's class)", () => {
    const expected = {
      tag: "ValidationError",
      code: "parameter_invalid",
      field: "id",
      isNodeValidationError: true,
      isNotFoundError: false,
      isPaymentFlowError: true
    }
    expect(Object.keys(out.malformedId)).toEqual(["node ESM", "node CJS", "node/client ESM", "node/client CJS", "node Effect"])
    for (const [client, error] of Object.entries(out.malformedId)) {
      expect([client, error]).toEqual([client, expected])
    }
  })

  it("an unset PAYMENTFLOW_API_KEY throws nowhere: each call fails with api_key_missing", () => {
    for (const [client, [tag, code, shown]] of Object.entries(out.unsetKey)) {
      expect([client, tag, code]).toEqual([client, "AuthenticationError", "api_key_missing"])
      if (shown !== "-") expect(shown).toBe("PaymentFlowClient(***)")
    }
    expect(Object.keys(out.unsetKey)).toHaveLength(5)
  })
})

describe("package linters on every tarball", () => {
  it.each(PACKAGES)("publint @paymentflow/%s: no error or warning", async (name) => {
    const result = await run(tool.bin("publint"), [tarballs[name], "--strict"], { cwd: temp.dir })
    console.log(`publint @paymentflow/${name}:\n${result.stdout}${result.stderr}`)
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(/Errors:|Warnings:/)
  }, SLOW)

  const attw = new Map<PackageName, Promise<Run>>()
  const attwOf = (name: PackageName) => {
    let started = attw.get(name)
    if (started === undefined) {
      started = run(tool.bin("attw"), [tarballs[name], "--format", "table-flipped"], { cwd: temp.dir })
      attw.set(name, started)
    }
    return started
  }
  beforeAll(() => {
    for (const name of PACKAGES) void attwOf(name)
  })

  it.each(PACKAGES)("attw @paymentflow/%s: no problem in any resolution, node10 included", async (name) => {
    const result = await attwOf(name)
    console.log(`attw @paymentflow/${name}:\n${result.stdout}${result.stderr}`)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("No problems found")
  }, SLOW)
})

describe("a browser app", () => {
  it("builds with Vite and no config from @paymentflow/browser", async () => {
    const dir = join(app, "browser")
    await runOk(tool.bin("vite"), ["build", "--logLevel", "warn"], { cwd: dir })
    const assets = join(dir, "dist", "assets")
    const js = readdirSync(assets).filter((f) => f.endsWith(".js"))
    expect(js.length).toBeGreaterThan(0)
    const bytes = js.map((f) => readFileSync(join(assets, f)))
    const raw = bytes.reduce((n, b) => n + b.length, 0)
    const gzip = bytes.reduce((n, b) => n + gzipSync(b).length, 0)
    console.log(`browser app (Vite, @paymentflow/browser): ${(raw / 1024).toFixed(1)} KB, ${(gzip / 1024).toFixed(1)} KB gzip`)
    const code = bytes.map((b) => b.toString()).join("\n")
    expect(code).toContain("pk_test_0123456789abcdef")
    // nothing of Node's made it into the browser bundle
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/)
    expect(existsSync(join(dir, "dist", "index.html"))).toBe(true)
  }, SLOW)
})

describe("@paymentflow/node in a browser build", () => {
  it("Vite resolves it (the browser export condition) to a module that refuses to load and says to import @paymentflow/browser", async () => {
    const dir = join(app, "node-in-browser")
    await runOk(tool.bin("vite"), ["build", "--logLevel", "warn"], { cwd: dir })
    const assets = join(dir, "dist", "assets")
    const js = readdirSync(assets).filter((f) => f.endsWith(".js"))
    const code = js.map((f) => readFileSync(join(assets, f), "utf8")).join("\n")
    // none of the Node client made it in: no undici, no process
    expect(code).not.toMatch(/undici|process\.versions|from\s*["']node:/)
    const ran = await runOk(process.execPath, ["--input-type=module", "-e", runBundle, join(assets, js[0]!)], { cwd: dir })
    expect(JSON.parse(ran.trim())).toEqual({
      loaded: false,
      message: expect.stringContaining("@paymentflow/node is for Node.js; in a browser import @paymentflow/browser")
    })
  }, SLOW)
})
