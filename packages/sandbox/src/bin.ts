#!/usr/bin/env node
/**
 * `paymentflow-sandbox [options]` (`pnpm sandbox` in this repository): runs the sandbox as a local
 * HTTP server until SIGINT / SIGTERM.
 * `--print-openapi [--version V]` prints the OpenAPI document derived from core's API definition
 * instead; `--write-openapi DIR` writes every announced version's (`pnpm openapi`).
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { openApiFiles, sandboxOpenApi } from "./HttpApi.js"
import { BIN, commandName, listenFailure, type Parsed, parseArgs, usage, UsageError } from "./internal/cli.js"
import { SandboxServer } from "./SandboxServer.js"

const main = async (): Promise<void> => {
  let parsed: Parsed
  try {
    parsed = parseArgs(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${BIN}: ${error.message}\nTry ${commandName(process.env)} --help.\n`)
    process.exit(2)
  }
  if (parsed._tag === "Help") {
    process.stdout.write(usage(commandName(process.env)))
    return
  }
  if (parsed._tag === "OpenApi") {
    process.stdout.write(`${JSON.stringify(sandboxOpenApi(parsed.version), null, 2)}\n`)
    return
  }
  if (parsed._tag === "WriteOpenApi") {
    for (const { file, version } of openApiFiles()) {
      writeFileSync(join(parsed.dir, file), `${JSON.stringify(sandboxOpenApi(version), null, 2)}\n`)
      process.stdout.write(`${file} (${version})\n`)
    }
    return
  }
  let server: Awaited<ReturnType<typeof SandboxServer.start>>
  try {
    server = await SandboxServer.start(parsed.options)
  } catch (error) {
    process.stderr.write(`${BIN}: ${listenFailure(error, parsed.options)}\n`)
    process.exit(1)
  }
  process.stdout.write(`PaymentFlow sandbox listening on ${server.url}\n`)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`${BIN}: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
