/**
 * A generated client compiles and runs: `openapi-typescript` turns `openapi.json` into
 * `generated/openapi.d.ts` (not checked in), `tsc` type-checks the `openapi-fetch` flows in
 * `generated/flows.ts` against it (`limit: 2` as a number, typed headers), and the flows run
 * against a sandbox server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))
const bin = (name: string) => `${root}node_modules/.bin/${name}`
const SK = "sk_test_abcdefghijklmnop1234"

let server: RunningServer
beforeAll(async () => {
  server = await SandboxServer.start({ rateLimit: 100_000 })
})
afterAll(() => server.close())

describe("a client generated from openapi.json", () => {
  it("compiles (openapi-typescript, then tsc over the openapi-fetch flows)", () => {
    execFileSync(bin("openapi-typescript"), ["openapi.json", "-o", "test/contract/generated/openapi.d.ts"], { cwd: root, stdio: "pipe" })
    // throws with tsc's diagnostics on any type error, including an unused @ts-expect-error
    execFileSync(bin("tsc"), ["-p", "test/contract/generated/tsconfig.json"], { cwd: root, stdio: "pipe" })
  }, 60_000)

  it("runs the flows against the sandbox server", async () => {
    // A path the root type-check does not follow: flows.ts is checked by its own tsconfig above,
    // against the generated openapi.d.ts, which a fresh clone has only once this suite made it.
    const flows: string = "./generated/flows.js"
    const { run } = await import(flows) as { readonly run: (url: string, key: string) => Promise<unknown> }
    const summary = await run(server.url, SK)
    expect(summary).toEqual({
      statuses: [200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 400, 200],
      paymentStatus: "succeeded",
      listed: 1,
      cancelled: "cancelled",
      refunded: 1,
      replayed: "true",
      notFoundCode: "resource_missing",
      validationCode: "parameter_invalid"
    })
  })
})
