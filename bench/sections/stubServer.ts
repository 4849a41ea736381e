/**
 * The loopback stub for the request benchmark, run in its own process: `node:http` answering
 * every request, after reading its body, with the one fixed payment document. Keep-alive on.
 * Prints `{"port":…}` once it listens; exits when the parent closes its stdin.
 */
import { createServer } from "node:http"
import { exitWithParent } from "../lib/child.js"
import { PAYMENT_JSON } from "../lib/fixtures.js"

const body = Buffer.from(PAYMENT_JSON)
const headers = {
  "content-type": "application/json",
  "content-length": String(body.length),
  "request-id": "req_benchbenchbenchbenchbenc"
}

const server = createServer((req, res) => {
  req.on("data", () => undefined)
  req.on("end", () => {
    res.writeHead(200, headers)
    res.end(body)
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address !== null ? address.port : 0 })}\n`)
})
exitWithParent(() => {
  server.closeAllConnections()
  server.close()
  process.exit(0)
})
// Bounded: a stub never outlives a benchmark run.
setTimeout(() => process.exit(0), 15 * 60_000).unref()
