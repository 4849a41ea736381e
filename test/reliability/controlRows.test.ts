/**
 * The sandbox-only control rows (`surface: "sandbox"`, core's `SandboxControl.ts`) on random and
 * bad input, as `properties.test.ts` does for the user's rows:
 *
 * 1. Random params — valid, mutated, garbage — to every control row with parameters: the SDK's
 *    local validation (what `SandboxControl` runs before sending, observed on a recording
 *    `HttpClient`) and the sandbox's control guard (the raw wire body, bypassing the SDK) give
 *    the same verdict: refused locally ⇔ 400 with the same code and wire field; sent ⇒ never a
 *    parameter-rule 400. Every answer of the sandbox is the contract's error shape or the row's
 *    success. Each run calls with a key of its own, so a fault it queues hits no other run.
 * 2. A control row without parameters refuses any (400 `parameter_unknown`, as a user's row).
 * 3. Over a real `SandboxServer`: `SandboxControlClient` rejects bad input with a typed
 *    `ValidationError` and sends nothing; the server answers the same input 400 with the same
 *    code and field.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Api, ErrorBody } from "@paymentflow/core"
import * as Endpoint from "@paymentflow/core/Endpoint"
import * as Client from "@paymentflow/core/internal/client"
import { SandboxOperation } from "@paymentflow/core/SandboxControl"
import { Sandbox } from "@paymentflow/sandbox"
import { SandboxControlClient } from "@paymentflow/sandbox/SandboxControl"
import { SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Arb from "./arbitraries.js"
import { expectAgreement, isRecord, recording, verdictOf } from "./verdicts.js"

const controlRows = Api.all.filter((e) => !Endpoint.isClient(e))
const withParams = controlRows.filter((e): e is Endpoint.Any & { readonly params: Schema.Schema.AnyNoContext } => e.params !== undefined)

/** A params struct's names: Type side (camelCase) → wire (snake_case), read from its AST. */
const wireNames = (schema: Schema.Schema.AnyNoContext): ReadonlyMap<string, string> => {
  const names = new Map<string, string>()
  const type = AST.typeAST(schema.ast)
  if (type._tag === "TypeLiteral") for (const ps of type.propertySignatures) names.set(String(ps.name), String(ps.name))
  const ast = schema.ast
  if (ast._tag === "Transformation" && ast.transformation._tag === "TypeLiteralTransformation") {
    for (const t of ast.transformation.propertySignatureTransformations) names.set(String(t.to), String(t.from))
  }
  return names
}

const toWire = (value: unknown, names: ReadonlyMap<string, string>): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [names.get(k) ?? k, v]))
    : value

/** Keys set to garbage or to values near the control rows' rules (an operation name, a fault, the bounds). */
const near = FastCheck.oneof(Arb.nasty, FastCheck.constantFrom("payments.nope", "sandbox.reset", "503", -1, 0, 1_000_001, 31_536_001))

const callArb = FastCheck.oneof(...withParams.map((endpoint) => FastCheck.tuple(FastCheck.constant(endpoint), Arb.params(endpoint.params, near))))
  .map(([endpoint, params]) => ({ endpoint, params: JSON.parse(JSON.stringify(params) ?? "null") as unknown }))
  // params are JSON objects on the wire (a bare `0` as a body is `body_invalid`, not a parameter rule)
  .filter((c): c is { endpoint: (typeof withParams)[number]; params: Record<string, unknown> } => isRecord(c.params))

let n = 0
const freshKey = () => `sk_test_controlrows${String(++n).padStart(8, "0")}`

const send = (method: string, path: string, key: string, body?: unknown) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method === "GET" ? "GET" : "POST")(`http://sandbox.local${path}`).pipe(
      HttpClientRequest.setHeaders({ authorization: `Bearer ${key}` })
    )
    if (body !== undefined) request = HttpClientRequest.bodyText(request, JSON.stringify(body), "application/json")
    const response = yield* http.execute(request)
    return { status: response.status, json: JSON.parse(yield* response.text) as unknown }
  })

describe("control rows: the SDK's local validation and the sandbox's agree", () => {
  it("`createFault`'s operation is exactly the user's rows", () => {
    expect(Api.keys.filter(Schema.is(SandboxOperation))).toEqual(Api.clientKeys)
  })

})

