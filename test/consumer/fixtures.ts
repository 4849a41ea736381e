/**
 * The files of the consumer app, as a user would write them. They are strings (not `.ts` files of
 * this repository) because they compile against the INSTALLED packages, under setups the
 * workspace's own type-check does not use.
 */

/** Shared by every type-check setup: asserts that fail to compile when a public type is wrong. */
const assertions = `
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  NetworkError,
  NodePaymentFlow,
  NotFoundError,
  PaymentFlow,
  PaymentFlowClient,
  RateLimitError,
  ValidationError
} from "@paymentflow/node"
import * as Client from "@paymentflow/node/client"
import { Payment } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import type { Effect, Layer, Schema } from "effect"

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
type IsAny<T> = 0 extends 1 & T ? true : false
function assertType<T extends true>(): T | undefined {
  return undefined
}

// PaymentFlow.Service is the client's interface: a number is not one
// @ts-expect-error PaymentFlow.Service must not be \`any\`
export const notAService: PaymentFlow.Service = 12345
assertType<Equals<IsAny<PaymentFlow.Service>, false>>()

// payments.create fails with exactly its errors plus the ones every call can have
type CreateEffect = ReturnType<PaymentFlow.Service["payments"]["create"]>
assertType<Equals<IsAny<CreateEffect>, false>>()
assertType<Equals<
  Effect.Effect.Error<CreateEffect>,
  ValidationError | NotFoundError | ConflictError | AuthenticationError | RateLimitError | NetworkError | ApiError
>>()
assertType<Equals<Effect.Effect.Success<CreateEffect>["amount"], number>>()

// ValidationError names the wire field
assertType<Equals<ValidationError["field"], string | undefined>>()
assertType<Equals<ValidationError["_tag"], "ValidationError">>()

// the Promise client, from the main entry and from the pre-bundled one
declare const client: PaymentFlowClient
assertType<Equals<IsAny<typeof client.payments.create>, false>>()
assertType<Equals<Awaited<ReturnType<typeof client.payments.create>>["amount"], number>>()
declare const bundled: Client.PaymentFlowClient
assertType<Equals<IsAny<typeof bundled.payments.create>, false>>()
assertType<Equals<Awaited<ReturnType<typeof bundled.payments.create>>["amount"], number>>()
assertType<Equals<IsAny<Client.ValidationError>, false>>()

// the Effect layers
assertType<Equals<typeof NodePaymentFlow.layer, (options: PaymentFlow.Options) => Layer.Layer<PaymentFlow>>>()
assertType<Equals<IsAny<typeof Sandbox.layer>, false>>()

// a schema's Encoded type is its exact wire shape, not an index signature
type PaymentWire = Schema.Schema.Encoded<typeof Payment>
assertType<Equals<string extends keyof PaymentWire ? true : false, false>>()
assertType<Equals<
  keyof PaymentWire,
  | "id" | "object" | "amount" | "amount_refunded" | "currency" | "status" | "customer"
  | "customer_email" | "description" | "metadata" | "failure_code" | "failure_message" | "created"
>>()
assertType<Equals<PaymentWire["created"], number>>()
`

/** The browser entry, for the one setup that has the DOM library. */
const browserAssertions = `
import { BrowserPaymentFlow, PaymentFlowClient as BrowserClient, ValidationError as BrowserValidationError } from "@paymentflow/browser"
declare const browserClient: BrowserClient
assertType<Equals<IsAny<typeof browserClient.payments.create>, false>>()
assertType<Equals<IsAny<typeof BrowserPaymentFlow.layer>, false>>()
assertType<Equals<BrowserValidationError["field"], string | undefined>>()
`

const strict = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  types: ["node"]
}

/** One folder per setup: `package.json` (its `type`), `tsconfig.json` and the checked file. */
export const typeSetups = {
  "commonjs (node10)": {
    dir: "types-commonjs",
    files: {
      "package.json": JSON.stringify({ type: "commonjs" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...strict, module: "commonjs", moduleResolution: "node10", lib: ["ES2022"], esModuleInterop: true },
        files: ["check.ts"]
      }),
      "check.ts": assertions
    }
  },
  "node16 ESM": {
    dir: "types-node16-esm",
    files: {
      "package.json": JSON.stringify({ type: "module" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...strict, module: "node16", moduleResolution: "node16", lib: ["ES2022"] },
        files: ["check.ts"]
      }),
      "check.ts": assertions
    }
  },
  "node16 .cts": {
    dir: "types-node16-cts",
    files: {
      "package.json": JSON.stringify({ type: "module" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...strict, module: "node16", moduleResolution: "node16", lib: ["ES2022"] },
        files: ["check.cts"]
      }),
      "check.cts": assertions
    }
  },
  "bundler": {
    dir: "types-bundler",
    files: {
      "package.json": JSON.stringify({ type: "module" }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...strict, module: "esnext", moduleResolution: "bundler", lib: ["ES2022", "DOM", "DOM.Iterable"] },
        files: ["check.ts"]
      }),
      "check.ts": assertions + browserAssertions
    }
  }
} as const

