/**
 * Servers for the browser project, started per call (vitest may run a globalSetup more than
 * once) on random loopback ports; their URLs reach the tests through `provide` / `inject`.
 * Teardown closes every connection, so no keep-alive socket holds the run open.
 *
 * It is also the merchant's server of the suite: it creates the payments the pages confirm, with
 * a secret key (in Node: the key never reaches the browser), and hands each page only the
 * payment's id and `client_secret`, as a real checkout does.
 */
import { PaymentFlowClient } from "@paymentflow/node"
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
    /** Pending payments created with the secret key, by name (see {@link PAYMENTS}): what a page gets. */
    readonly payments: Readonly<Record<string, { readonly id: string; readonly clientSecret: string }>>
  }
}

/** A secret key, used in Node only. */
const SK = "sk_test_Br0wserSuiteMerchant000000001"

/** The payments the suite's pages confirm, each created once, pending, by the merchant's server. */
const PAYMENTS = {
  effectSucceeds: { amount: 2500, currency: "USD", description: "browser suite" },
  effectDeclined: { amount: 1200, currency: "EUR" },
  effectInsufficient: { amount: 1200, currency: "EUR" },
  effectInvalid: { amount: 100, currency: "USD" },
  promiseExpired: { amount: 4200, currency: "GBP", customerEmail: "ada@example.com" },
  promiseTwice: { amount: 100, currency: "USD" }
} as const
/** The names of {@link PAYMENTS}. */
export type PaymentName = keyof typeof PAYMENTS

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
  const merchant = new PaymentFlowClient({ apiKey: SK, baseUrl: sandbox.url })
  try {
    const created = await Promise.all(Object.entries(PAYMENTS).map(async ([name, params]) => {
      const payment = await merchant.payments.create(params)
      return [name, { id: payment.id, clientSecret: payment.clientSecret }] as const
    }))
    project.provide("payments", Object.fromEntries(created))
  } catch (error) {
    await Promise.all([witness.close(), sandbox.close()])
    throw error
  } finally {
    await merchant.close()
  }
  return async () => {
    await Promise.all([witness.close(), sandbox.close()])
  }
}
