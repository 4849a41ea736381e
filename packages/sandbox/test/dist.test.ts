/**
 * The BUILT package's entries (the root `test` script builds first): the in-process entry must not
 * load `@effect/platform-node` (an optional peer, needed only by `@paymentflow/sandbox/server`),
 * and `exports` publishes only the named entries (no `bin`, no bundler chunks).
 */
import { describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const pkg = fileURLToPath(new URL("..", import.meta.url))
const dist = join(pkg, "dist")

/** Every bare specifier a built file reaches through its relative imports (chunks included). */
const bareImports = (entry: string): Set<string> => {
  const seen = new Set<string>()
  const bare = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, "utf8")
    const specifiers = [
      ...source.matchAll(/\bfrom\s*["']([^"']+)["']/g),
      ...source.matchAll(/\bimport\s*\(?\s*["']([^"']+)["']/g),
      ...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)
    ].map((m) => m[1]!)
    for (const specifier of specifiers) {
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier))
      else bare.add(specifier)
    }
  }
  visit(join(dist, entry))
  return bare
}

const fromPlatformNode = (imports: Set<string>) => [...imports].filter((s) => s.startsWith("@effect/platform-node"))

describe("the built @paymentflow/sandbox", () => {
  it("dist exists (run `pnpm build` first; the root test script does)", () => {
    expect(existsSync(join(dist, "index.js"))).toBe(true)
    expect(existsSync(join(dist, "index.cjs"))).toBe(true)
  })

  it.each(["index.js", "index.cjs"])("%s (the in-process layer) never imports @effect/platform-node", (entry) => {
    const imports = bareImports(entry)
    expect(imports.size).toBeGreaterThan(0)
    expect(fromPlatformNode(imports)).toEqual([])
  })

  it.each(["server.js", "server.cjs"])("%s (the Node server) is the entry that needs it", (entry) => {
    expect(fromPlatformNode(bareImports(entry)).length).toBeGreaterThan(0)
  })

  it("package.json: explicit entries only, @effect/platform-node an optional peer", () => {
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"))
    expect(Object.keys(manifest.exports)).toEqual([
      "./package.json", ".", "./server", "./HttpApi", "./Sandbox", "./SandboxOptions", "./WebhookDelivery", "./PaymentFlowTest", "./SandboxControl", "./msw", "./internal/*"
    ])
    expect(manifest.peerDependenciesMeta["@effect/platform-node"]).toEqual({ optional: true })
    expect(manifest.bin["paymentflow-sandbox"]).toBe("./dist/bin.js")
  })
})
