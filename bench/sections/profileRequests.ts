/**
 * `bench/profile.ts`'s child: one client posting payments to the stub, n times at concurrency
 * c, under `--cpu-prof`. Not part of `pnpm bench`.
 */
import { NodePaymentFlow, PaymentFlow, PaymentFlowClient } from "@paymentflow/node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Agent, request } from "undici"
import * as Schema from "effect/Schema"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY } from "../lib/fixtures.js"
import { drive } from "../lib/stats.js"

const input = readInput(Schema.Struct({ port: Schema.Int, client: Schema.String, n: Schema.Int, concurrency: Schema.Int }))
const origin = `http://127.0.0.1:${input.port}`
const params = { amount: 2500, currency: "USD" } as const
const options = { apiKey: API_KEY, baseUrl: origin }

const run = async (): Promise<number> => {
  switch (input.client) {
    case "undici": {
      const agent = new Agent({ keepAliveTimeout: 10_000 })
      const json = JSON.stringify(params)
      const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", accept: "application/json" }
      const once = async () => {
        const res = await request(`${origin}/v1/payments`, { dispatcher: agent, method: "POST", headers, body: json })
        return res.body.json()
      }
      await drive(200, input.concurrency, once)
      return drive(input.n, input.concurrency, once)
    }
    case "promise": {
      const facade = new PaymentFlowClient(options)
      const once = () => facade.payments.create(params)
      await drive(200, input.concurrency, once)
      return drive(input.n, input.concurrency, once)
    }
    default: {
      const layer = input.client === "effectNoTracer"
        ? Layer.merge(NodePaymentFlow.layer(options), Layer.setTracerEnabled(false))
        : input.client === "effectNoPropagation"
        ? Layer.merge(NodePaymentFlow.layer(options), Layer.locallyScoped(HttpClient.currentTracerPropagation, false))
        : NodePaymentFlow.layer(options)
      const runtime = ManagedRuntime.make(layer)
      const loop = (n: number) =>
        runtime.runPromise(Effect.gen(function*() {
          const pf = yield* PaymentFlow
          const start = performance.now()
          yield* Effect.forEach(Array.from({ length: n }), () => Effect.suspend(() => pf.payments.create(params)), {
            concurrency: input.concurrency,
            discard: true
          })
          return performance.now() - start
        }))
      await loop(200)
      return loop(input.n)
    }
  }
}

run().then((ms) => {
  writeOutput({ usPerRequest: (ms * 1000) / input.n })
  process.exit(0)
}, (error: unknown) => {
  console.error(error)
  process.exit(1)
})
