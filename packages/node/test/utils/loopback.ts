/** A loopback HTTP server for the transport tests: records requests and whether a response was cut off. */
import * as Effect from "effect/Effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

/** Answers the n-th request (from 1) with `reply(res, n)`; closed, with every connection, with the scope. */
export const loopback = (reply: (res: ServerResponse, n: number) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly seen: Array<Seen>; readonly cutOff: Array<boolean>; readonly close: () => void }>(
      (resume) => {
        const seen: Array<Seen> = []
        const cutOff: Array<boolean> = []
        const server = createServer((req, res) => {
          let body = ""
          req.on("data", (chunk: Buffer) => {
            body += chunk.toString("utf8")
          })
          // a request cut off before its body was all in (a client timeout under load) is cut off too
          req.on("close", () => {
            if (!req.complete) cutOff.push(true)
          })
          req.on("end", () => {
            seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
            res.on("close", () => cutOff.push(!res.writableFinished))
            reply(res, seen.length)
          })
        })
        server.listen(0, "127.0.0.1", () => {
          const address = server.address()
          const port = typeof address === "object" && address !== null ? address.port : 0
          resume(Effect.succeed({
            url: `http://127.0.0.1:${port}`,
            seen,
            cutOff,
            close: () => {
              server.closeAllConnections()
              server.close()
            }
          }))
        })
      }
    ),
    ({ close }) => Effect.sync(close)
  )
