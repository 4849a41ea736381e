/**
 * Servers for the browser project, started per call (vitest may run a globalSetup more than
 * once) on random loopback ports; their URLs reach the tests through `provide` / `inject`.
 * Teardown closes every connection, so no keep-alive socket holds the run open.
 */
import { SandboxServer } from "@paymentflow/sandbox/server"
import { createHmac } from "node:crypto"
import type { TestProject } from "vitest/node"
import { buildVectors, type Vector } from "./webhookVectors.js"
import { startWitness } from "./witness.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The sandbox server (CORS on), settling payments before it answers. */
    readonly sandboxUrl: string
    /** The witness server (see `witness.ts`). */
    readonly witnessUrl: string
    /** `[secret, payload, hex]` triples computed with node:crypto, to compare with Web Crypto. */
    readonly hmacVectors: ReadonlyArray<readonly [string, string, string]>
    /** Webhook vectors with core's answers on node:crypto. */
    readonly webhookVectors: ReadonlyArray<Vector>
  }
}

const hmacInputs: ReadonlyArray<readonly [string, string]> = [
  ["whsec_test_secret", "1732406400.{\"id\":\"evt_1\"}"],
  ["whsec_ünïcödé", "1700000000.{\"amount\":2500,\"currency\":\"EUR\",\"description\":\"café ☕\"}"],
  ["whsec_", "0."]
]

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const witness = await startWitness()
  const sandbox = await SandboxServer.start({ processingDelay: 0, rateLimit: false }).catch(async (error: unknown) => {
    await witness.close()
    throw error
  })
  project.provide("sandboxUrl", sandbox.url)
  project.provide("witnessUrl", witness.url)
  project.provide(
    "hmacVectors",
    hmacInputs.map(([secret, payload]) =>
      [secret, payload, createHmac("sha256", Buffer.from(secret, "utf8")).update(payload, "utf8").digest("hex")] as const
    )
  )
  project.provide("webhookVectors", buildVectors())
  return async () => {
    await Promise.all([witness.close(), sandbox.close()])
  }
}
