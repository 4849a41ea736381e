/**
 * Recipes (the README's Testing section): an `@effect/platform` HttpApi backend tested with
 * `PaymentFlowTest` — the app served in process in the test's runtime, PaymentFlow served by a
 * fresh in-process sandbox, the app's own webhook receiver fed signed events.
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlowTest } from "@paymentflow/sandbox"
import { Effect, Layer } from "effect"
import { Orders, ShopApi, ShopLayer, WebhookSecret } from "./shop.js"

// <!-- recipe: kit-setup -->
/** Everything a test of the shop needs: PaymentFlow on a fresh sandbox, the app's own services. */
const TestEnv = Layer.effect(WebhookSecret, Effect.map(PaymentFlowTest, (test) => test.webhookSecret)).pipe(
  Layer.provideMerge(Layer.merge(PaymentFlowTest.layer(), Orders.layer))
)

/** The shop served in process, and a typed client of it. */
const shop = Effect.gen(function*() {
  const served = yield* PaymentFlowTest.serveApi(ShopLayer)
  const client = yield* HttpApiClient.makeWith(ShopApi, { httpClient: served.client, baseUrl: "http://shop.test" })
  return { ...served, client }
})
// <!-- /recipe -->

const visa = "4242424242424242"
const declined = "4000000000000002"

describe("the shop's checkout", () => {
  // <!-- recipe: kit-idempotent -->
  it.scoped("charges once when the same checkout is retried with the same key", () =>
    Effect.gen(function*() {
      const { client } = yield* shop
      const test = yield* PaymentFlowTest
      const checkout = { payload: { orderId: "o-1", amount: 2500, cardNumber: visa }, headers: { "idempotency-key": "checkout-o-1" } }
      const first = yield* client.shop.checkout(checkout)
      const again = yield* client.shop.checkout(checkout)
      expect(again.paymentId).toBe(first.paymentId)
      expect((yield* test.payments).filter((p) => p.status === "succeeded")).toHaveLength(1)
      expect((yield* test.requests).filter((r) => r.replayed).map((r) => r.operation)).toEqual(["payments.create", "payments.confirm"])
    }).pipe(Effect.provide(TestEnv)))
  // <!-- /recipe -->

  it.scoped("a declined card is the app's 402, and nothing is charged", () =>
    Effect.gen(function*() {
      const { client } = yield* shop
      const test = yield* PaymentFlowTest
      const error = yield* Effect.flip(client.shop.checkout({ payload: { orderId: "o-2", amount: 900, cardNumber: declined }, headers: {} }))
      expect(error).toMatchObject({ _tag: "CardDeclined", orderId: "o-2", reason: "card_declined" })
      expect((yield* test.payments).map((p) => p.status)).toEqual(["failed"])
    }).pipe(Effect.provide(TestEnv)))

  // <!-- recipe: kit-webhook -->
  it.scoped("the payment.succeeded webhook marks the order paid", () =>
    Effect.gen(function*() {
      const { app, client } = yield* shop
      const test = yield* PaymentFlowTest
      const order = yield* client.shop.checkout({ payload: { orderId: "o-3", amount: 1200, cardNumber: visa }, headers: {} })
      expect(order.status).toBe("awaiting_payment")
      const delivered = yield* test.deliver(app, { url: "http://shop.test/webhooks" })
      expect(delivered.map((d) => [d.eventType, d.status])).toEqual([["payment.succeeded", 200]])
      expect((yield* client.shop.order({ path: { orderId: "o-3" } })).status).toBe("paid")
    }).pipe(Effect.provide(TestEnv)))
  // <!-- /recipe -->
})

describe("the same checkout under faults", () => {
  // <!-- recipe: kit-faults -->
  it.scoped("PaymentFlow answers 503 twice: the SDK retries, the customer is charged once", () =>
    Effect.gen(function*() {
      const { client } = yield* shop
      const test = yield* PaymentFlowTest
      yield* test.fault("payments.create", 503, { times: 2 })
      yield* client.shop.checkout({ payload: { orderId: "o-4", amount: 2500, cardNumber: visa }, headers: {} })
      const creates = (yield* test.requests).filter((r) => r.operation === "payments.create")
      expect(creates.map((r) => r.status)).toEqual([503, 503, 200])
      expect(yield* test.payments).toHaveLength(1)
    }).pipe(Effect.provide(TestEnv)))
  // <!-- /recipe -->

  it.scoped("the connection drops after the charge: the retry replays it, no second charge", () =>
    Effect.gen(function*() {
      const { client } = yield* shop
      const test = yield* PaymentFlowTest
      yield* test.fault("payments.confirm", "drop-after-commit")
      const order = yield* client.shop.checkout({ payload: { orderId: "o-5", amount: 2500, cardNumber: visa }, headers: {} })
      expect((yield* test.payments).map((p) => [p.id, p.status])).toEqual([[order.paymentId, "succeeded"]])
    }).pipe(Effect.provide(TestEnv)))

  it.scoped("PaymentFlow keeps failing: the app answers its own 502, typed", () =>
    Effect.gen(function*() {
      const { client } = yield* shop
      const test = yield* PaymentFlowTest
      yield* test.fault("payments.create", 500, { times: 3 })
      const error = yield* Effect.flip(client.shop.checkout({ payload: { orderId: "o-6", amount: 2500, cardNumber: visa }, headers: {} }))
      expect(error._tag).toBe("CheckoutFailed")
    }).pipe(Effect.provide(TestEnv)))
})
