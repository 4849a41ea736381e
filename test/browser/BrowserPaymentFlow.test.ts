import { describe, expect, it } from "@effect/vitest"
import { BrowserPaymentFlow } from "@paymentflow/browser"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { expectTypeOf, inject } from "vitest"
import { card, lane, noSuchSecret, payment, PK, requestsSeen, seenEffect, SK, witnessUrl } from "./helpers.js"

const sandbox = () => BrowserPaymentFlow.layer({ apiKey: PK, baseUrl: inject("sandboxUrl") })

describe("BrowserPaymentFlow in Chromium, against the sandbox server over CORS", () => {
  it.live("confirms the payment its server created, with a pk_test_ key and the client secret: succeeded", () =>
    Effect.gen(function*() {
      expect(new URL(inject("sandboxUrl")).origin).not.toBe(location.origin)
      const pf = yield* BrowserPaymentFlow
      const { clientSecret, id } = payment("effectSucceeds")
      const pending = yield* pf.payments.retrieve(clientSecret)
      expect(pending).toMatchObject({ id, status: "pending", amount: 2500, currency: "USD", clientSecret })
      const confirmed = yield* pf.payments.confirm(clientSecret, { paymentMethod: { card: card("4242424242424242") } })
      expect(confirmed).toMatchObject({ id, status: "succeeded", amount: 2500, currency: "USD", failureCode: null, clientSecret })
      expect(yield* pf.payments.retrieve(clientSecret)).toEqual(confirmed)
    }).pipe(Effect.provide(sandbox())))

  it.live("a declined card settles as failed, with the card's reason", () =>
    Effect.gen(function*() {
      const pf = yield* BrowserPaymentFlow
      for (const [name, number, reason] of [
        ["effectDeclined", "4000000000000002", "card_declined"],
        ["effectInsufficient", "4000000000009995", "insufficient_funds"]
      ] as const) {
        const confirmed = yield* pf.payments.confirm(payment(name).clientSecret, { paymentMethod: { card: card(number) } })
        expect(confirmed.status).toBe("failed")
        expect(confirmed.failureCode).toBe(reason)
      }
    }).pipe(Effect.provide(sandbox())))

  it.live("bad input is a typed ValidationError naming the wire field, and the server's errors arrive typed", () =>
    Effect.gen(function*() {
      const pf = yield* BrowserPaymentFlow
      const { clientSecret, id } = payment("effectInvalid")
      const local = yield* Effect.flip(pf.payments.confirm(id, { paymentMethod: { card: card("4242424242424242") } }))
      expect(local).toMatchObject({ _tag: "ValidationError", field: "client_secret" })
      expect(local.statusCode).toBeUndefined()
      const server = yield* Effect.flip(pf.payments.confirm(clientSecret, { paymentMethod: { card: card("4111111111111111") } }))
      expect(server).toMatchObject({ _tag: "ValidationError", code: "card_not_test", statusCode: 400 })
      const missing = yield* Effect.flip(pf.payments.retrieve(noSuchSecret))
      expect(missing).toMatchObject({ _tag: "NotFoundError", code: "resource_missing", statusCode: 404 })
      expect(missing.requestId).toMatch(/^req_/)
      // another secret for a real payment's id names no payment either
      const forged = yield* Effect.flip(pf.payments.retrieve(`${id}_secret_000000000000000000000000`))
      expect(forged).toMatchObject({ _tag: "NotFoundError", code: "resource_missing", statusCode: 404 })
      expect(forged.message).not.toContain("_secret_")
    }).pipe(Effect.provide(sandbox())))

  it.live("tokenizes a card with the publishable key: a pm_ with brand and last 4, never the number", () =>
    Effect.gen(function*() {
      const pf = yield* BrowserPaymentFlow
      const pm = yield* pf.paymentMethods.create({ card: card("5555555555554444") })
      expect(pm).toMatchObject({ object: "payment_method", type: "card", customer: null, card: { brand: "mastercard", last4: "4444" } })
      expect(pm.id).toMatch(/^pm_[A-Za-z0-9]{24}$/)
      expect(JSON.stringify(pm)).not.toContain("5555555555554444")
      const refused = yield* Effect.flip(pf.paymentMethods.create({ card: card("4111111111111111") }))
      expect(refused).toMatchObject({ _tag: "ValidationError", code: "card_not_test", field: "card.number", statusCode: 400 })
    }).pipe(Effect.provide(sandbox())))

  it.effect("its type offers only what a publishable key may do", () =>
    Effect.gen(function*() {
      expectTypeOf<BrowserPaymentFlow.Service>().toHaveProperty("payments")
      expectTypeOf<BrowserPaymentFlow.Service>().not.toHaveProperty("customers")
      expectTypeOf<BrowserPaymentFlow.Service>().not.toHaveProperty("refunds")
      expectTypeOf<BrowserPaymentFlow.Service["payments"]>().not.toHaveProperty("create")
      expectTypeOf<BrowserPaymentFlow.Service["payments"]>().toHaveProperty("retrieve")
      expectTypeOf<BrowserPaymentFlow.Service["payments"]>().toHaveProperty("confirm")
      expectTypeOf<BrowserPaymentFlow.Service["payments"]>().not.toHaveProperty("list")
      expectTypeOf<BrowserPaymentFlow.Service["payments"]>().not.toHaveProperty("cancel")
      const pf = yield* BrowserPaymentFlow
      expectTypeOf<BrowserPaymentFlow.Service["paymentMethods"]>().toHaveProperty("create")
      expectTypeOf<BrowserPaymentFlow.Service["paymentMethods"]>().not.toHaveProperty("attach")
      expect(Object.keys(pf)).toEqual(["payments", "paymentMethods"])
      expect(Object.keys(pf.payments).sort()).toEqual(["confirm", "retrieve"])
      expect(Object.keys(pf.paymentMethods)).toEqual(["create"])
    }).pipe(Effect.provide(BrowserPaymentFlow.layer({ apiKey: PK }))))
})

