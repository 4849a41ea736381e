/**
 * Profiles one client of the request section: `tsx bench/profile.ts <client> [n] [concurrency]`
 * (client: undici | effect | effectNoTracer | promise). Runs it under `node --cpu-prof` against
 * the stub, prints µs/request and the top self-time functions; the profile is left in
 * `bench/.tmp/prof/` for Chrome DevTools (`NOPROF=1`: just the timing, no profiler). Not part
 * of `pnpm bench`.
 */
import * as Schema from "effect/Schema"
import { readdirSync, readFileSync, rmSync } from "node:fs"
import { runSection, startServer, tmpDir } from "./lib/child.js"

const [client = "effect", n = "5000", concurrency = "1"] = process.argv.slice(2)
const dir = `${tmpDir}prof/${client}`
rmSync(dir, { recursive: true, force: true })
const stub = await startServer("sections/stubServer.ts", {})
try {
  const out = await runSection(
    "sections/profileRequests.ts",
    { port: stub.port, client, n: Number(n), concurrency: Number(concurrency) },
    Schema.Struct({ usPerRequest: Schema.Number }),
    { nodeArgs: process.env["NOPROF"] === "1" ? [] : [`--cpu-prof`, `--cpu-prof-dir=${dir}`] }
  )
  console.log(`${client}: ${out.usPerRequest.toFixed(1)} µs/request at c=${concurrency}`)
} finally {
  await stub.close()
}

interface Node {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}
const Profile = Schema.Struct({
  nodes: Schema.Array(Schema.Unknown),
  samples: Schema.Array(Schema.Number),
  timeDeltas: Schema.Array(Schema.Number)
})
const file = process.env["NOPROF"] === "1" ? undefined : readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))
if (file !== undefined) {
  const profile = Schema.decodeUnknownSync(Profile)(JSON.parse(readFileSync(`${dir}/${file}`, "utf8")))
  const nodes = new Map<number, Node>()
  for (const raw of profile.nodes) {
    const node = raw as Node
    nodes.set(node.id, node)
  }
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    if (node === undefined) return
    const f = node.callFrame
    const where = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/packages\//, "")
    const key = `${f.functionName || "(anon)"} ${where}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env["TOP"] ?? 40))
  for (const [key, us] of top) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
}