layer(Sandbox.layer({ rateLimit: false }))("control rows, random params", (it) => {
  it.effect.prop(
    "on random (mostly invalid) params: refused locally ⇔ 400 from the sandbox, with the same code and field",
    [callArb],
    ([{ endpoint, params }]) =>
      Effect.gen(function*() {
        const sdk = recording()
        // the SDK's client reads its HttpClient when it is made: the recording one
        const ctx = yield* Effect.provide(Client.makeContext({ apiKey: freshKey(), maxRetries: 0 }), sdk.layer)
        const op = Client.makeOperation(ctx, endpoint)
        const exit = yield* Effect.exit(op(params, { maxRetries: 0 }))
        const local = sdk.sent() === 0
        const failure = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
        const sdkVerdict = verdictOf(exit, !local)
        expect(local ? failure?._tag : "sent", JSON.stringify(params)).toBe(local ? "ValidationError" : "sent")
        // the sandbox, with the raw wire form of the same input, under a key of this run's own
        const server = yield* send(endpoint.method, endpoint.path, freshKey(), toWire(params, wireNames(endpoint.params)))
        const error = Schema.decodeUnknownOption(ErrorBody)(server.json)
        const label = `${endpoint.method} ${endpoint.path} ${JSON.stringify(params)}\nSDK: ${JSON.stringify(sdkVerdict)}\nsandbox: ${server.status} ${JSON.stringify(server.json)}`
        if (server.status === 200) expect(Schema.is(Schema.encodedSchema(endpoint.success))(server.json), label).toBe(true)
        else expect(error._tag, label).toBe("Some")
        expectAgreement(sdkVerdict, error._tag === "Some" ? { status: server.status, code: error.value.error.code, field: error.value.error.field } : server, label)
      }).pipe(Effect.scoped),
    { fastCheck: { numRuns: 300, seed: 4 } }
  )
})

describe("control rows without parameters", () => {
  it.effect("a control row without parameters refuses any: 400 parameter_unknown", () =>
    Effect.gen(function*() {
      const rows = controlRows.filter((e) => e.params === undefined)
      expect(rows.length).toBeGreaterThan(0)
      for (const e of rows) {
        const answer = yield* send(e.method, `${e.path}${e.method === "GET" ? "?limit=1" : ""}`, freshKey(), e.method === "GET" ? undefined : { limit: 1 })
        expect(answer, `${e.method} ${e.path}`).toEqual({
          status: 400,
          json: { error: expect.objectContaining({ type: "validation_error", code: "parameter_unknown", field: "limit" }) }
        })
      }
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))
})

describe("control rows: bad input over a real SandboxServer", () => {
  it("SandboxControlClient rejects it with a typed ValidationError and sends nothing; the server answers it 400 alike", async () => {
    const server = await SandboxServer.start({ rateLimit: false })
    const key = freshKey()
    const control = new SandboxControlClient({ apiKey: key, baseUrl: server.url })
    try {
      const cases: ReadonlyArray<readonly [string, string, Record<string, unknown>, (input: never) => Promise<unknown>]> = [
        ["POST", "/v1/sandbox/faults", { fault: "503", operation: "payments.nope" }, control.sandbox.createFault as (input: never) => Promise<unknown>],
        ["POST", "/v1/sandbox/faults", { fault: "418" }, control.sandbox.createFault as (input: never) => Promise<unknown>],
        ["POST", "/v1/sandbox/faults", { fault: "delay", delay_ms: -5 }, control.sandbox.createFault as (input: never) => Promise<unknown>],
        ["POST", "/v1/sandbox/clock/advance", { seconds: 0 }, control.sandbox.advanceClock as (input: never) => Promise<unknown>],
        ["POST", "/v1/sandbox/reset", { scope: "everything" }, control.sandbox.reset as (input: never) => Promise<unknown>]
      ]
      for (const [method, path, wire, call] of cases) {
        const camel = Object.fromEntries(Object.entries(wire).map(([k, v]) => [k === "delay_ms" ? "delayMs" : k, v]))
        const rejected = await call(camel as never).then(() => undefined, (e: unknown) => e)
        expect(rejected, path).toMatchObject({ _tag: "ValidationError" })
        const { code, field } = rejected as { code: string; field: string | undefined }
        const raw = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(wire)
        })
        expect({ status: raw.status, body: await raw.json() }, JSON.stringify(wire)).toMatchObject({ status: 400, body: { error: { code, field } } })
      }
      // nothing was sent: no fault was queued, the clock never moved
      expect((await control.sandbox.retrieveClock()).advancedSeconds).toBe(0)
    } finally {
      await control.close()
      await server.close()
    }
  })
})
