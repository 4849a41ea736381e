/**
 * The command line of the sandbox (`paymentflow-sandbox`, or `pnpm sandbox` in this repository):
 * usage text, argument parsing, and what a failure to listen is told as.
 */
import { API_KEY_PATTERN, SUPPORTED_API_VERSIONS } from "@paymentflow/core/Fields"
import * as Cause from "effect/Cause"
import * as Runtime from "effect/Runtime"
import type { WebhookEndpoint } from "../SandboxOptions.js"
import type { ServerOptions } from "../SandboxServer.js"

/** The installed bin's name (package.json `bin`). */
export const BIN = "paymentflow-sandbox"

/**
 * How the user started the CLI, for the usage line: `pnpm sandbox` when it runs as this
 * repository's `sandbox` script (pnpm sets `npm_lifecycle_event` and `npm_lifecycle_script`),
 * otherwise the bin's name — also when a user's own script named `sandbox` runs the bin.
 */
export const commandName = (env: Readonly<Record<string, string | undefined>>): string =>
  env["npm_lifecycle_event"] === "sandbox" && (env["npm_lifecycle_script"] ?? "").includes("packages/sandbox/src/bin.ts")
    ? "pnpm sandbox"
    : BIN

/** The help text, with the command as the user typed it. */
export const usage = (command: string): string => `Usage: ${command} [options]

Runs the PaymentFlow sandbox: a stateful local simulator of the PaymentFlow API v1.

Options:
  --port N                   port to listen on (default 12111; 0 picks a free port)
  --host HOST                interface to listen on (default 127.0.0.1)
  --processing-delay-ms N    how long a payment stays "processing" (default 0: settles before the response)
  --refund-delay-ms N        how long a refund stays "pending" (default 0)
  --rate-limit N|off         requests per API key per sliding window (default 100)
  --rate-limit-window-ms N   the sliding window (default 60000, at least 1000)
  --faults                   honour the PaymentFlow-Sandbox-Fault request header
  --webhook URL=SECRET[@VERSION]
                             deliver signed events to URL with the whsec_ secret (repeatable),
                             rendered in VERSION (default: the default version)
  --duplicate-deliveries N   deliver every event N times to each endpoint, 0-250 ms apart (default 1),
                             to test a receiver's deduplication
  --default-version VERSION  the API version of a request without PaymentFlow-Version
                             (default 2025-06-01; one of ${SUPPORTED_API_VERSIONS.join(", ")})
  --api-key KEY              accept only this key (repeatable; default: every well-formed *_test_* key)
  --print-openapi            print the OpenAPI document (of the SDK's version) and exit
  --version VERSION          with --print-openapi: the document of that announced version
  --write-openapi DIR        write openapi.json and openapi-<version>.json (each older version) into DIR
  -h, --help                 show this help and exit
`

/** A command-line mistake: reported with the usage line, exit status 2. */
export class UsageError extends Error {}

export type Parsed =
  | { readonly _tag: "Help" }
  | { readonly _tag: "OpenApi"; readonly version: string | undefined }
  | { readonly _tag: "WriteOpenApi"; readonly dir: string }
  | { readonly _tag: "Serve"; readonly options: ServerOptions }

