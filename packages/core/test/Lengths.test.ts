/**
 * Length rules count characters (Unicode code points), as the contract and the JSON Schema
 * forms say, not UTF-16 units: an emoji is one character. Each limit is checked with astral
 * characters on both sides, which share the schemas: the client refuses locally (a
 * `ValidationError`, nothing sent) and the sandbox refuses the raw body with a 400.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlow } from "@paymentflow/core"
import { API_VERSION } from "@paymentflow/core/Fields"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const SK = "sk_test_abcdefghijklmnop1234"
/** One character, two UTF-16 units. */
const EMOJI = "😀"
const emoji = (n: number) => EMOJI.repeat(n)
const domain = "@example.com"

interface Case {
  readonly rule: string
  readonly path: "/v1/customers" | "/v1/payments"
  readonly field: string
  /** The wire body with a string of `n` characters where the rule applies. */
  readonly body: (n: number) => Record<string, unknown>
  readonly limit: number
}

const cases: ReadonlyArray<Case> = [
  { rule: "email ≤ 254", path: "/v1/customers", field: "email", limit: 254, body: (n) => ({ email: emoji(n - domain.length) + domain }) },
  { rule: "name ≤ 256", path: "/v1/customers", field: "name", limit: 256, body: (n) => ({ email: "a@b.co", name: emoji(n) }) },
  { rule: "phone ≤ 32", path: "/v1/customers", field: "phone", limit: 32, body: (n) => ({ email: "a@b.co", phone: emoji(n) }) },
  { rule: "metadata value ≤ 500", path: "/v1/customers", field: "metadata.k", limit: 500, body: (n) => ({ email: "a@b.co", metadata: { k: emoji(n) } }) },
  {
    rule: "metadata key ≤ 40",
    path: "/v1/customers",
    field: `metadata.${emoji(41)}`,
    limit: 40,
    body: (n) => ({ email: "a@b.co", metadata: { [emoji(n)]: "v" } })
  },
  { rule: "description ≤ 1000", path: "/v1/payments", field: "description", limit: 1000, body: (n) => ({ amount: 100, currency: "USD", description: emoji(n) }) }
]

/** The same body through the client: these fields have one name on the wire and in params. */
const create = (pf: PaymentFlow.Service, c: Case, n: number): Effect.Effect<unknown, unknown> =>
  c.path === "/v1/customers"
    ? pf.customers.create(c.body(n) as never)
    : pf.payments.create(c.body(n) as never)

const layer = PaymentFlow.layer({ apiKey: SK, maxRetries: 0 }).pipe(Layer.provideMerge(Sandbox.layer({ rateLimit: false })))

const post = (path: string, body: unknown) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const request = HttpClientRequest.post(`https://sandbox.api.paymentflow.com${path}`).pipe(
      HttpClientRequest.bearerToken(SK),
      HttpClientRequest.setHeaders({ "PaymentFlow-Version": API_VERSION }),
      HttpClientRequest.bodyUnsafeJson(body)
    )
    const response = yield* client.execute(request)
    return { status: response.status, body: yield* response.json }
  })

describe("length rules count code points", () => {
  for (const c of cases) {
    it.effect(`${c.rule}: ${c.limit} characters (emoji) pass on the client and the sandbox, ${c.limit + 1} are refused by both`, () =>
      Effect.gen(function*() {
        const pf = yield* PaymentFlow
        // at the limit: accepted by the client and the server
        yield* create(pf, c, c.limit)
        const atLimit = yield* post(c.path, c.body(c.limit))
        expect(atLimit.status).toBe(200)

        // one over: refused locally, with the wire field
        const error = yield* Effect.flip(create(pf, c, c.limit + 1))
        expect(error).toMatchObject({ _tag: "ValidationError", code: "parameter_invalid", field: c.field })
        // …and by the sandbox from the raw body
        const over = yield* post(c.path, c.body(c.limit + 1))
        expect(over.status).toBe(400)
        expect(over.body).toMatchObject({ error: { code: "parameter_invalid", field: c.field } })
      }).pipe(Effect.provide(layer)))
  }
})
