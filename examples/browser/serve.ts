/**
 * `pnpm example:browser [--port 4173]`: the shop example — a local sandbox server, the merchant's
 * server (secret key, prices the cart, receives the webhook) and the shop page it serves. Open
 * the printed URL, pay with a test card, and watch the order settle. Ctrl-C (SIGINT) or SIGTERM
 * stops everything.
 */
import { startExample } from "./example.js"

const portArg = process.argv.indexOf("--port")
const portText = portArg >= 0 ? process.argv[portArg + 1] : process.env["PORT"]
const port = Number(portText ?? 4173)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${portText}`)
  process.exit(2)
}

const example = await startExample({ port }).catch((error: unknown) => {
  console.error(`Could not start the example: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

console.log(`Shop example: ${example.url}`)
console.log(`  sandbox API: ${example.sandbox.url} (webhooks to ${example.url}webhooks)`)
console.log("  test cards:  4242 4242 4242 4242 is paid; 4000 0000 0000 0002 is declined")
console.log("Ctrl-C to stop.")

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: stopping`)
  example.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    }
  )
}
process.on("SIGINT", () => stop("SIGINT"))
process.on("SIGTERM", () => stop("SIGTERM"))
