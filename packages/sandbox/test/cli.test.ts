/**
 * The command line: argument parsing, and the real `bin.ts` printing its address and stopping
 * cleanly on SIGTERM.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as Net from "node:net"
import { fileURLToPath } from "node:url"
import { commandName, parseArgs, UsageError } from "../src/internal/cli.js"

describe("parseArgs", () => {
  it("defaults: 127.0.0.1:12111, no delays, 100/min, no faults", () => {
    expect(parseArgs([])).toEqual({
      _tag: "Serve",
      options: { port: 12111, host: "127.0.0.1", processingDelay: 0, refundDelay: 0, rateLimit: 100, rateLimitWindow: 60_000, faults: false, webhooks: [] }
    })
  })

  it("every flag, in both --flag value and --flag=value forms", () => {
    const parsed = parseArgs([
      "--port", "0", "--host=::1", "--processing-delay-ms", "1500", "--refund-delay-ms=20", "--rate-limit", "off", "--rate-limit-window-ms=5000", "--faults",
      "--webhook", "http://127.0.0.1:9/hook?x=1=whsec_abc", "--webhook=https://example.com/h=whsec_def",
      "--api-key", "sk_test_1234567890abcdef", "--api-key=pk_test_1234567890abcdef"
    ])
    expect(parsed).toEqual({
      _tag: "Serve",
      options: {
        port: 0,
        host: "::1",
        processingDelay: 1500,
        refundDelay: 20,
        rateLimit: false,
        rateLimitWindow: 5000,
        faults: true,
        webhooks: [{ url: "http://127.0.0.1:9/hook?x=1", secret: "whsec_abc" }, { url: "https://example.com/h", secret: "whsec_def" }],
        apiKeys: ["sk_test_1234567890abcdef", "pk_test_1234567890abcdef"]
      }
    })
    expect(parseArgs(["--rate-limit", "7"])).toMatchObject({ options: { rateLimit: 7 } })
    expect(parseArgs(["--help"])).toEqual({ _tag: "Help" })
    expect(parseArgs(["--print-openapi"])).toEqual({ _tag: "OpenApi" })
    expect(parseArgs(["--print-openapi", "--version", "2025-06-01"])).toEqual({ _tag: "OpenApi", version: "2025-06-01" })
    expect(parseArgs(["--write-openapi", "out"])).toEqual({ _tag: "WriteOpenApi", dir: "out" })
  })

  it.each([
    [["--port", "70000"]], [["--port"]], [["--port", "--faults"]], [["--rate-limit", "0"]], [["--rate-limit", "lots"]], [["--rate-limit-window-ms", "999"]],
    [["--processing-delay-ms", "-1"]], [["--webhook", "not-a-url=whsec_x"]], [["--webhook", "http://127.0.0.1/h=secret"]],
    [["--api-key", "sk_live_1234567890abcdef"]], [["--faults=yes"]], [["--what"]], [["serve"]],
    [["--print-openapi", "--version", "1999-01-01"]], [["--version", "2025-06-01"]]
  ])("%j is a usage error", (argv) => {
    expect(() => parseArgs(argv)).toThrow(UsageError)
  })
})

describe("bin.ts", () => {
  const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))

  it("prints exactly its address (a free port with --port 0) and exits 0 on SIGTERM; bad flags exit 2", async () => {
    const child = spawn(tsx, [bin, "--port", "0", "--host", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] })
    const line = await new Promise<string>((resolve, reject) => {
      let out = ""
      child.stdout.setEncoding("utf8")
      child.stdout.on("data", (c: string) => {
        out += c
        if (out.includes("\n")) resolve(out)
      })
      child.on("exit", (code) => reject(new Error(`exited ${code} before listening`)))
    })
    const match = /^PaymentFlow sandbox listening on http:\/\/127\.0\.0\.1:(\d+)\n$/.exec(line)
    expect(match).not.toBeNull()
    expect(Number(match?.[1])).toBeGreaterThan(0)
    const reply = await fetch(`http://127.0.0.1:${match?.[1]}/v1/customers`, { headers: { Authorization: "Bearer sk_test_1234567890abcdef" } })
    expect(reply.status).toBe(200)
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    child.kill("SIGTERM")
    expect(await exit).toBe(0)

    const bad = spawn(tsx, [bin, "--bogus"], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    bad.stderr.setEncoding("utf8")
    bad.stderr.on("data", (c: string) => (stderr += c))
    expect(await new Promise<number | null>((resolve) => bad.on("exit", (code) => resolve(code)))).toBe(2)
    expect(stderr).toContain("unknown option '--bogus'")
    // two tsx start-ups in child processes: seconds each on a loaded CI machine
  }, 90_000)
})

describe("the command's name in its messages", () => {
  it("is the bin's name unless run as this repository's `pnpm sandbox` script", () => {
    expect(commandName({})).toBe("paymentflow-sandbox")
    expect(commandName({ npm_lifecycle_event: "sandbox", npm_lifecycle_script: "tsx packages/sandbox/src/bin.ts" })).toBe("pnpm sandbox")
    // a user's own `sandbox` script that runs the installed bin
    expect(commandName({ npm_lifecycle_event: "sandbox", npm_lifecycle_script: "paymentflow-sandbox --port 0" })).toBe("paymentflow-sandbox")
  })
})

describe("bin.ts as the installed bin", () => {
  const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))
  // what a user's shell gives it: no package-manager script variables
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")))
  const runBin = (args: ReadonlyArray<string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(tsx, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env })
      let stdout = ""
      let stderr = ""
      child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c))
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c))
      child.on("exit", (code) => resolve({ code, stdout, stderr }))
    })

  it("--help names the bin, not `pnpm sandbox`", async () => {
    const { code, stdout } = await runBin(["--help"])
    expect(code).toBe(0)
    expect(stdout.startsWith("Usage: paymentflow-sandbox [options]\n")).toBe(true)
    expect(stdout).not.toContain("pnpm")
  })

  it("a busy port: exit 1 and `port N is in use`", async () => {
    const taken = Net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    const address = taken.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    try {
      const { code, stderr, stdout } = await runBin(["--port", String(port)])
      expect(code).toBe(1)
      expect(stdout).toBe("")
      expect(stderr).toContain(`paymentflow-sandbox: port ${port} is in use`)
      expect(stderr).not.toContain("An error has occurred")
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()))
    }
  })
})
