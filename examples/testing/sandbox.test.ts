/**
 * The README's "Testing your code with the in-process sandbox" example, kept runnable.
 */
import { expect, it } from "@effect/vitest"
import { BrowserPaymentFlow } from "@paymentflow/browser"
import { PaymentFlow } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import { Effect, Layer, TestClock } from "effect"

const TestPaymentFlow = PaymentFlow.layer({ apiKey: "sk_test_0123456789abcdef" }).pipe(
  Layer.provideMerge(Sandbox.layer({ processingDelay: "5 seconds" }))
)

it.effect("a confirmed payment settles after the processing delay", () =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const p = yield* pf.payments.create({ amount: 2500, currency: "USD" })
    const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
    expect((yield* pf.payments.confirm(p.id, { paymentMethod: { card } })).status).toBe("processing")
    yield* TestClock.adjust("5 seconds")
    expect((yield* pf.payments.retrieve(p.id)).status).toBe("succeeded")
  }).pipe(Effect.provide(TestPaymentFlow)))

// The checkout's two halves against one in-process sandbox: the server creates the payment with
// its secret key, the page confirms it with a publishable key and the payment's client secret.
const TestCheckout = Layer.mergeAll(
  PaymentFlow.layer({ apiKey: "sk_test_0123456789abcdef" }),
  BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: "pk_test_0123456789abcdef" })
).pipe(Layer.provideMerge(Sandbox.layer({ processingDelay: 0 })))

it.effect("the page confirms the payment its server created, with the client secret", () =>
  Effect.gen(function*() {
    const server = yield* PaymentFlow
    const page = yield* BrowserPaymentFlow
    const { clientSecret } = yield* server.payments.create({ amount: 2500, currency: "USD" })
    const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
    expect((yield* page.payments.confirm(clientSecret, { paymentMethod: { card } })).status).toBe("succeeded")
  }).pipe(Effect.provide(TestCheckout)))
