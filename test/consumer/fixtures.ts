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
import { Payment, PaymentWithSecret } from "@paymentflow/core"
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

// an unset environment variable is a valid apiKey (every call then fails with api_key_missing)
export const fromEnv = new PaymentFlowClient({ apiKey: process.env.PAYMENTFLOW_API_KEY })
export const fromEnvBundled = new Client.PaymentFlowClient({ apiKey: process.env.PAYMENTFLOW_API_KEY })
export const layerFromEnv = NodePaymentFlow.layer({ apiKey: process.env.PAYMENTFLOW_API_KEY })
// the escape hatch for jsdom/happy-dom tests of a secret-key client
export const inJsdom = new PaymentFlowClient({ apiKey: "sk_test_0123456789abcdef", dangerouslyAllowBrowser: true })

// the Effect layers
assertType<Equals<typeof NodePaymentFlow.layer, (options: PaymentFlow.Options) => Layer.Layer<PaymentFlow>>>()
assertType<Equals<IsAny<typeof Sandbox.layer>, false>>()

// a schema's Encoded type is its exact wire shape, not an index signature
type PaymentWire = Schema.Schema.Encoded<typeof Payment>
assertType<Equals<string extends keyof PaymentWire ? true : false, false>>()
assertType<Equals<
  keyof PaymentWire,
  | "id" | "object" | "amount" | "amount_refunded" | "currency" | "status" | "customer"
  | "customer_email" | "description" | "metadata" | "payment_method" | "failure_code" | "failure_message" | "created"
>>()
// a response about one payment carries its client secret; a list item (Payment) does not
assertType<Equals<Exclude<keyof Schema.Schema.Encoded<typeof PaymentWithSecret>, keyof PaymentWire>, "client_secret">>()
assertType<Equals<Awaited<ReturnType<typeof client.payments.create>>["clientSecret"], string>>()
assertType<Equals<PaymentWire["created"], number>>()
`

/** The browser entry, for the one setup that has the DOM library. */
const browserAssertions = `
import { BrowserPaymentFlow, PaymentFlowClient as BrowserClient, ValidationError as BrowserValidationError } from "@paymentflow/browser"
declare const browserClient: BrowserClient
assertType<Equals<IsAny<typeof browserClient.payments.confirm>, false>>()
// a publishable key cannot create a payment: the browser client has no create
assertType<Equals<"create" extends keyof typeof browserClient.payments ? true : false, false>>()
// but it tokenizes a card: paymentMethods.create, the only payment-method operation in the browser
assertType<Equals<IsAny<typeof browserClient.paymentMethods.create>, false>>()
assertType<Equals<keyof typeof browserClient.paymentMethods, "create">>()
assertType<Equals<IsAny<typeof BrowserPaymentFlow.layer>, false>>()
assertType<Equals<BrowserValidationError["field"], string | undefined>>()
export const browserFromEnv = new BrowserClient({ apiKey: undefined })
// the browser package always refuses a secret key: it offers no escape hatch
// @ts-expect-error dangerouslyAllowBrowser is not a browser option
export const browserDangerous = new BrowserClient({ apiKey: "pk_test_0123456789abcdef", dangerouslyAllowBrowser: true })
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

/**
 * What the installed copies decide before sending, and how their error classes relate: the ESM
 * and CJS builds of `@paymentflow/node` and the pre-bundled `@paymentflow/node/client` (ESM and
 * CJS) are four copies of the classes. Prints one JSON line; nothing is sent (the base URL is a
 * closed loopback port, and every call here is refused locally).
 */
