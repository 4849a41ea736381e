/**
 * Property tests (fast-check through `@effect/vitest`, arbitraries from the schemas):
 *
 * 1. Random arguments — valid, mutated, or plain garbage — to every operation of the endpoint
 *    table, against the in-process sandbox, end in a success or a typed `PaymentFlowError`:
 *    never a defect, never an exception.
 * 2. Every schema of the API (objects, lists, events, error bodies, every operation's params)
 *    round-trips: encode → JSON → decode gives the value back.
 * 3. The SDK's local validation and the sandbox's give the same verdict — the same code and the
 *    same wire field — on the same (often invalid) input: the SDK's side is observed on a
 *    recording `HttpClient` (refused locally = nothing sent), the sandbox's by sending it the
 *    raw wire body, bypassing the SDK.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Api, Customer, DeletedCustomer, ErrorBody, Event, isPaymentFlowError, Payment, PaymentMethod, Refund } from "@paymentflow/core"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { API_VERSION } from "@paymentflow/core/Fields"
import * as Client from "@paymentflow/core/internal/client"
import { Sandbox } from "@paymentflow/sandbox"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Arb from "./arbitraries.js"
import { expectAgreement, isRecord, recording, verdictOf } from "./verdicts.js"

const SK = "sk_test_propertyPROPERTY012345"
const RUNS = 300

type Operation = Client.AnyOperation

/** Every operation of the table, untyped (the interpreter the typed service is laid over). */
/** The user's rows (the sandbox-only control rows are exercised by packages/sandbox/test/SandboxControl.test.ts). */
const userRows = Api.all.filter(Endpoint.isClient)

class Operations extends Context.Tag("test/Operations")<Operations, ReadonlyArray<readonly [Endpoint.Any, Operation]>>() {}

const operationsLayer = Layer.scoped(
  Operations,
  Effect.map(Client.makeContext({ apiKey: SK, maxRetries: 0 }), (ctx) => userRows.map((e) => [e, Client.makeOperation(ctx, e)] as const))
)

const idArb = (schema: Schema.Schema.AnyNoContext): FastCheck.Arbitrary<unknown> =>
  FastCheck.oneof({ weight: 3, arbitrary: Arb.makeUnknown(schema) }, { weight: 1, arbitrary: Arb.nasty })

