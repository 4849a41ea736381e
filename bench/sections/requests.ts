/**
 * Section 1, in its own process: POST one payment to the loopback stub, over and over, with
 * each client. Per-request µs at concurrency 1 and requests/s at concurrency 16, after a
 * warm-up, median of the repeats. Every client does the same work a caller would: send a JSON
 * (stripe: form) body, read the whole response and parse it (ours also decodes it with the
 * Payment schema and opens a span, as it always does).
 */
import { NodePaymentFlow, PaymentFlow, PaymentFlowClient } from "@paymentflow/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import Stripe from "stripe"
import { Agent, request } from "undici"
import { readInput, writeOutput } from "../lib/child.js"
import { API_KEY } from "../lib/fixtures.js"
import { RequestsInput, type RequestsOutput } from "../lib/results.js"
import { compare, type Contender, drive } from "../lib/stats.js"

type Name = keyof RequestsOutput["perRequestUs"]
const NAMES: ReadonlyArray<Name> = ["undici", "fetch", "stripe", "effect", "effectNoTracer", "promise"]

const main = async () => {
  const input = readInput(RequestsInput)
  const origin = `http://127.0.0.1:${input.port}`
  const params = { amount: 2500, currency: "USD" } as const
  const json = JSON.stringify(params)
  const headers = {
    authorization: `Bearer ${API_KEY}`,
    "content-type": "application/json",
    accept: "application/json"
  }

  const agent = new Agent({ keepAliveTimeout: 10_000 })
  const viaUndici = async () => {
    const res = await request(`${origin}/v1/payments`, { dispatcher: agent, method: "POST", headers, body: json })
    return res.body.json()
  }
  const viaFetch = async () => {
    const res = await fetch(`${origin}/v1/payments`, { method: "POST", headers, body: json })
    return res.json()
  }
  const stripe = new Stripe(API_KEY, { host: "127.0.0.1", port: input.port, protocol: "http" })
  const viaStripe = () => stripe.paymentIntents.create({ amount: 2500, currency: "usd" })

  const options = { apiKey: API_KEY, baseUrl: origin }
  const traced = ManagedRuntime.make(NodePaymentFlow.layer(options))
  const untraced = ManagedRuntime.make(Layer.merge(NodePaymentFlow.layer(options), Layer.setTracerEnabled(false)))
  const facade = new PaymentFlowClient(options)

  // The Effect client as an Effect program uses it: one forEach over the calls, in its runtime.
  const effectContender = (runtime: typeof traced, concurrency: number) => (n: number) =>
    runtime.runPromise(Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const start = performance.now()
      yield* Effect.forEach(Array.from({ length: n }), () => Effect.suspend(() => pf.payments.create(params)), {
        concurrency,
        discard: true
      })
      return performance.now() - start
    }))

  const contenders = (concurrency: number): ReadonlyArray<Contender<Name>> => [
    { name: "undici", run: (n) => drive(n, concurrency, viaUndici) },
    { name: "fetch", run: (n) => drive(n, concurrency, viaFetch) },
    { name: "stripe", run: (n) => drive(n, concurrency, viaStripe) },
    { name: "effect", run: effectContender(traced, concurrency) },
    { name: "effectNoTracer", run: effectContender(untraced, concurrency) },
    { name: "promise", run: (n) => drive(n, concurrency, () => facade.payments.create(params)) }
  ]

  // Every client answers correctly before anything is timed.
  const payment = await facade.payments.create(params)
  if (payment.id !== "pay_0000000001abcdefghijklmn") throw new Error("the stub's payment did not decode")

  const c1 = await compare(contenders(1), { warmup: input.warmup, n: input.n1, repeats: input.repeats })
  const c16 = await compare(contenders(16), { warmup: input.warmup, n: input.n16, repeats: input.repeats })

  const perRequestUs = Object.fromEntries(NAMES.map((name) => [name, ((c1.get(name) ?? Number.NaN) * 1000) / input.n1]))
  const throughput = Object.fromEntries(NAMES.map((name) => [name, input.n16 / ((c16.get(name) ?? Number.NaN) / 1000)]))

  await facade.close()
  await traced.dispose()
  await untraced.dispose()
  await agent.close()
  writeOutput({ perRequestUs, throughput })
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error)
  process.exit(1)
})