/** The flows every Promise client runs; `load` brings `{ PaymentFlowClient, ValidationError }`. */
const promiseFlows = (load: string) => `
const main = async () => {
  const { PaymentFlowClient, ValidationError } = ${load}
  const client = new PaymentFlowClient({ apiKey: process.env.PF_KEY, baseUrl: process.env.PF_URL })
  const customer = await client.customers.create({ email: "jane@example.com", name: "Jane Doe" })
  const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
  const payment = await client.payments.create({ amount: 2500, currency: "USD", customer: customer.id, paymentMethod: { card } })
  const retrieved = await client.payments.retrieve(payment.id)
  const page = await client.payments.list({ limit: 10 })
  const refund = await client.refunds.create({ paymentId: payment.id, amount: 500 })
  let invalid = null
  try {
    await client.payments.create({ amount: 0, currency: "USD" })
  } catch (error) {
    invalid = { isClass: error instanceof ValidationError, tag: error._tag, field: error.field }
  }
  await client.close()
  console.log(JSON.stringify({
    customerEmail: customer.email,
    status: retrieved.status,
    sameId: retrieved.id === payment.id,
    customer: retrieved.customer === customer.id,
    listed: page.data.some((p) => p.id === payment.id),
    refund: { amount: refund.amount, payment: refund.paymentId === payment.id },
    invalid
  }))
}
main().catch((error) => { console.error(error); process.exit(1) })
`

/** The Effect API: the same flows on `NodePaymentFlow.layer`. */
const effectFlows = `
import { NodePaymentFlow, PaymentFlow } from "@paymentflow/node"
import { Effect } from "effect"

const program = Effect.gen(function*() {
  const pf = yield* PaymentFlow
  const customer = yield* pf.customers.create({ email: "jane@example.com", name: "Jane Doe" })
  const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
  const payment = yield* pf.payments.create({ amount: 2500, currency: "USD", customer: customer.id, paymentMethod: { card } })
  const retrieved = yield* pf.payments.retrieve(payment.id)
  const page = yield* pf.payments.list({ limit: 10 })
  const refund = yield* pf.refunds.create({ paymentId: payment.id, amount: 500 })
  const invalid = yield* pf.payments.create({ amount: 0, currency: "USD" }).pipe(
    Effect.map(() => null),
    Effect.catchTag("ValidationError", (e) => Effect.succeed({ isClass: true, tag: e._tag, field: e.field }))
  )
  return {
    customerEmail: customer.email,
    status: retrieved.status,
    sameId: retrieved.id === payment.id,
    customer: retrieved.customer === customer.id,
    listed: page.data.some((p) => p.id === payment.id),
    refund: { amount: refund.amount, payment: refund.paymentId === payment.id },
    invalid
  }
})

program.pipe(
  Effect.provide(NodePaymentFlow.layer({ apiKey: process.env.PF_KEY, baseUrl: process.env.PF_URL })),
  Effect.runPromise
).then((out) => console.log(JSON.stringify(out)), (error) => { console.error(error); process.exit(1) })
`

export const runtimeFiles = {
  "flows-esm.mjs": promiseFlows("await import(process.env.PF_MODULE)"),
  "flows-cjs.cjs": promiseFlows("require(process.env.PF_MODULE)"),
  "flows-effect.mjs": effectFlows
} as const

/** What every flow prints against a fresh sandbox. */
export const expectedFlows = {
  customerEmail: "jane@example.com",
  status: "succeeded",
  sameId: true,
  customer: true,
  listed: true,
  refund: { amount: 500, payment: true },
  invalid: { isClass: true, tag: "ValidationError", field: "amount" }
}

/** A browser app with no config: Vite's defaults and the browser entry. */
export const browserApp = {
  "index.html": `<!doctype html>
<html>
  <body>
    <div id="out"></div>
    <script type="module" src="/main.js"></script>
  </body>
</html>
`,
  "main.js": `import { PaymentFlowClient, ValidationError } from "@paymentflow/browser"

const client = new PaymentFlowClient({ apiKey: "pk_test_0123456789abcdef" })
document.getElementById("out").textContent = typeof client.payments.create + " " + ValidationError.name
`
} as const
