/**
 * The whole shop example on loopback: a sandbox server (with its webhook pointed at the
 * merchant's `/webhooks`) and the merchant's server (which serves the page). Used by `serve.ts`
 * (`pnpm example:browser`) and by the tests.
 *
 * @since 0.1.0
 */
import { API_VERSION } from "@paymentflow/core/Fields"
import { PaymentFlowClient } from "@paymentflow/node"
import { type RunningServer, SandboxServer } from "@paymentflow/sandbox/server"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { buildPage } from "./assets.js"
import { makeShop, type Shop, type ShopOptions } from "./merchant.js"

/**
 * The keys of the example. In your shop they come from the environment; only the publishable
 * one ever reaches a page.
 *
 * @since 0.1.0
 * @category Constants
 */
export const KEYS = {
  secret: "sk_test_ShopExampleMerchant00001",
  publishable: "pk_test_ShopExamplePage000000001",
  webhook: "whsec_ShopExampleWebhookSecret0001"
} as const

/**
 * @since 0.1.0
 * @category Models
 */
export interface ExampleOptions {
  /** The shop's port. Default `0`: a free one. */
  readonly port?: number | undefined
  /** The sandbox's port. Default `0`: a free one. */
  readonly sandboxPort?: number | undefined
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Forwarded to the shop (default `console.log`). */
  readonly log?: ((line: string) => void) | undefined
  /** Forwarded to the shop: a test hook that sees every request it receives, body included. */
  readonly received?: ShopOptions["received"]
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface Example {
  /** The shop: open it in a browser. */
  readonly url: string
  readonly shop: Shop
  readonly sandbox: RunningServer
  /** Stops the shop (and its client) and the sandbox; ends open connections. */
  readonly close: () => Promise<void>
}

const listen = (server: Http.Server, port: number, host: string): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo
      resolve(`http://${host.includes(":") ? `[${host}]` : host}:${bound}`)
    })
  })

/**
 * Starts the example. The shop listens first, so that its URL (a free port) can be given to the
 * sandbox as the webhook endpoint; with fixed ports you would start them in any order.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const startExample = async (options: ExampleOptions = {}): Promise<Example> => {
  const host = options.host ?? "127.0.0.1"
  const server = Http.createServer()
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  const url = await listen(server, options.port ?? 0, host)
  let sandbox: RunningServer | undefined
  let paymentflow: PaymentFlowClient | undefined
  try {
    sandbox = await SandboxServer.start({
      port: options.sandboxPort ?? 0,
      host,
      // the account has upgraded: a request without PaymentFlow-Version (a page calling the API by
      // hand) is served as 2026-12-01 too, so a publishable key can neither create nor read a payment
      defaultVersion: API_VERSION,
      // events rendered in the version the shop's SDK is pinned to
      webhooks: [{ url: `${url}/webhooks`, secret: KEYS.webhook, version: API_VERSION }],
      // a live-like delay: the page sees the payment `processing` and waits for the webhook
      processingDelay: "300 millis"
    })
    paymentflow = new PaymentFlowClient({ apiKey: KEYS.secret, baseUrl: sandbox.url })
    const page = await buildPage({ baseUrl: sandbox.url, publishableKey: KEYS.publishable })
    const shop = makeShop({ paymentflow, webhookSecret: KEYS.webhook, page, log: options.log, received: options.received })
    server.on("request", shop.handler)
    const running = sandbox
    const client = paymentflow
    let closing: Promise<void> | undefined
    return {
      url: `${url}/`,
      shop,
      sandbox: running,
      close: () => (closing ??= Promise.all([closeServer(), client.close(), running.close()]).then(() => undefined))
    }
  } catch (error) {
    await Promise.all([closeServer(), paymentflow?.close(), sandbox?.close()])
    throw error
  }
}
