import { describe, expect, it } from "vitest"
import { floor, kb, measure, type Measured, nodeBuiltinsIn } from "../../../bench/sizeBundle.js"
import { fullEntry, paymentsOnlyEntry } from "../../../bench/sizeEntries.js"

/**
 * The budget for the whole browser entry, gzipped (the goal is 95 KB; `pnpm size` shows it): the
 * measured figure (98.1 KB) plus a margin, so a regression shows here rather than in the bench.
 */
const BUDGET_GZIP = 101 * 1024
/** The budget for the payments-only import (measured 92.8 KB), with the same margin. */
const PAYMENTS_ONLY_BUDGET_GZIP = 96 * 1024

describe("the browser bundle", () => {
  // esbuild with platform "browser" and no polyfills rejects any Node built-in it meets, so
  // `measure` resolving at all is the first assertion.
  const full = measure(fullEntry)
  const paymentsOnly = measure(paymentsOnlyEntry)

  it(`the full @paymentflow/browser entry stays under ${kb(BUDGET_GZIP)} gzip`, async () => {
    const measured = await full
    expect(measured.gzip, `full entry is ${kb(measured.gzip)} gzip`).toBeLessThan(BUDGET_GZIP)
  })

  it("holds no Node built-in, no server code and no second copy of Effect", async () => {
    for (const measured of [await full, await paymentsOnly]) {
      expect(nodeBuiltinsIn(measured)).toEqual([])
      const forbidden = (m: Measured) =>
        m.inputs.filter((input) =>
          /@effect\/platform\/dist\/esm\/(HttpApi|HttpServer|HttpRouter|HttpApp|HttpMiddleware)/.test(input) ||
          /packages\/(sandbox|node)\//.test(input) ||
          /packages\/core\/src\/HttpApi\.ts$/.test(input)
        )
      expect(forbidden(measured)).toEqual([])
      const effectCopies = new Set(measured.inputs.flatMap((input) => /node_modules\/\.pnpm\/(effect@[^/]+)\//.exec(input)?.[1] ?? []))
      expect(effectCopies.size).toBe(1)
    }
  })

  it("a payments-only import through the module subpath costs less than the full entry, and more than the floor", async () => {
    const [f, p, base] = [await full, await paymentsOnly, await measure(floor)]
    expect(p.gzip).toBeLessThan(f.gzip)
    expect(p.gzip).toBeGreaterThan(base.gzip)
    // The Promise client and webhook verification stay out of it.
    expect(p.inputs.some((input) => input.endsWith("PaymentFlowClient.ts") || input.endsWith("Webhook.ts"))).toBe(false)
    expect(p.gzip, `payments only is ${kb(p.gzip)} gzip`).toBeLessThan(PAYMENTS_ONLY_BUDGET_GZIP)
  })

  it("a payments-only import carries none of the sandbox's rows: the publishable client reads the user's rows, not the whole table", async () => {
    // (`inputs` names every module esbuild read, shaken out or not: the code says what was kept.)
    const p = await paymentsOnly
    expect(p.code.includes("/v1/sandbox/"), "a sandbox row's path is in the bundle").toBe(false)
    // the user's rows it does read
    expect(p.code.includes("/v1/payments/:id/confirm")).toBe(true)
  })
})
