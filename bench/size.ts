/**
 * `pnpm size`: the browser SDK's bundle size, gzipped, beside the floor (what Effect, Schema and
 * the fetch HttpClient cost on their own), bundled the same way in the same run.
 */
import { type Entry, floor, kb, measure } from "./sizeBundle.js"
import { browserEntries } from "./sizeEntries.js"

const entries: ReadonlyArray<Entry> = [floor, ...browserEntries]
const results = []
for (const entry of entries) results.push(await measure(entry))

const floorGzip = results[0]?.gzip ?? 1
const width = Math.max(...results.map((r) => r.name.length))
console.log(`${"bundle".padEnd(width)}  ${"minified".padStart(10)}  ${"gzip".padStart(9)}  ${"× floor".padStart(7)}`)
for (const r of results) {
  console.log(
    `${r.name.padEnd(width)}  ${kb(r.bytes).padStart(10)}  ${kb(r.gzip).padStart(9)}  ${(r.gzip / floorGzip).toFixed(2).padStart(7)}`
  )
}
