/**
 * The sandbox server (`SandboxServer`, the built package) in its own process, rate limit off,
 * on 127.0.0.1. Prints `{"port":…}` once it listens; exits when the parent closes its stdin.
 */
import { SandboxServer } from "@paymentflow/sandbox/server"
import { exitWithParent } from "../lib/child.js"

const server = await SandboxServer.start({ rateLimit: false, host: "127.0.0.1", port: 0 })
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
exitWithParent(() => {
  server.close().finally(() => process.exit(0))
})
setTimeout(() => process.exit(0), 15 * 60_000).unref()