const optionsArb: FastCheck.Arbitrary<unknown> = FastCheck.oneof(
  { weight: 4, arbitrary: FastCheck.constant(undefined) },
  { weight: 2, arbitrary: FastCheck.record({ idempotencyKey: FastCheck.oneof(FastCheck.string({ maxLength: 300 }), Arb.nasty) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: FastCheck.record({ maxRetries: FastCheck.oneof(FastCheck.integer({ min: -3, max: 0 }), FastCheck.constant(Number.NaN)) }) },
  // (a `timeout` that is not a Duration, e.g. "5s" from plain JavaScript, is a ValidationError)
  { weight: 1, arbitrary: FastCheck.record({ timeout: FastCheck.oneof(FastCheck.constantFrom<unknown>("5 seconds", 1000, 0, "1 millis", "5s", -1, Number.NaN, "soon"), Arb.nasty) }) },
  { weight: 1, arbitrary: Arb.nasty }
)

interface Call {
  readonly endpoint: Endpoint.Any
  readonly args: ReadonlyArray<unknown>
}

const callArb: FastCheck.Arbitrary<Call> = FastCheck.oneof(
  ...userRows.map((endpoint) =>
    FastCheck.tuple(
      endpoint.id ? idArb(endpoint.id) : FastCheck.constant(undefined),
      endpoint.params ? Arb.params(endpoint.params) : FastCheck.constant(undefined),
      optionsArb
    ).map(([id, params, options]): Call => ({
      endpoint,
      args: [...(endpoint.id ? [id] : []), ...(endpoint.params ? [params] : []), options]
    }))
  )
)

const describeCall = (call: Call) =>
  `${call.endpoint.method} ${call.endpoint.path} ${JSON.stringify(call.args, (_, v: unknown) => (v === undefined ? "<undefined>" : v)).slice(0, 300)}`

layer(Layer.provideMerge(operationsLayer, Sandbox.layer({ rateLimit: false })))("every operation, random arguments", (it) => {
  it.effect.prop(
    "ends in a success or a typed PaymentFlowError — never a defect or an exception",
    [callArb],
    ([call]) =>
      Effect.gen(function*() {
        const ops = yield* Operations
        const op = ops.find(([e]) => e === call.endpoint)?.[1]
        if (op === undefined) return yield* Effect.dieMessage("no operation")
        // a synchronous throw from the operation would become a Die here, and fail the property
        const exit = yield* Effect.exit(Effect.suspend(() => op(...call.args)))
        if (Exit.isFailure(exit)) {
          const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
          expect(failure !== undefined && isPaymentFlowError(failure), `${describeCall(call)}\n${Cause.pretty(exit.cause)}`).toBe(true)
        }
      }),
    { fastCheck: { numRuns: RUNS * 3, seed: 1 } }
  )
})

describe("schemas round-trip (encode → JSON → decode)", () => {
  const schemas = {
    Payment,
    Refund,
    Customer,
    DeletedCustomer,
    Event,
    ErrorBody,
    PaymentList: Api.PaymentList,
    RefundList: Api.RefundList,
    CustomerList: Api.CustomerList,
    PaymentMethod,
    PaymentMethodList: Api.PaymentMethodList
  } satisfies Record<string, Schema.Schema.AnyNoContext>
  const rows: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
    ...Object.entries(schemas),
    ...userRows.flatMap((e) => (e.params ? [[`${e.group}.${e.name} params`, e.params] as const] : []))
  ]
  for (const [name, schema] of rows) {
    const encode = Schema.encodeUnknownSync(schema)
    const decode = Schema.decodeUnknownSync(schema, { onExcessProperty: "error" })
    it.prop(`${name}`, [Arb.makeUnknown(schema)], ([value]) => {
      const wire: unknown = JSON.parse(JSON.stringify(encode(value)))
      expect(decode(wire)).toEqual(value)
    }, { fastCheck: { numRuns: 100, seed: 2 } })
  }
})

// --- verdicts ------------------------------------------------------------------------------

/** camelCase → wire names at the positions the params use them (top level, the card). */
const WIRE: Readonly<Record<string, string>> = {
  customerEmail: "customer_email",
  paymentMethod: "payment_method",
  startingAfter: "starting_after",
  paymentId: "payment_id",
  defaultPaymentMethod: "default_payment_method",
  expMonth: "exp_month",
  expYear: "exp_year"
}

const renameKeys = (value: unknown, known: ReadonlyArray<string>, depth: "top" | "method" | "card" | "leaf"): unknown => {
  if (typeof value !== "object" || value === null || Array.isArray(value) || depth === "leaf") return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const isKnown = depth === "card" || (depth === "top" && known.includes(k))
    // the card sits under `paymentMethod` on a payment, at the top of `POST /v1/payment_methods`
    const next = isKnown && depth === "top" && k === "paymentMethod" ? "method" : (depth === "method" || (depth === "top" && isKnown)) && k === "card" ? "card" : "leaf"
    out[isKnown ? WIRE[k] ?? k : k] = renameKeys(v, known, next)
  }
  return out
}

const paramEndpoints = userRows.filter((e) => e.params !== undefined)

