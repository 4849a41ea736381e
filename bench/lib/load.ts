/**
 * The load generator for server throughput: raw `undici.request` on a keep-alive pool, the
 * lightest client there is, so the number measures the server.
 */
import { randomUUID } from "node:crypto"
import { Agent, request } from "undici"
import { API_KEY } from "./fixtures.js"
import { compare, drive } from "./stats.js"

/** Median requests/s of `POST /v1/payments` at `concurrency`, per named server. */
export const createThroughput = async <N extends string>(
  servers: ReadonlyArray<{ readonly name: N; readonly port: number }>,
  options: { readonly concurrency: number; readonly warmup: number; readonly n: number; readonly repeats: number }
): Promise<Map<N, number>> => {
  const agent = new Agent({ keepAliveTimeout: 10_000 })
  const body = JSON.stringify({ amount: 2500, currency: "USD" })
  try {
    const contenders = servers.map(({ name, port }) => {
      const url = `http://127.0.0.1:${port}/v1/payments`
      const once = async () => {
        const res = await request(url, {
          dispatcher: agent,
          method: "POST",
          headers: {
            authorization: `Bearer ${API_KEY}`,
            "content-type": "application/json",
            "paymentflow-version": "2025-06-01",
            "idempotency-key": randomUUID()
          },
          body
        })
        const text = await res.body.text()
        if (res.statusCode !== 200) throw new Error(`${name}: HTTP ${res.statusCode} ${text}`)
      }
      return { name, run: (n: number) => drive(n, options.concurrency, once) }
    })
    const ms = await compare(contenders, options)
    return new Map([...ms].map(([name, elapsed]) => [name, options.n / (elapsed / 1000)]))
  } finally {
    await agent.close()
  }
}
