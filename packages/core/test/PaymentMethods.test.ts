/**
 * Saved payment methods through the SDK against the in-process sandbox: a customer's saved card
 * is charged again with one call through the Effect service and the Promise client, with the
 * contract's typed errors; the customer's list streams page by page.
 */
import { describe, expect, it } from "@effect/vitest"
import { CustomerId, PaymentFlow, PaymentFlowClient, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const SK = "sk_test_abcdefghijklmnop1234"
const PK = "pk_test_abcdefghijklmnop1234"
const visa = { card: { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" } }
const declining = { card: { ...visa.card, number: "4000000000000002" } }
const mastercard = { card: { ...visa.card, number: "5555555555554444" } }

const layer = (apiKey = SK) =>
  PaymentFlow.layer({ apiKey, retry: Retry.make({ maxRetries: 0 }) }).pipe(Layer.provideMerge(Sandbox.layer({ rateLimit: false })))

describe("saved payment methods through the Effect service", () => {
  it.effect("save a card, charge it again in one call; declined, detached, refused — each as the contract's typed error", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const customer = yield* pf.customers.create({ email: "repeat@example.com" })
      const pm = yield* pf.paymentMethods.create(mastercard)
      expect(pm).toMatchObject({ object: "payment_method", type: "card", customer: null, card: { brand: "mastercard", last4: "4444", expMonth: 12, expYear: 2099 } })
      expect(JSON.stringify(pm)).not.toContain("5555555555554444")
      const attached = yield* pf.paymentMethods.attach(pm.id, { customer: customer.id })
      expect(attached.customer).toBe(customer.id)
      expect((yield* pf.customers.retrieve(customer.id)).defaultPaymentMethod).toBe(pm.id)

      // the repeat charge: one call
      const charge = yield* pf.payments.create({ amount: 4200, currency: "USD", customer: customer.id, paymentMethod: pm.id })
      expect(charge).toMatchObject({ status: "succeeded", paymentMethod: pm.id, customer: customer.id, customerEmail: "repeat@example.com" })
      const again = yield* pf.payments.create({ amount: 4300, currency: "USD", customer: customer.id, paymentMethod: pm.id })
      expect(again.status).toBe("succeeded")

      const elsewhere = yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD", paymentMethod: pm.id }))
      expect(elsewhere).toMatchObject({ _tag: "ValidationError", code: "payment_method_unusable", field: "payment_method", statusCode: 400 })
      const other = yield* pf.customers.create({ email: "other@example.com" })
      const taken = yield* Effect.flip(pf.paymentMethods.attach(pm.id, { customer: other.id }))
      expect(taken).toMatchObject({ _tag: "ConflictError", code: "payment_method_already_attached", statusCode: 409 })

      const bad = yield* pf.paymentMethods.create(declining)
      yield* pf.paymentMethods.attach(bad.id, { customer: customer.id })
      const declined = yield* pf.payments.create({ amount: 100, currency: "USD", customer: customer.id, paymentMethod: bad.id })
      expect(declined).toMatchObject({ status: "failed", failureCode: "card_declined", paymentMethod: bad.id })

      const detached = yield* pf.paymentMethods.detach(pm.id)
      expect(detached.customer).toBeNull()
      expect((yield* pf.customers.retrieve(customer.id)).defaultPaymentMethod).toBeNull()
      const refused = yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD", customer: customer.id, paymentMethod: pm.id }))
      expect(refused).toMatchObject({ _tag: "ValidationError", code: "payment_method_unusable", field: "payment_method" })
      const twice = yield* Effect.flip(pf.paymentMethods.detach(pm.id))
      expect(twice).toMatchObject({ _tag: "ConflictError", code: "payment_method_not_attached" })
      const unknown = yield* Effect.flip(pf.paymentMethods.retrieve("pm_000000000000000000000000"))
      expect(unknown).toMatchObject({ _tag: "NotFoundError", code: "resource_missing" })
      // refused locally: a malformed pm_ never leaves the process
      const malformed = yield* Effect.flip(pf.payments.create({ amount: 100, currency: "USD", paymentMethod: "pm_x" as never }))
      expect(malformed).toMatchObject({ _tag: "ValidationError", code: "parameter_invalid", field: "payment_method" })
      expect(malformed.requestId).toBeUndefined()
    }).pipe(Effect.provide(layer())))

  it.effect("confirm takes a saved pm_ too; an unattached one is used once", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const pm = yield* pf.paymentMethods.create(visa)
      const pending = yield* pf.payments.create({ amount: 100, currency: "EUR" })
      expect(pending.paymentMethod).toBeNull()
      expect((yield* pf.payments.confirm(pending.id, { paymentMethod: pm.id })).paymentMethod).toBe(pm.id)
      const next = yield* pf.payments.create({ amount: 100, currency: "EUR" })
      const used = yield* Effect.flip(pf.payments.confirm(next.id, { paymentMethod: pm.id }))
      expect(used).toMatchObject({ _tag: "ValidationError", code: "payment_method_unusable" })
      // a card inline is recorded as a used payment method
      const inline = yield* pf.payments.confirm(next.id, { paymentMethod: visa })
      expect(inline.paymentMethod).toMatch(/^pm_/)
      expect((yield* pf.paymentMethods.retrieve(inline.paymentMethod!)).card.last4).toBe("4242")
    }).pipe(Effect.provide(layer())))

  it.effect("customers.listAllPaymentMethods streams every attached method, newest first, page after page", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const customer = yield* pf.customers.create({ email: "many@example.com" })
      const ids: Array<string> = []
      for (let i = 0; i < 23; i++) {
        const pm = yield* pf.paymentMethods.create(visa)
        yield* pf.paymentMethods.attach(pm.id, { customer: customer.id })
        ids.push(pm.id)
      }
      const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(pf.customers.listAllPaymentMethods(customer.id, { limit: 10 })))
      expect(streamed.map((m) => m.id)).toEqual([...ids].reverse())
      const page = yield* pf.customers.listPaymentMethods(customer.id, { limit: 5 })
      expect(page).toMatchObject({ hasMore: true, totalCount: 23 })
      const gone = yield* Effect.flip(pf.customers.listPaymentMethods("cus_000000000000000000000000"))
      expect(gone).toMatchObject({ _tag: "NotFoundError", code: "resource_missing" })
    }).pipe(Effect.provide(layer())))

  it.effect("a publishable key creates a payment method; attaching needs a secret key (refused before sending)", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const pm = yield* pf.paymentMethods.create(visa)
      expect(pm.customer).toBeNull()
      const refused = yield* Effect.flip(pf.paymentMethods.attach(pm.id, { customer: CustomerId.make("cus_000000000000000000000000") }))
      expect(refused).toMatchObject({ _tag: "AuthenticationError" })
    }).pipe(Effect.provide(layer(PK))))
})

describe("saved payment methods through the Promise client", () => {
  it("save, attach, charge again in one call, detach, refused", async () => {
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: Sandbox.layer({ rateLimit: false }) })
    try {
      const customer = await client.customers.create({ email: "promise@example.com" })
      const pm = await client.paymentMethods.create(visa)
      await client.paymentMethods.attach(pm.id, { customer: customer.id })
      const charge = await client.payments.create({ amount: 2500, currency: "USD", customer: customer.id, paymentMethod: pm.id })
      expect(charge).toMatchObject({ status: "succeeded", paymentMethod: pm.id })
      const listed: Array<string> = []
      for await (const m of client.customers.listAllPaymentMethods(customer.id)) listed.push(m.id)
      expect(listed).toEqual([pm.id])
      await client.paymentMethods.detach(pm.id)
      await expect(client.payments.create({ amount: 2500, currency: "USD", customer: customer.id, paymentMethod: pm.id })).rejects.toMatchObject({
        _tag: "ValidationError",
        code: "payment_method_unusable"
      })
      await expect(client.paymentMethods.detach(pm.id)).rejects.toMatchObject({ _tag: "ConflictError", code: "payment_method_not_attached" })
    } finally {
      await client.close()
    }
  })
})