const integer = (flag: string, value: string, min: number, max: number): number => {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} expects an integer from ${min} to ${max}, got '${value}'`)
  }
  return Number(value)
}

/** Parses the arguments; `--flag value` and `--flag=value` both work. */
export const parseArgs = (argv: ReadonlyArray<string>): Parsed => {
  let port = 12111
  let host = "127.0.0.1"
  let processingDelayMs = 0
  let refundDelayMs = 0
  let rateLimit: number | false = 100
  let rateLimitWindowMs = 60_000
  let faults = false
  const webhooks: Array<WebhookEndpoint> = []
  const apiKeys: Array<string> = []
  let printOpenApi = false
  let openApiVersion: string | undefined
  let writeOpenApi: string | undefined
  let defaultVersion: string | undefined
  let duplicateDeliveries = 1
  const apiVersion = (flag: string, v: string): string => {
    if (!SUPPORTED_API_VERSIONS.includes(v)) {
      throw new UsageError(`${flag} expects one of ${SUPPORTED_API_VERSIONS.join(", ")}, got '${v}'`)
    }
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const value = (): string => {
      if (eq !== -1) return arg.slice(eq + 1)
      const next = argv[i + 1]
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} expects a value`)
      i += 1
      return next
    }
    const noValue = () => {
      if (eq !== -1) throw new UsageError(`${flag} takes no value`)
    }
    switch (flag) {
      case "-h":
      case "--help":
        return { _tag: "Help" }
      case "--print-openapi":
        noValue()
        printOpenApi = true
        break
      case "--version":
        openApiVersion = apiVersion(flag, value())
        break
      case "--write-openapi":
        writeOpenApi = value()
        break
      case "--port":
        port = integer(flag, value(), 0, 65535)
        break
      case "--host": {
        host = value()
        if (host === "") throw new UsageError("--host expects a host name or address")
        break
      }
      case "--processing-delay-ms":
        processingDelayMs = integer(flag, value(), 0, 86_400_000)
        break
      case "--refund-delay-ms":
        refundDelayMs = integer(flag, value(), 0, 86_400_000)
        break
      case "--rate-limit": {
        const v = value()
        rateLimit = v === "off" ? false : integer(flag, v, 1, 1_000_000)
        break
      }
      case "--rate-limit-window-ms":
        rateLimitWindowMs = integer(flag, value(), 1000, 86_400_000)
        break
      case "--faults":
        noValue()
        faults = true
        break
      case "--webhook": {
        const v = value()
        const at = v.lastIndexOf("=")
        const url = at === -1 ? "" : v.slice(0, at)
        const rest = at === -1 ? "" : v.slice(at + 1)
        const versionAt = rest.lastIndexOf("@")
        const secret = versionAt === -1 ? rest : rest.slice(0, versionAt)
        if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol) || !secret.startsWith("whsec_")) {
          throw new UsageError(`--webhook expects URL=SECRET[@VERSION] with an http(s) URL and a whsec_ secret, got '${v}'`)
        }
        webhooks.push(versionAt === -1 ? { url, secret } : { url, secret, version: apiVersion(flag, rest.slice(versionAt + 1)) })
        break
      }
      case "--duplicate-deliveries":
        duplicateDeliveries = integer(flag, value(), 1, 100)
        break
      case "--default-version":
        defaultVersion = apiVersion(flag, value())
        break
      case "--api-key": {
        const v = value()
        if (!API_KEY_PATTERN.test(v) || !v.includes("_test_")) {
          throw new UsageError("--api-key expects a pk_test_… or sk_test_… key")
        }
        apiKeys.push(v)
        break
      }
      default:
        throw new UsageError(`unknown option '${arg}'`)
    }
  }
  if (openApiVersion !== undefined && !printOpenApi) throw new UsageError("--version goes with --print-openapi")
  if (printOpenApi) return { _tag: "OpenApi", version: openApiVersion }
  if (writeOpenApi !== undefined) return { _tag: "WriteOpenApi", dir: writeOpenApi }
  return {
    _tag: "Serve",
    options: {
      port,
      host,
      processingDelay: processingDelayMs,
      refundDelay: refundDelayMs,
      rateLimit,
      rateLimitWindow: rateLimitWindowMs,
      faults,
      webhooks,
      ...(duplicateDeliveries === 1 ? {} : { duplicateDeliveries }),
      ...(apiKeys.length > 0 ? { apiKeys } : {}),
      ...(defaultVersion === undefined ? {} : { defaultVersion })
    }
  }
}


/** The error under an Effect failure (`FiberFailure`) and a `ServeError`: Node's, with its `code`. */
const rootCause = (error: unknown): unknown => {
  let current: unknown = Runtime.isFiberFailure(error) ? Cause.squash(error[Runtime.FiberFailureCauseId]) : error
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current !== "object" || current === null || "code" in current || !("cause" in current)) break
    current = current.cause
  }
  return current
}

/** Why the server could not listen, in one line (`port 12111 is in use`, not "An error has occurred"). */
export const listenFailure = (error: unknown, options: { readonly port?: number | undefined; readonly host?: string | undefined }): string => {
  const port = options.port ?? 0
  const host = options.host ?? "127.0.0.1"
  const cause = rootCause(error)
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  switch (code) {
    case "EADDRINUSE":
      return `port ${port} is in use (on ${host}); pick another with --port N, or --port 0 for a free one`
    case "EACCES":
      return `not allowed to listen on port ${port} (on ${host}); pick a port above 1023 with --port N`
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on ${host}: not an address of this machine`
    default:
      return `cannot listen on ${host}:${port}: ${cause instanceof Error ? cause.message : String(cause)}`
  }
}
