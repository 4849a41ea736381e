/**
 * A key's reset (`POST /v1/sandbox/reset`, scope `key`) deletes exactly that key's data — the
 * payments, refunds, customers, payment methods and events it created, with their webhook
 * deliveries — and leaves another key's objects and idempotent replays as they were: parallel
 * test workers with keys of their own do not wipe each other. Over a real `SandboxServer`
 * through `SandboxControlClient`, and in process through the Effect clients.
 */
import { describe, expect, it } from "@effect/vitest"
import { PaymentFlowClient } from "@paymentflow/core"
import * as PaymentFlow from "@paymentflow/core/PaymentFlow"
import { Sandbox } from "@paymentflow/sandbox/Sandbox"
import * as SandboxControl from "@paymentflow/sandbox/SandboxControl"
import { SandboxServer } from "@paymentflow/sandbox/server"
import * as Effect from "effect/Effect"

const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }
const keyA = "sk_test_resetworkerAAAA0000"
const keyB = "sk_test_resetworkerBBBB0000"

describe("reset scoped to the calling key's data (out of process)", () => {
  it("A's objects are gone, B's objects, events, deliveries and replays stay", async () => {
    const server = await SandboxServer.start({
      rateLimit: false,
      webhooks: [{ name: "sink", secret: "whsec_resetkeysink0000", handler: () => Effect.succeed(200) }]
    })
    try {
      const worker = (apiKey: string) => ({
        pf: new PaymentFlowClient({ apiKey, baseUrl: server.url, maxRetries: 0 }),
        pk: new PaymentFlowClient({ apiKey: apiKey.replace("sk_", "pk_"), baseUrl: server.url, maxRetries: 0 }),
        control: new SandboxControl.SandboxControlClient({ apiKey, baseUrl: server.url })
      })
      const make = async (w: ReturnType<typeof worker>, email: string) => {
        const customer = await w.pf.customers.create({ email }, { idempotencyKey: "signup" })
        // tokenized with the publishable key of the pair, attached with the secret one
        const method = await w.pk.paymentMethods.create({ card })
        await w.pf.paymentMethods.attach(method.id, { customer: customer.id })
        const payment = await w.pf.payments.create({ amount: 700, currency: "USD", paymentMethod: { card } }, { idempotencyKey: "order" })
        const refund = await w.pf.refunds.create({ paymentId: payment.id, amount: 100 })
        return { customer, method, payment, refund }
      }
      const a = worker(keyA)
      const b = worker(keyB)
      const madeA = await make(a, "a@example.com")
      const madeB = await make(b, "b@example.com")
      const eventsBefore = (await b.control.sandbox.listEvents()).data
      const ofB = (id: string) => id === madeB.payment.id || id === madeB.refund.id
      const eventsOfB: ReadonlyArray<string> = eventsBefore.filter((e) => ofB(e.data.id)).map((e) => e.id)
      expect(eventsOfB.length).toBeGreaterThan(0)

      expect(await a.control.sandbox.reset({ scope: "key" })).toEqual({ object: "sandbox.reset", scope: "key" })

      // A's: 404
      await expect(a.pf.payments.retrieve(madeA.payment.id)).rejects.toMatchObject({ _tag: "NotFoundError" })
      await expect(a.pf.refunds.retrieve(madeA.refund.id)).rejects.toMatchObject({ _tag: "NotFoundError" })
      await expect(a.pf.customers.retrieve(madeA.customer.id)).rejects.toMatchObject({ _tag: "NotFoundError" })
      await expect(a.pf.paymentMethods.retrieve(madeA.method.id)).rejects.toMatchObject({ _tag: "NotFoundError" })
      // B's: all there (through A's key too: one account), with the same events and deliveries
      expect((await b.pf.payments.retrieve(madeB.payment.id)).amountRefunded).toBe(100)
      expect((await a.pf.refunds.retrieve(madeB.refund.id)).id).toBe(madeB.refund.id)
      expect((await b.pf.customers.retrieve(madeB.customer.id)).defaultPaymentMethod).toBe(madeB.method.id)
      expect((await b.pf.paymentMethods.retrieve(madeB.method.id)).customer).toBe(madeB.customer.id)
      const payments = await b.pf.payments.list()
      expect(payments.data.map((p) => p.id)).toEqual([madeB.payment.id])
      expect(payments.totalCount).toBe(1)
      expect((await b.pf.customers.list()).data.map((c) => c.id)).toEqual([madeB.customer.id])
      const events = (await b.control.sandbox.listEvents()).data
      expect(events.map((e) => e.id)).toEqual(eventsOfB)
      expect(events.every((e) => ofB(e.data.id))).toBe(true)
      const deliveries = (await b.control.sandbox.listWebhookDeliveries()).data
      expect(deliveries.length).toBeGreaterThan(0)
      expect(deliveries.every((d) => eventsOfB.includes(d.eventId))).toBe(true)
      // B's idempotent replays: the same objects
      expect((await b.pf.customers.create({ email: "b@example.com" }, { idempotencyKey: "signup" })).id).toBe(madeB.customer.id)
      expect((await b.pf.payments.create({ amount: 700, currency: "USD", paymentMethod: { card } }, { idempotencyKey: "order" })).id)
        .toBe(madeB.payment.id)
      // A's keys are free again: a new customer
      const again = await a.pf.customers.create({ email: "a@example.com" }, { idempotencyKey: "signup" })
      expect(again.id).not.toBe(madeA.customer.id)
      await Promise.all([a, b].flatMap((w) => [w.pf.close(), w.pk.close(), w.control.close()]))
    } finally {
      await server.close()
    }
  })
})

describe("reset scoped to the calling key's data (in process)", () => {
  it.scoped("a key reset empties that key's state; the other's stays", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      const pfA = yield* PaymentFlow.make({ apiKey: keyA, maxRetries: 0 })
      const pfB = yield* PaymentFlow.make({ apiKey: keyB, maxRetries: 0 })
      const controlA = yield* SandboxControl.make({ apiKey: keyA, baseUrl: "https://sandbox.test" })
      const paymentA = yield* pfA.payments.create({ amount: 300, currency: "USD" })
      const paymentB = yield* pfB.payments.create({ amount: 400, currency: "USD" }, { idempotencyKey: "b-1" })
      yield* pfA.payments.cancel(paymentA.id)
      yield* pfB.payments.cancel(paymentB.id)
      expect((yield* sandbox.events).length).toBe(2)

      yield* controlA.sandbox.reset()

      expect((yield* sandbox.payments).map((p) => p.id)).toEqual([paymentB.id])
      expect((yield* sandbox.events).map((e) => e.data.id)).toEqual([paymentB.id])
      const gone = yield* Effect.flip(pfA.payments.retrieve(paymentA.id))
      expect(gone._tag).toBe("NotFoundError")
      const replay = yield* pfB.payments.create({ amount: 400, currency: "USD" }, { idempotencyKey: "b-1" })
      expect(replay.id).toBe(paymentB.id)
      expect(replay.status).toBe("pending") // the stored answer, replayed
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))
})
