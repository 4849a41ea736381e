/**
 * `pnpm example:browser [--port 4173]`: the checkout example page next to a local sandbox
 * server. Open the printed URL, type an amount and a test card, and pay.
 */
import { startExample } from "./server.js"

const portArg = process.argv.indexOf("--port")
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : Number(process.env["PORT"] ?? 4173)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${process.argv[portArg + 1] ?? process.env["PORT"]}`)
  process.exit(2)
}

const example = await startExample({ port }).catch((error: unknown) => {
  console.error(`Could not start the example: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

console.log(`Checkout example: ${example.url}`)
console.log(`  sandbox API:     ${example.sandboxUrl} (publishable key ${example.publishableKey.slice(0, 7)}...)`)
console.log("  test cards:      4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined")
console.log("Ctrl-C to stop.")

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  void example.close().then(() => process.exit(0))
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
