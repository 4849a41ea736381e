/**
 * A loopback HTTP server for the browser suite that sees every request, answers CORS, and lets a
 * test wait for what it saw without sleeping:
 *
 * - `GET /__witness/count` → `{ "count": n }`: requests seen on any other path (preflights included).
 * - `GET /__witness/wait/<event>` → answers once `<event>` has happened (`arrived`, `aborted`):
 *   `arrived` when a request reached `/hang/...`, `aborted` when such a request's client went away
 *   before an answer was sent.
 * - `/hang/...` never answers.
 * - `POST /__witness/reset` forgets the count and the events.
 *
 * Node only: started by the browser project's globalSetup.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

export interface Witness {
  readonly url: string
  readonly close: () => Promise<void>
}

const cors = (req: Http.IncomingMessage): Record<string, string> => ({
  "access-control-allow-origin": req.headers.origin ?? "*",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
  "access-control-max-age": "0"
})

export const startWitness = async (): Promise<Witness> => {
  let count = 0
  const happened = new Set<string>()
  const waiting = new Map<string, Array<() => void>>()
  const emit = (event: string) => {
    happened.add(event)
    for (const resolve of waiting.get(event) ?? []) resolve()
    waiting.delete(event)
  }

  const server = Http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { ...cors(req), "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    if (path.startsWith("/__witness/")) {
      if (req.method === "OPTIONS") return json(204, {})
      if (path === "/__witness/count") return json(200, { count })
      if (path === "/__witness/reset") {
        count = 0
        happened.clear()
        return json(200, { ok: true })
      }
      const event = path.slice("/__witness/wait/".length)
      if (happened.has(event)) return json(200, { event })
      const list = waiting.get(event) ?? []
      list.push(() => json(200, { event }))
      waiting.set(event, list)
      return
    }
    count++
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors(req))
      return res.end()
    }
    if (path.startsWith("/hang/")) {
      emit("arrived")
      res.on("close", () => {
        if (!res.writableEnded) emit("aborted")
      })
      return
    }
    json(404, { error: { type: "not_found_error", code: "route_missing", message: "witness: no such route" } })
  })

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
