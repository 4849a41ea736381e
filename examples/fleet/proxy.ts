/**
 * A tiny round-robin HTTP proxy (node:http, loopback): each request goes to the next target in
 * turn, as a load balancer in front of a fleet of webhook receivers would send it. A target that
 * does not answer (a killed process) is answered 502, which the sender retries like any non-2xx.
 */
import { createServer, request } from "node:http"
import type { AddressInfo } from "node:net"

export interface RoundRobinProxy {
  readonly url: string
  /** Replaces the targets (e.g. once the receivers have bound their ports). */
  readonly setTargets: (targets: ReadonlyArray<string>) => void
  readonly close: () => Promise<void>
}

export const startRoundRobinProxy = async (initial: ReadonlyArray<string> = []): Promise<RoundRobinProxy> => {
  let targets = [...initial]
  let next = 0
  const server = createServer((req, res) => {
    const target = targets[next++ % Math.max(1, targets.length)]
    if (target === undefined) {
      res.writeHead(502).end()
      return
    }
    const url = new URL(req.url ?? "/", target)
    const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { code: "bad_gateway", message: "the receiver did not answer" } }))
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    setTargets: (t) => {
      targets = [...t]
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
