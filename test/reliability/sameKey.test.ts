/**
 * Many callers, one Idempotency-Key: whatever the interleaving, the sandbox holds exactly one
 * payment, and every caller either gets that payment or a typed `ConflictError`.
 *
 * The first request to reach the sandbox holds the key for a while (a `delay` fault on every
 * request: only the request that reserves the key sleeps; the others are answered 409
 * `idempotency_key_in_use` at once), so the SDK's retries of `idempotency_key_in_use` are
 * exercised too. Runs on the virtual clock of `harness.ts`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { isPaymentFlowError, type Payment, PaymentFlow, type PaymentFlowError, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { driveToCompletion, FAULT_HEADER, VirtualClock } from "./harness.js"

const SK = "sk_test_sameKEYsameKEY01234567"
const CALLERS = 100

const layer = (holdMillis: number, retry: Retry.Policy) =>
  PaymentFlow.layer({
    apiKey: SK,
    timeout: "30 seconds",
    retry,
    transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader(FAULT_HEADER, `delay=${holdMillis}`))
  }).pipe(Layer.provideMerge(Sandbox.layer({ faults: true, rateLimit: false })))

const run = (
  bodies: (i: number) => { readonly amount: number; readonly description: string },
  holdMillis: number,
  retry: Retry.Policy
) =>
  Effect.gen(function*() {
    const clock = new VirtualClock(Date.UTC(2025, 5, 1))
    return yield* Effect.gen(function*() {
      const pf = yield* PaymentFlow
      const sandbox = yield* Sandbox
      let done = 0
      const exits: Array<Exit.Exit<Payment, PaymentFlowError>> = []
      const fiber = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: CALLERS }, (_, i) => i),
          (i) =>
            pf.payments.create({ currency: "EUR", ...bodies(i) }, { idempotencyKey: "order-4711" }).pipe(
              Effect.exit,
              Effect.map((exit) => {
                exits.push(exit)
                done++
              })
            ),
          { concurrency: "unbounded", discard: true }
        )
      )
      yield* driveToCompletion(fiber, clock, () => String(done))
      yield* Fiber.join(fiber)
      return { exits, payments: yield* sandbox.payments }
    }).pipe(Effect.provide(layer(holdMillis, retry)), Effect.withClock(clock))
  })

const summarize = (exits: ReadonlyArray<Exit.Exit<Payment, PaymentFlowError>>) => {
  const ids = new Set<string>()
  const errors = new Map<string, number>()
  const untyped: Array<string> = []
  for (const exit of exits) {
    if (Exit.isSuccess(exit)) ids.add(exit.value.id)
    else {
      const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      if (failure === undefined || !isPaymentFlowError(failure)) untyped.push(String(exit.cause))
      else errors.set(`${failure._tag} ${failure.code}`, (errors.get(`${failure._tag} ${failure.code}`) ?? 0) + 1)
    }
  }
  return { ids, errors, untyped }
}

describe("one idempotency key, many concurrent callers", () => {
  it.effect(`${CALLERS} identical creates: one payment; each caller gets it or ConflictError idempotency_key_in_use`, () =>
    Effect.gen(function*() {
      const { exits, payments } = yield* run(() => ({ amount: 4711, description: "order 4711" }), 1_200, Retry.make({ maxRetries: 2 }))
      const { errors, ids, untyped } = summarize(exits)
      console.log("same key, same body:", { returned: exits.length - [...errors.values()].reduce((a, b) => a + b, 0), errors: Object.fromEntries(errors) })
      expect(exits).toHaveLength(CALLERS)
      expect(untyped).toEqual([])
      expect(payments).toHaveLength(1)
      expect([...ids]).toEqual([payments[0]?.id])
      expect([...errors.keys()].every((k) => k === "ConflictError idempotency_key_in_use")).toBe(true)
      // the retries of `in_use` let late callers get the stored payment
      expect(ids.size).toBe(1)
    }))

  it.effect("without retries: exactly one caller gets the payment, the others ConflictError idempotency_key_in_use", () =>
    Effect.gen(function*() {
      const { exits, payments } = yield* run(() => ({ amount: 4711, description: "order 4711" }), 1_200, Retry.none)
      const { errors, ids, untyped } = summarize(exits)
      expect(untyped).toEqual([])
      expect(payments).toHaveLength(1)
      expect([...ids]).toEqual([payments[0]?.id])
      expect(Object.fromEntries(errors)).toEqual({ "ConflictError idempotency_key_in_use": CALLERS - 1 })
    }))

  it.effect("callers disagreeing on the body: one payment; the others get it or a ConflictError, never a second charge", () =>
    Effect.gen(function*() {
      const { exits, payments } = yield* run((i) => ({ amount: 1000 + (i % 2), description: `variant ${i % 2}` }), 1_200, Retry.make({ maxRetries: 2 }))
      const { errors, ids, untyped } = summarize(exits)
      expect(untyped).toEqual([])
      expect(payments).toHaveLength(1)
      expect([...ids]).toEqual([payments[0]?.id])
      for (const key of errors.keys()) expect(["ConflictError idempotency_key_in_use", "ConflictError idempotency_key_reused"]).toContain(key)
      // the losing variant can never be answered with the winner's payment
      const winner = payments[0]?.amount
      for (const exit of exits) if (Exit.isSuccess(exit)) expect(exit.value.amount).toBe(winner)
      expect(errors.get("ConflictError idempotency_key_reused") ?? 0).toBeGreaterThan(0)
    }))
})