describe("what the browser layer refuses", () => {
  it.live("an sk_ key: AuthenticationError secret_key_in_browser on every operation, and no request at all", () =>
    Effect.gen(function*() {
      const name = lane("sk")
      const pf = yield* BrowserPaymentFlow.pipe(Effect.provide(BrowserPaymentFlow.layer({ apiKey: SK, baseUrl: `${witnessUrl()}/${name}` })))
      const errors = [
        yield* Effect.flip(pf.payments.retrieve(noSuchSecret)),
        yield* Effect.flip(pf.payments.confirm(noSuchSecret, { paymentMethod: { card: card("4242424242424242") } })),
        yield* Effect.flip(pf.paymentMethods.create({ card: card("4242424242424242") }))
      ]
      for (const error of errors) {
        expect(error._tag).toBe("AuthenticationError")
        expect(error.code).toBe("secret_key_in_browser")
        expect(error.message).not.toContain(SK)
        expect(error.message).not.toContain(SK.slice(-4))
      }
      expect(yield* Effect.promise(() => requestsSeen(name))).toBe(0)
    }))

  it.live("the same lane counts a publishable key's request (the witness does see requests)", () =>
    Effect.gen(function*() {
      const name = lane("pk")
      const pf = yield* BrowserPaymentFlow.pipe(Effect.provide(BrowserPaymentFlow.layer({ apiKey: PK, baseUrl: `${witnessUrl()}/${name}`, maxRetries: 0 })))
      const error = yield* Effect.flip(pf.payments.retrieve(noSuchSecret))
      expect(error).toMatchObject({ _tag: "NotFoundError", code: "route_missing" })
      expect(yield* Effect.promise(() => requestsSeen(name))).toBeGreaterThanOrEqual(1)
    }))

  it.live("a plain-http base URL off loopback: the key is not sent", () =>
    Effect.gen(function*() {
      const pf = yield* BrowserPaymentFlow.pipe(Effect.provide(BrowserPaymentFlow.layer({ apiKey: PK, baseUrl: "http://api.example.com" })))
      const error = yield* Effect.flip(pf.payments.retrieve(noSuchSecret))
      expect(error).toMatchObject({ _tag: "AuthenticationError", code: "insecure_base_url" })
    }))
})

describe("interruption", () => {
  it.live("interrupting an operation aborts its fetch: the server sees the request go away", () =>
    Effect.gen(function*() {
      const name = lane("hang")
      const layer = BrowserPaymentFlow.layer({ apiKey: PK, baseUrl: `${witnessUrl()}/${name}`, maxRetries: 0 })
      const fiber = yield* BrowserPaymentFlow.pipe(
        Effect.flatMap((pf) => pf.payments.retrieve(noSuchSecret)),
        Effect.provide(layer),
        Effect.fork
      )
      yield* seenEffect("arrived", name)
      yield* Fiber.interrupt(fiber)
      yield* seenEffect("aborted", name)
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
    }))
})
