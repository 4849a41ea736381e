/**
 * `pnpm docs` renders `openapi.json` as one self-contained HTML page: Redoc's scripts inlined,
 * and a Content-Security-Policy that forbids every load from elsewhere (the page is read
 * offline, on an intranet, or from a file).
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))

describe("pnpm docs:openapi (part of pnpm docs)", () => {
  it("renders every operation into one page that loads nothing from the network", () => {
    const script: unknown = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts?.["docs:openapi"]
    expect(typeof script).toBe("string")
    // what `pnpm docs` runs: its bins on the PATH
    execFileSync("sh", ["-c", String(script)], {
      cwd: root,
      stdio: "pipe",
      env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH ?? ""}` }
    })
    const html = readFileSync(`${root}docs/api.html`, "utf8")
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy"`)
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).not.toMatch(/<link[^>]+href="https?:/)
    for (const summary of ["Cancel a pending payment.", "List customers, newest first.", "Refund all or part of a succeeded payment."]) {
      expect(html).toContain(summary)
    }
    expect(html).toContain("Idempotency-Key")
  }, 60_000)
})
