/**
 * Serves the checkout example: `index.html` (with the sandbox URL and publishable key filled
 * in) and `checkout.js`, bundled from `checkout.ts` with esbuild the way a browser app would
 * ship it. Node only.
 */
import * as esbuild from "esbuild"
import { readFile } from "node:fs/promises"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { SandboxServer } from "@paymentflow/sandbox/server"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL(".", import.meta.url))
const root = fileURLToPath(new URL("../..", import.meta.url))

/** The page's script, bundled for browsers (minified ESM, no Node built-ins). */
export const buildCheckout = async (): Promise<string> => {
  const result = await esbuild.build({
    entryPoints: [`${here}checkout.ts`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    tsconfig: `${root}tsconfig.check.json`,
    write: false,
    logLevel: "silent"
  })
  const file = result.outputFiles[0]
  if (file === undefined) throw new Error("esbuild produced no checkout.js")
  return file.text
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/** The page, pointed at a PaymentFlow API with a publishable key. */
export const renderPage = async (options: { readonly baseUrl: string; readonly publishableKey: string }): Promise<string> => {
  const template = await readFile(`${here}index.html`, "utf8")
  return template
    .replace("%BASE_URL%", escapeAttribute(options.baseUrl))
    .replace("%PUBLISHABLE_KEY%", escapeAttribute(options.publishableKey))
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface CheckoutServerOptions {
  /** The PaymentFlow API the page talks to (the sandbox server). */
  readonly baseUrl: string
  /** A `pk_test_…` key. */
  readonly publishableKey: string
  /** Default: a random free port. */
  readonly port?: number | undefined
  /** Default: `127.0.0.1`. */
  readonly host?: string | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface CheckoutServer {
  readonly url: string
  readonly close: () => Promise<void>
}

/**
 * Starts the page's server. `close` ends every open connection, so nothing holds the process.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const startCheckoutServer = async (options: CheckoutServerOptions): Promise<CheckoutServer> => {
  const [page, script] = await Promise.all([renderPage(options), buildCheckout()])
  const server = Http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" })
      res.end(req.method === "HEAD" ? undefined : body)
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed")
    if (path === "/" || path === "/index.html") return send(200, "text/html", page)
    if (path === "/checkout.js") return send(200, "text/javascript", script)
    send(404, "text/plain", "not found")
  })
  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Example {
  /** The checkout page. */
  readonly url: string
  /** The sandbox server the page talks to. */
  readonly sandboxUrl: string
  readonly publishableKey: string
  readonly close: () => Promise<void>
}

/** The key the example page holds: publishable, sandbox. */
export const EXAMPLE_PUBLISHABLE_KEY = "pk_test_CheckoutExample0000000001"

/**
 * The whole example: a sandbox server (CORS on, payments settle before it answers) and the page
 * pointed at it.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const startExample = async (options: { readonly port?: number | undefined; readonly sandboxPort?: number | undefined } = {}): Promise<Example> => {
  const sandbox = await SandboxServer.start({ port: options.sandboxPort, processingDelay: 0 })
  try {
    const page = await startCheckoutServer({ baseUrl: sandbox.url, publishableKey: EXAMPLE_PUBLISHABLE_KEY, port: options.port })
    return {
      url: page.url,
      sandboxUrl: sandbox.url,
      publishableKey: EXAMPLE_PUBLISHABLE_KEY,
      close: async () => {
        await Promise.all([page.close(), sandbox.close()])
      }
    }
  } catch (error) {
    await sandbox.close()
    throw error
  }
}
