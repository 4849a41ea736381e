/**
 * `npx pnpm@10 example:fleet` as documented: three processes, one budget, one inbox, against the
 * sandbox CLI and a redis-server; it prints one row per process and exits 0 only when every event
 * was fulfilled exactly once and no create got a 429. Bounded (8 creates per process, a deadline).
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { redisSkipReason } from "./redisServer.js"

const root = fileURLToPath(new URL("../../", import.meta.url))
const skip = redisSkipReason()

describe.skipIf(skip !== undefined)("examples/fleet", () => {
  it("three processes: every event fulfilled exactly once, no 429, per-process counts printed", async () => {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "examples/fleet/main.ts"], {
        cwd: root,
        env: { ...process.env, FLEET_CREATES: "8" },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let out = ""
      child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")))
      child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")))
      const timer = setTimeout(() => child.kill("SIGKILL"), 80_000)
      child.once("exit", (code) => {
        clearTimeout(timer)
        resolve({ code, out })
      })
    })
    console.info(out)
    expect(code).toBe(0)
    expect(out).toMatch(/^p1\s+8\s+0\s+\d+/m)
    expect(out).toMatch(/^p2\s+8\s+0\s+\d+/m)
    expect(out).toMatch(/^p3\s+8\s+0\s+\d+/m)
    expect(out).toContain("24 events, 72 deliveries (3 per event): 24 fulfilled exactly once, 0 more than once")
  }, 90_000)
})
