/**
 * The SDK's own per-request cost, in process (no socket): each client posts one payment to a
 * transport that answers at once with the stub's payment, n times, and prints µs per request
 * (median of rounds). `npx esbuild bench/micro.ts --bundle --packages=external --platform=node
 * --format=esm --outfile=bench/.tmp/micro.mjs && node bench/.tmp/micro.mjs [n] [rounds]`: the
 * repository's tsconfig `paths` bundle the packages' sources (no build needed, so two checkouts
 * can be compared in turn), `effect` stays external. `ONLY=promise` runs one client (for
 * `node --cpu-prof`). Not part of `pnpm bench`.
 */
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import { PaymentFlowClient } from "@paymentflow/core/PaymentFlowClient"
import * as Transport from "@paymentflow/core/Transport"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { API_KEY, PAYMENT_JSON } from "./lib/fixtures.js"
import { drive, median } from "./lib/stats.js"

const [n = 20000, rounds = 5] = process.argv.slice(2).map(Number)
const response: Transport.Response = {
  status: 200,
  headers: { "content-type": "application/json", "request-id": "req_benchbenchbenchbenchbenc" },
  body: PAYMENT_JSON
}
// The environment's HttpClient, never called: the transport stands in for it.
const httpClient = HttpClient.make((request) =>
  Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: "unused" }))
)
// Answers asynchronously (a microtask later), as a socket's callback would.
const transport: Transport.Service = {
  opensSpans: false,
  httpClient,
  send: () => Effect.async<Transport.Response, Transport.TransportError>((resume) => queueMicrotask(() => resume(Effect.succeed(response))))
}
const http = Layer.succeedContext(Context.make(HttpClient.HttpClient, httpClient).pipe(Context.add(Transport.Transport, transport)))
const options = { apiKey: API_KEY, baseUrl: "http://127.0.0.1:1" }
const params = { amount: 2500, currency: "USD" } as const

const traced = ManagedRuntime.make(PaymentFlow.layer(options).pipe(Layer.provide(http)))
const untraced = ManagedRuntime.make(Layer.merge(PaymentFlow.layer(options).pipe(Layer.provide(http)), Layer.setTracerEnabled(false)))
const facade = new PaymentFlowClient({ ...options, httpClient: http })

const effectLoop = (runtime: typeof traced) => (count: number) =>
  runtime.runPromise(Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const start = performance.now()
    yield* Effect.forEach(Array.from({ length: count }), () => Effect.suspend(() => pf.payments.create(params)), { discard: true })
    return performance.now() - start
  }))
const only = process.env["ONLY"]?.split(",")
type Contender = readonly [string, (count: number) => Promise<number>]
const all: ReadonlyArray<Contender> = [
  ["effect", effectLoop(traced)],
  ["effectNoTracer", effectLoop(untraced)],
  ["promise", (count) => drive(count, 1, () => facade.payments.create(params))]
]
const contenders = all.filter(([name]) => only === undefined || only.includes(name))
for (const [, run] of contenders) await run(2000)
const samples = new Map<string, Array<number>>(contenders.map(([name]) => [name, []]))
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of contenders) samples.get(name)?.push((await run(n)) * 1000 / n)
}
for (const [name, us] of samples) console.log(`${name.padEnd(15)} ${median(us).toFixed(2)} µs/request`)
await facade.close()
await traced.dispose()
await untraced.dispose()
