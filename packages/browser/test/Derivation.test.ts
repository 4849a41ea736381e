/**
 * The browser's clients are core's derivation over the rows a publishable key may call (selected
 * by each row's `access`), not a hand-written list; a row whose access asks for the object's
 * client secret takes the secret in place of the id.
 */
import * as Api from "@paymentflow/core/Api"
import * as Endpoint from "@paymentflow/core/Endpoint"
import type { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import type { PaymentFlowPromise } from "@paymentflow/core/PaymentFlowClient"
import type { PaymentWithSecret } from "@paymentflow/core/Payment"
import {
  BrowserPaymentFlow,
  type CallOptions,
  PaymentFlowClient,
  PUBLISHABLE_OPERATIONS,
  type PublishableOperation
} from "@paymentflow/browser"
import type * as Effect from "effect/Effect"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, expectTypeOf, it } from "vitest"

type Service = BrowserPaymentFlow.Service

describe("the browser's publishable subset", () => {
  it("is selected by access: payments retrieve and confirm, paymentMethods create (creating a payment needs a secret key)", () => {
    expectTypeOf<PublishableOperation>().toEqualTypeOf<"payments.retrieve" | "payments.confirm" | "paymentMethods.create">()
    expect([...PUBLISHABLE_OPERATIONS].sort()).toEqual(["paymentMethods.create", "payments.confirm", "payments.retrieve"])
    for (const key of Api.clientKeys) {
      expect(PUBLISHABLE_OPERATIONS.includes(key as PublishableOperation)).toBe(Endpoint.allowsPublishable(Api.endpoints[key].access))
    }
  })

  it("the Effect service has exactly those operations, by the client secret, with core's results and errors", () => {
    expectTypeOf<Service>().not.toBeAny()
    expectTypeOf<keyof Service>().toEqualTypeOf<"payments" | "paymentMethods">()
    expectTypeOf<keyof Service["payments"]>().toEqualTypeOf<"retrieve" | "confirm">()
    // tokenizing is a plain publishable row: core's operation as it is
    expectTypeOf<keyof Service["paymentMethods"]>().toEqualTypeOf<"create">()
    expectTypeOf<Service["paymentMethods"]["create"]>().toEqualTypeOf<PaymentFlow.Service["paymentMethods"]["create"]>()
    // @ts-expect-error attaching needs a secret key: not in the browser
    const attach: Service["paymentMethods"]["attach"] = null!
    type Core = PaymentFlow.Service["payments"]
    expectTypeOf<Service["payments"]["retrieve"]>().toEqualTypeOf<
      (clientSecret: string, options?: PaymentFlow.RequestOptions) => ReturnType<Core["retrieve"]>
    >()
    expectTypeOf<Service["payments"]["confirm"]>().toEqualTypeOf<
      (clientSecret: string, params: Parameters<Core["confirm"]>[1], options?: PaymentFlow.RequestOptions) => ReturnType<Core["confirm"]>
    >()
    // what the page gets back carries the secret it presented
    expectTypeOf<Effect.Effect.Success<ReturnType<Service["payments"]["confirm"]>>>().toEqualTypeOf<PaymentWithSecret>()
    // a malformed secret is a local ValidationError: the channel has it
    expectTypeOf<"ValidationError">().toMatchTypeOf<Effect.Effect.Error<ReturnType<Service["payments"]["retrieve"]>>["_tag"]>()
    const pf: Service = null!
    // @ts-expect-error a publishable key cannot create a payment: the merchant's server does (secret key)
    const create = () => pf.payments.create({ amount: 2500, currency: "USD" })
    // @ts-expect-error no refunds in the browser
    const refunds: Service["refunds"] = null!
    // @ts-expect-error no list for a publishable key
    const list: Service["payments"]["list"] = null!
    expect([typeof create, refunds, list, attach]).toEqual(["function", null, null, null])
  })

  it("the Promise client has exactly those operations, by the client secret", () => {
    expectTypeOf<keyof PaymentFlowClient["payments"]>().toEqualTypeOf<"retrieve" | "confirm">()
    expectTypeOf<PaymentFlowClient["payments"]["retrieve"]>().toEqualTypeOf<
      (clientSecret: string, options?: CallOptions) => PaymentFlowPromise<PaymentWithSecret>
    >()
    expectTypeOf<PaymentFlowClient>().not.toHaveProperty("customers")
    const client = new PaymentFlowClient({ apiKey: "pk_test_abcdefghijklmnop1234" })
    // @ts-expect-error a publishable key cannot create a payment
    const create = () => client.payments.create({ amount: 2500, currency: "USD" })
    expect(typeof create).toBe("function")
    expect(Object.keys(client.payments).sort()).toEqual(["confirm", "retrieve"])
    expectTypeOf<keyof PaymentFlowClient["paymentMethods"]>().toEqualTypeOf<"create">()
    expect(Object.keys(client.paymentMethods)).toEqual(["create"])
    expect(String(client)).toBe("PaymentFlowClient(pk_test...1234)")
    return client.close()
  })

  const dist = fileURLToPath(new URL("../dist/BrowserPaymentFlow.d.ts", import.meta.url))
  it.skipIf(!existsSync(dist))("the built BrowserPaymentFlow.d.ts has no self-referencing alias (skipped when dist is not built)", () => {
    const text = readFileSync(dist, "utf8")
    expect(text).toMatch(/interface Service extends/)
    expect([...text.matchAll(/\btype (\w+)(?:<[^>]*>)? = \1\s*;/g)].map((m) => m[0])).toEqual([])
  })
})
