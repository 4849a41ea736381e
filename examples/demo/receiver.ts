/**
 * The demo's webhook receiver: a plain Node `http` server that verifies every delivery on the raw
 * body with the SDK, deduplicates by event id (delivery is at least once) and prints each event.
 */
import * as Webhook from "@paymentflow/core/Webhook"
import * as NodeHmac from "@paymentflow/node/NodeHmac"
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import { line } from "./print.js"

export interface Receiver {
  readonly url: string
  /** Waits (at most 10 s) until `n` distinct events have been received; returns how many were. */
  readonly waitFor: (n: number) => Effect.Effect<number>
}

export const startReceiver = (secret: string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly receiver: Receiver }>((resume) => {
      const seen = new Set<string>()
      const waiters: Array<() => void> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const body = Buffer.concat(chunks)
          try {
            const event = Webhook.constructEventSync(body, req.headers["paymentflow-signature"], secret, {
              hmac: NodeHmac.hmac
            })
            if (!seen.has(event.id)) {
              seen.add(event.id)
              const data = event.data
              const detail = data.object === "payment"
                ? `${data.id} ${data.status}${data.failureCode ? ` (${data.failureCode})` : ""}${data.paymentMethod ? ` with ${data.paymentMethod}` : ""}`
                : `${data.id} ${data.amount} ${data.currency} for ${data.paymentId}`
              line(`[webhook] verified ${event.type.padEnd(17)} ${detail}`)
              for (const wake of waiters.splice(0)) wake()
            }
            res.writeHead(200).end()
          } catch (error) {
            line(`[webhook] rejected: ${error instanceof Error ? error.message : String(error)}`)
            res.writeHead(400).end()
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        const waitFor = (n: number): Effect.Effect<number> =>
          Effect.async<number>((done) => {
            const check = () => {
              if (seen.size >= n) done(Effect.succeed(seen.size))
              else waiters.push(check)
            }
            check()
          }).pipe(Effect.timeoutTo({ duration: "10 seconds", onTimeout: () => seen.size, onSuccess: (k) => k }))
        resume(Effect.succeed({ server, receiver: { url: `http://127.0.0.1:${port}/webhooks`, waitFor } }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ receiver }) => receiver))
