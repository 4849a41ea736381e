/**
 * The sandbox behind MSW handlers in a plain Vitest test — no Effect in the test: the Promise
 * client (`PaymentFlowClient`, on `fetch`) against `setupServer`, with the real sandbox's state and
 * rules. And the engine bundles for browsers with no Node built-ins.
 */
import { PaymentFlowClient, RateLimitError } from "@paymentflow/core"
import { createSandbox } from "@paymentflow/sandbox/msw"
import { SandboxControlClient } from "@paymentflow/sandbox/SandboxControl"
import * as esbuild from "esbuild"
import { setupServer } from "msw/node"
import { fileURLToPath } from "node:url"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"

const sandbox = createSandbox()
const server = setupServer(...sandbox.handlers)
const key = "sk_test_mswmswmswmswmsw0001"
const pf = new PaymentFlowClient({ apiKey: key })
const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }

beforeAll(() => server.listen({ onUnhandledRequest: "error" }))
afterEach(() => sandbox.reset())
afterAll(async () => {
  server.close()
  await pf.close()
  await sandbox.close()
})

describe("@paymentflow/sandbox/msw with setupServer", () => {
  it("serves the stateful sandbox to the Promise client", async () => {
    const customer = await pf.customers.create({ email: "jane@example.com" })
    const payment = await pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id })
    expect((await pf.payments.confirm(payment.id, { paymentMethod: { card } })).status).toBe("succeeded")
    const refund = await pf.refunds.create({ paymentId: payment.id, amount: 500 })
    expect(refund.amount).toBe(500)
    expect((await pf.payments.list()).data.map((p) => p.id)).toEqual([payment.id])
    const control = new SandboxControlClient({ apiKey: key, baseUrl: "https://sandbox.api.paymentflow.com" })
    expect((await control.sandbox.listEvents()).data.map((e) => e.type)).toEqual(["refund.completed", "refund.created", "payment.succeeded"])
    await control.close()
  })

  it("keeps the contract's rules: a declined card, a replayed idempotency key, typed errors", async () => {
    const payment = await pf.payments.create({ amount: 900, currency: "USD" }, { idempotencyKey: "order-9" })
    const again = await pf.payments.create({ amount: 900, currency: "USD" }, { idempotencyKey: "order-9" })
    expect(again.id).toBe(payment.id)
    const declined = await pf.payments.confirm(payment.id, { paymentMethod: { card: { ...card, number: "4000000000000002" } } })
    expect(declined).toMatchObject({ status: "failed", failureCode: "card_declined" })
    await expect(pf.payments.retrieve("pay_000000000000000000000000")).rejects.toMatchObject({ _tag: "NotFoundError" })
  })

  it("has a test's defaults: no rate limit, so a test's 150th call is answered like its first", async () => {
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) =>
      pf.customers.create({ email: `c${i}@example.com` }, { maxRetries: 0 }).then(() => "ok", (e: unknown) => e)))
    expect(results.filter((r) => r !== "ok")).toEqual([])
  })

  it("a rate limit given is kept: past it the 429 is a typed RateLimitError", async () => {
    const limited = createSandbox({ rateLimit: 2, baseUrl: "https://limited.example.test" })
    const local = setupServer(...limited.handlers)
    server.close()
    local.listen({ onUnhandledRequest: "error" })
    const client = new PaymentFlowClient({ apiKey: key, baseUrl: "https://limited.example.test", maxRetries: 0 })
    try {
      const outcomes = await Promise.all([0, 1, 2].map(() =>
        client.customers.create({ email: "x@example.com" }).then(() => "ok", (e: unknown) => (e instanceof RateLimitError ? "RateLimitError" : String(e)))))
      expect(outcomes.sort()).toEqual(["RateLimitError", "ok", "ok"])
    } finally {
      local.close()
      server.listen({ onUnhandledRequest: "error" })
      await client.close()
      await limited.close()
    }
  })

  it("a reset between tests gives a fresh sandbox", async () => {
    expect((await pf.payments.list()).data).toEqual([])
  })

  it("the control endpoints work through MSW too: a queued 503 is retried", async () => {
    const control = new SandboxControlClient({ apiKey: key, baseUrl: "https://sandbox.api.paymentflow.com" })
    await control.sandbox.createFault({ fault: "503", operation: "payments.create" })
    const { data, response } = await pf.payments.create({ amount: 100, currency: "USD" }).withResponse()
    expect(data.amount).toBe(100)
    expect(response.attempts).toBe(2)
    await control.close()
  })
})

describe("the sandbox engine in a browser bundle", () => {
  it("@paymentflow/sandbox/msw bundles for the browser with no Node built-in", async () => {
    const entry = fileURLToPath(new URL("../src/msw.ts", import.meta.url))
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      external: ["msw"],
      logLevel: "silent",
      metafile: true
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((i) => i.startsWith("node:") || /platform-node/.test(i))).toEqual([])
    expect(inputs.some((i) => i.includes("internal/engine"))).toBe(true)
  })
})
