/**
 * Every package's `exports` lists exactly its public modules (`src/*.ts`), each with ESM and CJS
 * files and types, and `typesVersions` (for node10 resolution) lists the same subpaths. A module
 * added without an entry, or an entry left after its module was removed, fails here (fast, no
 * build); consumer.test.ts checks the same entries in the packed tarballs.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { PACKAGES, root } from "./harness.js"

/**
 * Modules of `src/` that are not entry points of their own: the root, the sandbox's command, and
 * the sandbox's Node server module, published as `@paymentflow/sandbox/server` (`server.ts`).
 */
const NOT_ENTRIES: Record<string, ReadonlyArray<string>> = { sandbox: ["bin", "SandboxServer"] }

describe.each(PACKAGES)("@paymentflow/%s package.json", (name) => {
  const dir = join(root, "packages", name)
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const modules = readdirSync(join(dir, "src"))
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => f.slice(0, -3))
    .filter((m) => !(NOT_ENTRIES[name] ?? []).includes(m))
    .sort()
  const subpaths = Object.keys(manifest.exports).filter((k) => k !== "." && k !== "./package.json" && k !== "./internal/*")

  it("exports each module of src/ and nothing else, with no wildcard", () => {
    expect(subpaths.map((k) => k.slice(2)).sort()).toEqual(modules)
    expect(manifest.exports["./internal/*"]).toBeNull()
  })

  it("gives every entry ESM and CJS code and types", () => {
    for (const key of [".", ...subpaths]) {
      const entry = manifest.exports[key]
      // @paymentflow/node's entries first send a browser build to a module that refuses to load
      // (see packages/node/scripts/browser-entry.mjs); the condition must come first to win.
      expect(Object.keys(entry), key).toEqual(name === "node" ? ["browser", "import", "require"] : ["import", "require"])
      // (its types stay the entry's own: publint asks for types under every condition)
      if (name === "node") expect(entry.browser, key).toEqual({ types: entry.import.types, default: "./dist/browser.js" })
      expect(entry.import.types, key).toMatch(/^\.\/dist\/.+\.d\.ts$/)
      expect(entry.import.default, key).toMatch(/^\.\/dist\/.+\.js$/)
      expect(entry.require.types, key).toMatch(/^\.\/dist\/.+\.d\.cts$/)
      expect(entry.require.default, key).toMatch(/^\.\/dist\/.+\.cjs$/)
    }
  })

  it("maps the same subpaths in typesVersions, for node10 resolution", () => {
    const mapped = manifest.typesVersions["*"]
    expect(Object.keys(mapped).sort()).toEqual(subpaths.map((k) => k.slice(2)).sort())
    for (const key of subpaths) expect(mapped[key.slice(2)]).toEqual([manifest.exports[key].import.types])
  })
})
