/**
 * Node's clients decide before sending, as core's do: an unset `PAYMENTFLOW_API_KEY` is a typed
 * failure on each call (never a throw at construction), a malformed id is `ValidationError` field
 * `id`, and a secret key is refused if the code runs in a browser.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { AuthenticationError, NodePaymentFlow, PaymentFlow, PaymentFlowClient, ValidationError } from "@paymentflow/node"
import type { CustomerId } from "@paymentflow/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { loopback } from "./utils/loopback.js"

const SK = "sk_test_nodeabcdefghijklmnop1"
const unset: string | undefined = process.env["PAYMENTFLOW_TEST_DEFINITELY_UNSET"]

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

const answer = { id: "pay_000000000000000000000001" }

describe("@paymentflow/node before sending", () => {
  it.live("new PaymentFlowClient({ apiKey: process.env.X }) with X unset: no throw; each call rejects api_key_missing, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => res.end(JSON.stringify(answer)))
      const client = new PaymentFlowClient({ apiKey: unset, baseUrl: server.url })
      const error: unknown = yield* Effect.promise(() => client.customers.list().catch((e: unknown) => e))
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ code: "api_key_missing" })
      expect(server.seen).toHaveLength(0)
      yield* Effect.promise(() => client.close())
    }).pipe(Effect.scoped))

  it.live("NodePaymentFlow.layer({ apiKey: undefined }) builds; each call fails with api_key_missing, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => res.end(JSON.stringify(answer)))
      const exit = yield* Effect.flatMap(PaymentFlow, (pf) => pf.customers.list()).pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: undefined, baseUrl: server.url })),
        Effect.exit
      )
      expect(failureOf(exit)).toMatchObject({ _tag: "AuthenticationError", code: "api_key_missing" })
      expect(server.seen).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("a malformed id is ValidationError field id from both the Promise client and the Effect layer, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* loopback((res) => res.end(JSON.stringify(answer)))
      const client = new PaymentFlowClient({ apiKey: SK, baseUrl: server.url })
      const fromPromise: unknown = yield* Effect.promise(() => client.customers.delete("cus_nope").catch((e: unknown) => e))
      yield* Effect.promise(() => client.close())
      const exit = yield* Effect.flatMap(PaymentFlow, (pf) => pf.customers.retrieve("cus_nope" as CustomerId)).pipe(
        Effect.provide(NodePaymentFlow.layer({ apiKey: SK, baseUrl: server.url })),
        Effect.exit
      )
      for (const error of [fromPromise, failureOf(exit)]) {
        expect(error).toBeInstanceOf(ValidationError)
        expect(error).toMatchObject({ field: "id", code: "parameter_invalid" })
      }
      expect(server.seen).toHaveLength(0)
    }).pipe(Effect.scoped))

  describe("in a browser (window and document defined)", () => {
    const g: Record<string, unknown> = globalThis
    afterEach(() => {
      delete g["window"]
      delete g["document"]
    })

    it.live("a secret key is refused with secret_key_in_browser, unless dangerouslyAllowBrowser", () =>
      Effect.gen(function*() {
        const server = yield* loopback((res) => res.end(JSON.stringify({ object: "list", data: [], has_more: false, total_count: 0 })))
        g["window"] = globalThis
        g["document"] = {}
        const refused = new PaymentFlowClient({ apiKey: SK, baseUrl: server.url })
        const error: unknown = yield* Effect.promise(() => refused.customers.list().catch((e: unknown) => e))
        expect(error).toMatchObject({ _tag: "AuthenticationError", code: "secret_key_in_browser" })
        expect(server.seen).toHaveLength(0)
        const allowed = new PaymentFlowClient({ apiKey: SK, baseUrl: server.url, dangerouslyAllowBrowser: true })
        yield* Effect.promise(() => allowed.customers.list())
        expect(server.seen).toHaveLength(1)
        yield* Effect.promise(() => Promise.all([refused.close(), allowed.close()]))
      }).pipe(Effect.scoped))
  })
})
