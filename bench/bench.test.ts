/**
 * Smoke test of `pnpm bench`: the whole harness with tiny counts (every section, every child
 * process), so it cannot rot. No timing assertions — only that every row of the table is filled
 * with finite numbers and the report renders. Needs the built packages, like `pnpm bench` (the
 * root test script builds first).
 */
import { existsSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { root } from "./lib/child.js"
import { markdownTable, svgChart } from "./report.js"
import { redisSkipReason } from "../examples/fleet/redisServer.js"
import { quickCounts, runBench } from "./run.js"

describe("pnpm bench (tiny counts)", () => {
  it("fills every row of the table with finite numbers", async () => {
    expect(existsSync(`${root}packages/node/dist/index.js`), "run `pnpm build` first").toBe(true)
    const results = await runBench(quickCounts)
    const sections = new Set(results.rows.map((r) => r.section))
    const fleet = redisSkipReason() === undefined ? ["fleet"] : []
    expect([...sections]).toEqual(["requests", "webhooks", "bundle", "cold import", "pagination", "sandbox", "userTest", ...fleet])
    for (const row of results.rows) {
      for (const value of [row.ours, row.baseline, row.ratio]) {
        expect(Number.isFinite(value), `${row.figure}: ${value}`).toBe(true)
      }
      if (row.goal !== undefined) expect(typeof row.met, row.figure).toBe("boolean")
    }
    expect(results.rows.filter((r) => r.goal !== undefined)).toHaveLength(12)
    const table = markdownTable(results)
    expect(table.split("\n")).toHaveLength(results.rows.length + 2)
    const svg = svgChart(results, "smoke")
    expect(svg.match(/<rect /g)?.length).toBe(results.rows.length + 1)
  }, 60_000)
})