const copies = `
import { createRequire } from "node:module"
const require = createRequire(import.meta.url)
const copies = {
  "node ESM": await import("@paymentflow/node"),
  "node CJS": require("@paymentflow/node"),
  "node/client ESM": await import("@paymentflow/node/client"),
  "node/client CJS": require("@paymentflow/node/client"),
  "core ESM": await import("@paymentflow/core"),
  "core CJS": require("@paymentflow/core")
}
const baseUrl = "http://127.0.0.1:9"
const out = { distinctClasses: 0, instanceOf: {}, malformedId: {}, unsetKey: {} }
const names = Object.keys(copies)
for (const a of names) for (const b of names) {
  if (copies[a].ValidationError !== copies[b].ValidationError) out.distinctClasses++
  const made = new copies[a].ValidationError({ code: "parameter_invalid", message: "m", field: "id" })
  out.instanceOf[a + " -> " + b] = [
    made instanceof copies[b].ValidationError,
    made instanceof copies[b].NotFoundError,
    copies[b].isPaymentFlowError(made)
  ]
}
const describe = (error) => ({
  tag: error._tag,
  code: error.code,
  field: error.field,
  statusCode: error.statusCode,
  isNodeValidationError: error instanceof copies["node ESM"].ValidationError && error instanceof copies["node CJS"].ValidationError,
  isNotFoundError: error instanceof copies["node ESM"].NotFoundError,
  isPaymentFlowError: copies["node ESM"].isPaymentFlowError(error) && copies["node CJS"].isPaymentFlowError(error)
})
for (const name of ["node ESM", "node CJS", "node/client ESM", "node/client CJS"]) {
  const client = new copies[name].PaymentFlowClient({ apiKey: "sk_test_consumer0123456789abcd", baseUrl })
  out.malformedId[name] = describe(await client.payments.retrieve("pay_nope").catch((e) => e))
  await client.close()
  const unset = new copies[name].PaymentFlowClient({ apiKey: process.env.PAYMENTFLOW_UNSET_IN_THIS_TEST, baseUrl })
  const error = await unset.customers.list().catch((e) => e)
  out.unsetKey[name] = [error._tag, error.code, String(unset)]
  await unset.close()
}
const { Effect } = await import("effect")
const { NodePaymentFlow, PaymentFlow } = copies["node ESM"]
const effect = (apiKey, f) => Effect.runPromise(Effect.flip(Effect.flatMap(PaymentFlow, f)).pipe(
  Effect.provide(NodePaymentFlow.layer({ apiKey, baseUrl }))
))
out.malformedId["node Effect"] = describe(await effect("sk_test_consumer0123456789abcd", (pf) => pf.payments.retrieve("pay_nope")))
const unsetEffect = await effect(undefined, (pf) => pf.customers.list())
out.unsetKey["node Effect"] = [unsetEffect._tag, unsetEffect.code, "-"]
console.log(JSON.stringify(out))
`

export const runtimeFiles = {
  "flows-esm.mjs": promiseFlows("await import(process.env.PF_MODULE)"),
  "flows-cjs.cjs": promiseFlows("require(process.env.PF_MODULE)"),
  "flows-effect.mjs": effectFlows,
  "copies.mjs": copies
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
document.getElementById("out").textContent = typeof client.payments.confirm + " " + ValidationError.name
`
} as const

/**
 * A browser app that imports the Node package by mistake, with a secret key: the `browser`
 * export condition resolves it to a module that refuses to load, naming the package to use.
 */
export const nodeInBrowserApp = {
  "index.html": browserApp["index.html"],
  "main.js": `import { PaymentFlowClient } from "@paymentflow/node"

const client = new PaymentFlowClient({ apiKey: "sk_test_0123456789abcdef" })
document.getElementById("out").textContent = String(client)
`
} as const

/** Runs a Vite bundle in Node with just enough of a `document` for Vite's preload polyfill. */
export const runBundle = `
globalThis.document = { createElement: () => ({ relList: { supports: () => true } }), getElementById: () => ({}) }
try {
  await import(process.argv[1])
  console.log(JSON.stringify({ loaded: true }))
} catch (error) {
  console.log(JSON.stringify({ loaded: false, message: String(error && error.message) }))
}
`
