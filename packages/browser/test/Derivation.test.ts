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
  it("is selected by access: create, retrieve, confirm", () => {
    expectTypeOf<PublishableOperation>().toEqualTypeOf<"payments.create" | "payments.retrieve" | "payments.confirm">()
    expect([...PUBLISHABLE_OPERATIONS].sort()).toEqual(["payments.confirm", "payments.create", "payments.retrieve"])
    for (const key of Api.clientKeys) {
      expect(PUBLISHABLE_OPERATIONS.includes(key as PublishableOperation)).toBe(Endpoint.allowsPublishable(Api.endpoints[key].access))
    }
  })

  it("the Effect service has exactly those operations, typed as core's", () => {
    expectTypeOf<Service>().not.toBeAny()
    expectTypeOf<keyof Service>().toEqualTypeOf<"payments">()
    expectTypeOf<keyof Service["payments"]>().toEqualTypeOf<"create" | "retrieve" | "confirm">()
    expectTypeOf<Service["payments"]["confirm"]>().toEqualTypeOf<PaymentFlow.Service["payments"]["confirm"]>()
    // @ts-expect-error no refunds in the browser
    const refunds: Service["refunds"] = null!
    // @ts-expect-error no list for a publishable key
    const list: Service["payments"]["list"] = null!
    expect([refunds, list]).toEqual([null, null])
  })

  it("the Promise client has exactly those operations", () => {
    expectTypeOf<keyof PaymentFlowClient["payments"]>().toEqualTypeOf<"create" | "retrieve" | "confirm">()
    expectTypeOf<PaymentFlowClient>().not.toHaveProperty("customers")
    const client = new PaymentFlowClient({ apiKey: "pk_test_abcdefghijklmnop1234" })
    expect(Object.keys(client.payments).sort()).toEqual(["confirm", "create", "retrieve"])
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