const verdictCallArb = FastCheck.oneof(
  ...paramEndpoints.map((endpoint) =>
    FastCheck.tuple(FastCheck.constant(endpoint), endpoint.params ? Arb.params(endpoint.params) : FastCheck.constant({}))
  )
).map(([endpoint, params]) => ({ endpoint, params: JSON.parse(JSON.stringify(params) ?? "null") as unknown }))
  // params are JSON objects on the wire (a bare `0` has no query-string form; as a body it is
  // `body_invalid`, a transport-level refusal, not a parameter rule)
  .filter((c): c is { endpoint: Endpoint.Any; params: Record<string, unknown> } => isRecord(c.params))
  // a query string carries only text: compare the inputs it can carry as they are (strings, and
  // numbers for `limit`); `null` would arrive as the string "null", a different input
  .filter(({ endpoint, params }) =>
    endpoint.method !== "GET" ||
    Object.entries(params).every(([k, v]) => (k === "limit" ? typeof v === "number" : typeof v === "string"))
  )

/** The id prefix of the object a path's first segment names. */
const ID_PREFIX: Readonly<Record<string, string>> = { payments: "pay", refunds: "ref", customers: "cus", payment_methods: "pm" }

describe("the SDK's local validation and the sandbox's agree", () => {
  const sdk = recording()
  const sdkLayer = operationsLayer.pipe(Layer.provide(sdk.layer))
  const sandboxLayer = Sandbox.layer({ rateLimit: false })

  it.effect.prop(
    "on random (mostly invalid) params: refused locally ⇔ 400 from the sandbox, with the same code and field",
    [verdictCallArb],
    ([{ endpoint, params }]) =>
      Effect.gen(function*() {
        const ops = yield* Operations
        const op = ops.find(([e]) => e === endpoint)?.[1]
        if (op === undefined) return yield* Effect.dieMessage("no operation")
        const id = endpoint.id === undefined ? [] : [`${ID_PREFIX[endpoint.path.split("/")[2] ?? ""] ?? "x"}_AAAAAAAAAAAAAAAAAAAAAAAA`]
        // the SDK
        const before = sdk.sent()
        const exit = yield* Effect.exit(op(...id, params, { maxRetries: 0 }))
        const local = sdk.sent() === before
        const sdkVerdict = verdictOf(exit, !local)
        expect(local ? Exit.isFailure(exit) : true).toBe(true)
        // the sandbox, with the raw wire form of the same input
        const http = yield* HttpClient.HttpClient
        const wire = renameKeys(params, endpoint.params ? Arb.keysOf(endpoint.params) : [], "top")
        const path = endpoint.path.replace(":id", id[0] ?? "")
        let request = HttpClientRequest.make(endpoint.method)(`http://sandbox.local${path}`).pipe(
          HttpClientRequest.setHeaders({ authorization: `Bearer ${SK}`, "paymentflow-version": API_VERSION })
        )
        if (endpoint.method === "GET" || endpoint.method === "DELETE") {
          const query = new URLSearchParams()
          if (typeof wire === "object" && wire !== null) {
            for (const [k, v] of Object.entries(wire)) if (v !== undefined) query.append(k, String(v))
          }
          request = HttpClientRequest.setUrl(request, `http://sandbox.local${path}${query.size > 0 ? `?${query}` : ""}`)
        } else {
          request = HttpClientRequest.bodyText(request, JSON.stringify(wire), "application/json")
        }
        const response = yield* http.execute(request)
        const text = yield* response.text
        const body = Schema.decodeUnknownOption(ErrorBody)(JSON.parse(text))
        const server = body._tag === "Some" ? { status: response.status, code: body.value.error.code, field: body.value.error.field } : { status: response.status }
        const label = `${endpoint.method} ${endpoint.path} ${JSON.stringify(params).slice(0, 300)}\nSDK: ${JSON.stringify(sdkVerdict)}\nsandbox: ${JSON.stringify(server)} ${text.slice(0, 200)}`
        expectAgreement(sdkVerdict, server, label)
      }).pipe(Effect.provide(Layer.merge(sdkLayer, sandboxLayer))),
    { fastCheck: { numRuns: RUNS, seed: 3 } }
  )
})
