/**
 * A loopback HTTP server for the browser suite that sees every request, answers CORS, and lets a
 * test wait for what it saw without sleeping. Each test uses its own path prefix (`/<lane>/...`,
 * given to the client as part of its base URL), so tests never see each other's requests:
 *
 * - `GET /__witness/count/<lane>` → `{ "count": n }`: requests seen under `/<lane>/`,
 *   preflights included.
 * - `GET /__witness/wait/<event>/<lane>` → answers once `<event>` has happened in that lane:
 *   `arrived` when a request reached it, `aborted` when such a request's client went away before
 *   an answer was sent.
 * - Lanes named `hang-…` never answer; other lanes answer 404 with a PaymentFlow error body.
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
  const counts = new Map<string, number>()
  const happened = new Set<string>()
  const waiting = new Map<string, Array<() => void>>()
  const emit = (key: string) => {
    happened.add(key)
    for (const resolve of waiting.get(key) ?? []) resolve()
    waiting.delete(key)
  }

  const server = Http.createServer((req, res) => {
    const segments = new URL(req.url ?? "/", "http://127.0.0.1").pathname.split("/").filter((s) => s !== "")
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { ...cors(req), "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    if (segments[0] === "__witness") {
      if (req.method === "OPTIONS") return json(204, {})
      if (segments[1] === "count" && segments[2] !== undefined) return json(200, { count: counts.get(segments[2]) ?? 0 })
      if (segments[1] === "wait" && segments[2] !== undefined && segments[3] !== undefined) {
        const key = `${segments[2]}/${segments[3]}`
        if (happened.has(key)) return json(200, { event: key })
        const list = waiting.get(key) ?? []
        list.push(() => json(200, { event: key }))
        waiting.set(key, list)
        return
      }
      return json(404, {})
    }
    const lane = segments[0] ?? ""
    counts.set(lane, (counts.get(lane) ?? 0) + 1)
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors(req))
      return res.end()
    }
    emit(`arrived/${lane}`)
    if (lane.startsWith("hang-")) {
      res.on("close", () => {
        if (!res.writableEnded) emit(`aborted/${lane}`)
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
