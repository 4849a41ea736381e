/**
 * The sandbox server for the fleet row, in its own process: rate limit `rateLimit` per
 * `rateLimitWindowMs`, on 127.0.0.1. Prints `{"port":…}`; exits when the parent closes its stdin.
 */
import { SandboxServer } from "@paymentflow/sandbox/server"
import * as Schema from "effect/Schema"
import { exitWithParent, readInput } from "../lib/child.js"

const input = readInput(Schema.Struct({ rateLimit: Schema.Int, rateLimitWindowMs: Schema.Int }))
const server = await SandboxServer.start({ rateLimit: input.rateLimit, rateLimitWindow: input.rateLimitWindowMs, host: "127.0.0.1", port: 0 })
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
exitWithParent(() => {
  server.close().finally(() => process.exit(0))
})
setTimeout(() => process.exit(0), 15 * 60_000).unref()
