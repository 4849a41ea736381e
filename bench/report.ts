/**
 * Renders the results: the markdown table (stdout and `bench/RESULTS.md`) and a hand-written SVG
 * bar chart of the ratios (`bench/results.svg`).
 */
import type { Results, Row, Unit } from "./run.js"

const digits = (value: number, unit: Unit): string => {
  if (!Number.isFinite(value)) return String(value)
  switch (unit) {
    case "req/s":
    case "ops/s":
      return Math.round(value).toLocaleString("en")
    case "µs":
      return value.toFixed(0)
    default:
      return value.toFixed(1)
  }
}

const cell = (value: number, unit: Unit) => `${digits(value, unit)} ${unit}`

/** The results table, one markdown row per figure. */
export const markdownTable = (results: Results): string => {
  const lines = [
    "| figure | ours | baseline | ratio | goal | met? |",
    "|---|---:|---|---:|---|:---:|"
  ]
  for (const r of results.rows) {
    lines.push(
      `| ${r.figure} | ${cell(r.ours, r.unit)} | ${cell(r.baseline, r.unit)} (${r.baselineLabel}) | ${r.ratio.toFixed(2)}× | ${r.goal ?? "—"} | ${
        r.met === undefined ? "" : r.met ? "yes" : "**no**"
      } |`
    )
  }
  return lines.join("\n")
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/**
 * A horizontal bar per row: the ratio to its baseline on a linear axis, a dashed line at 1×, a
 * tick at the row's ratio goal when it has one; green when the row's goal is met, red when not,
 * grey without a goal.
 */
export const svgChart = (results: Results, title: string): string => {
  const rows: ReadonlyArray<Row> = results.rows
  const labelWidth = 520
  const plotWidth = 420
  const rowHeight = 22
  const top = 48
  const width = labelWidth + plotWidth + 90
  const height = top + rows.length * rowHeight + 40
  const max = Math.max(1.5, ...rows.map((r) => (Number.isFinite(r.ratio) ? r.ratio : 0)), ...rows.map((r) => r.ratioGoal?.value ?? 0))
  const scale = Math.min(max, 12)
  const x = (ratio: number) => labelWidth + (Math.min(ratio, scale) / scale) * plotWidth
  const parts: Array<string> = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="38" fill="#555">ratio to the row's baseline (same run); tick = goal; green met, red missed, grey no goal</text>`
  ]
  rows.forEach((r, i) => {
    const y = top + i * rowHeight
    const ratio = Number.isFinite(r.ratio) ? r.ratio : 0
    const color = r.met === undefined ? "#9e9e9e" : r.met ? "#2e7d32" : "#c62828"
    parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(`${r.section}: ${r.figure}`.slice(0, 88))}</text>`)
    parts.push(`<rect x="${labelWidth}" y="${y + 4}" width="${(x(ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`)
    parts.push(`<text x="${(x(ratio) + 4).toFixed(1)}" y="${y + 15}">${ratio.toFixed(2)}×${ratio > scale ? " (clipped)" : ""}</text>`)
    if (r.ratioGoal !== undefined) {
      const gx = x(r.ratioGoal.value).toFixed(1)
      parts.push(`<line x1="${gx}" x2="${gx}" y1="${y + 1}" y2="${y + rowHeight - 1}" stroke="#000" stroke-width="2"/>`)
    }
  })
  const one = x(1).toFixed(1)
  const bottom = top + rows.length * rowHeight
  parts.push(`<line x1="${one}" x2="${one}" y1="${top}" y2="${bottom}" stroke="#333" stroke-dasharray="4 3"/>`)
  parts.push(`<text x="${one}" y="${bottom + 16}" text-anchor="middle">1×</text>`)
  parts.push(`<text x="${labelWidth + plotWidth}" y="${bottom + 16}" text-anchor="end">${scale.toFixed(1)}×</text>`)
  parts.push(`</svg>`)
  return parts.join("\n") + "\n"
}

/** `bench/RESULTS.md`. */
export const resultsMarkdown = (results: Results, environment: ReadonlyArray<string>, commands: string): string =>
  [
    "# Benchmark results",
    "",
    `Produced by \`${commands}\`. Every ratio compares figures from the same run; absolute numbers`,
    "depend on the machine (here: two shared, noisy cores), ratios much less.",
    "",
    ...environment.map((line) => `- ${line}`),
    "",
    markdownTable(results),
    "",
    "![ratios](results.svg)",
    "",
    "## Notes",
    "",
    ...results.notes.map((n) => `- ${n}`),
    ""
  ].join("\n")
