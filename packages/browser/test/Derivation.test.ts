/**
 * The browser's clients are core's derivation over the rows a publishable key may call (selected
 * by each row's `access`), not a hand-written list.
 */
import * as Api from "@paymentflow/core/Api"
import * as Endpoint from "@paymentflow/core/Endpoint"
import type { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import { BrowserPaymentFlow, PaymentFlowClient, PUBLISHABLE_OPERATIONS, type PublishableOperation } from "@paymentflow/browser"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, expectTypeOf, it } from "vitest"

type Service = BrowserPaymentFlow.Service

describe("the browser's publishable subset", () => {
  it("is selected by access: payments create, retrieve, confirm and paymentMethods create", () => {
    expectTypeOf<PublishableOperation>().toEqualTypeOf<
      "payments.create" | "payments.retrieve" | "payments.confirm" | "paymentMethods.create"
    >()
    expect([...PUBLISHABLE_OPERATIONS].sort()).toEqual(["paymentMethods.create", "payments.confirm", "payments.create", "payments.retrieve"])
    for (const key of Api.clientKeys) {
      expect(PUBLISHABLE_OPERATIONS.includes(key as PublishableOperation)).toBe(Endpoint.allowsPublishable(Api.endpoints[key].access))
    }
  })

  it("the Effect service has exactly those operations, typed as core's", () => {
    expectTypeOf<Service>().not.toBeAny()
    expectTypeOf<keyof Service>().toEqualTypeOf<"payments" | "paymentMethods">()
    expectTypeOf<keyof Service["payments"]>().toEqualTypeOf<"create" | "retrieve" | "confirm">()
    expectTypeOf<keyof Service["paymentMethods"]>().toEqualTypeOf<"create">()
    expectTypeOf<Service["payments"]["confirm"]>().toEqualTypeOf<PaymentFlow.Service["payments"]["confirm"]>()
    expectTypeOf<Service["paymentMethods"]["create"]>().toEqualTypeOf<PaymentFlow.Service["paymentMethods"]["create"]>()
    // @ts-expect-error attaching needs a secret key: not in the browser
    const attach: Service["paymentMethods"]["attach"] = null!
    // @ts-expect-error no refunds in the browser
    const refunds: Service["refunds"] = null!
    // @ts-expect-error no list for a publishable key
    const list: Service["payments"]["list"] = null!
    expect([refunds, list, attach]).toEqual([null, null, null])
  })

  it("the Promise client has exactly those operations", () => {
    expectTypeOf<keyof PaymentFlowClient["payments"]>().toEqualTypeOf<"create" | "retrieve" | "confirm">()
    expectTypeOf<keyof PaymentFlowClient["paymentMethods"]>().toEqualTypeOf<"create">()
    expectTypeOf<PaymentFlowClient>().not.toHaveProperty("customers")
    const client = new PaymentFlowClient({ apiKey: "pk_test_abcdefghijklmnop1234" })
    expect(Object.keys(client.payments).sort()).toEqual(["confirm", "create", "retrieve"])
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
