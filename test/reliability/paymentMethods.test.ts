/**
 * A model-based property test of saved payment methods (fast-check through `@effect/vitest`):
 * random sequences of create customer / create payment method / attach / detach / pay (create
 * with a payment method, or confirm) / set the default / delete the customer, through the SDK
 * against a fresh in-process sandbox each run.
 *
 * A small model of the contract ("Saved payment methods") predicts each step's answer — success,
 * or the contract's error code — and the sandbox must give exactly that. After every run the
 * sandbox's own state is checked for the states the contract forbids, independently of the model's
 * predictions:
 *
 * - a used unattached payment method charged twice (a method never attached names ≤ 1 payment);
 * - a detached payment method charged (no payment names it that was created after its detach);
 * - a default that is not attached (every customer's default is attached to that customer).
 */
import { describe, expect, it } from "@effect/vitest"
import { type CustomerId, PaymentFlow, type PaymentMethodId, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"

const SK = "sk_test_pmPropertyPROPERTY0123456"
const CARDS = ["4242424242424242", "4000000000000002", "5555555555554444"] as const
const cardOf = (i: number) => ({ card: { number: CARDS[i % CARDS.length]!, expMonth: 12, expYear: 2099, cvc: "123" } })

type Command =
  | { readonly _tag: "Customer" }
  | { readonly _tag: "Method"; readonly card: number }
  | { readonly _tag: "Attach"; readonly pm: number; readonly customer: number }
  | { readonly _tag: "Detach"; readonly pm: number }
  | { readonly _tag: "Pay"; readonly pm: number; readonly customer: number | null; readonly via: "create" | "confirm" }
  | { readonly _tag: "Default"; readonly customer: number; readonly pm: number | null }
  | { readonly _tag: "Delete"; readonly customer: number }

const index = FastCheck.nat({ max: 7 })
const command: FastCheck.Arbitrary<Command> = FastCheck.oneof(
  { weight: 2, arbitrary: FastCheck.constant({ _tag: "Customer" as const }) },
  { weight: 3, arbitrary: FastCheck.record({ _tag: FastCheck.constant("Method" as const), card: FastCheck.nat({ max: 2 }) }) },
  { weight: 4, arbitrary: FastCheck.record({ _tag: FastCheck.constant("Attach" as const), pm: index, customer: index }) },
  { weight: 2, arbitrary: FastCheck.record({ _tag: FastCheck.constant("Detach" as const), pm: index }) },
  {
    weight: 5,
    arbitrary: FastCheck.record({
      _tag: FastCheck.constant("Pay" as const),
      pm: index,
      customer: FastCheck.option(index, { nil: null }),
      via: FastCheck.constantFrom("create" as const, "confirm" as const)
    })
  },
  { weight: 1, arbitrary: FastCheck.record({ _tag: FastCheck.constant("Default" as const), customer: index, pm: FastCheck.option(index, { nil: null }) }) },
  { weight: 1, arbitrary: FastCheck.record({ _tag: FastCheck.constant("Delete" as const), customer: index }) }
)

interface ModelMethod {
  readonly id: PaymentMethodId
  life: "unattached" | "used" | "attached" | "detached"
  customer: number | null
  everAttached: boolean
  /** The newest payment id when it was detached (no payment after it may name it). */
  detachedAfter: string | undefined
}
interface ModelCustomer {
  readonly id: CustomerId
  deleted: boolean
  default: number | null
}

/** What a step answered: success, or the error's code. */
type Answer = "ok" | string

const answer = <A, E extends { readonly code: string }>(effect: Effect.Effect<A, E>): Effect.Effect<Answer> =>
  effect.pipe(Effect.as("ok" as Answer), Effect.catchAll((e) => Effect.succeed<Answer>(e.code)))

const run = (commands: ReadonlyArray<Command>) =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const sandbox = yield* Sandbox
    const methods: Array<ModelMethod> = []
    const customers: Array<ModelCustomer> = []
    let newestPayment = ""
    const pick = <A>(xs: ReadonlyArray<A>, i: number): [A, number] | undefined => (xs.length === 0 ? undefined : [xs[i % xs.length]!, i % xs.length])
    const trace: Array<string> = []

    for (const c of commands) {
      let expected: Answer = "ok"
      let got: Answer = "ok"
      switch (c._tag) {
        case "Customer": {
          const created = yield* pf.customers.create({ email: `p${customers.length}@example.com` })
          customers.push({ id: created.id, deleted: false, default: null })
          break
        }
        case "Method": {
          const pm = yield* pf.paymentMethods.create(cardOf(c.card))
          methods.push({ id: pm.id, life: "unattached", customer: null, everAttached: false, detachedAfter: undefined })
          break
        }
        case "Attach": {
          const m = pick(methods, c.pm)
          const cu = pick(customers, c.customer)
          if (m === undefined || cu === undefined) continue
          const [pm] = m
          const [customer, ci] = cu
          expected = customer.deleted
            ? "resource_missing"
            : pm.life === "used" || pm.life === "detached"
            ? "payment_method_unusable"
            : pm.life === "attached"
            ? (pm.customer === ci ? "ok" : "payment_method_already_attached")
            : "ok"
          got = yield* answer(pf.paymentMethods.attach(pm.id, { customer: customer.id }))
          if (got === "ok" && pm.life === "unattached") {
            pm.life = "attached"
            pm.customer = ci
            pm.everAttached = true
            if (customer.default === null) customer.default = m[1]
          }
          break
        }
        case "Detach": {
          const m = pick(methods, c.pm)
          if (m === undefined) continue
          const [pm, pi] = m
          expected = pm.life === "attached" ? "ok" : "payment_method_not_attached"
          got = yield* answer(pf.paymentMethods.detach(pm.id))
          if (got === "ok") {
            const owner = customers[pm.customer!]!
            if (owner.default === pi) owner.default = null
            pm.life = "detached"
            pm.customer = null
            pm.detachedAfter = newestPayment
          }
          break
        }
        case "Pay": {
          const m = pick(methods, c.pm)
          if (m === undefined) continue
          const [pm] = m
          const cu = c.customer === null ? undefined : pick(customers, c.customer)
          if (c.customer !== null && cu === undefined) continue
          const customer = cu?.[0]
          const ci = cu?.[1] ?? null
          const usable = pm.life === "unattached" || (pm.life === "attached" && pm.customer === ci)
          expected = customer?.deleted === true ? "resource_missing" : usable ? "ok" : "payment_method_unusable"
          const base = { amount: 1000, currency: "USD" as const, ...(customer === undefined ? {} : { customer: customer.id }) }
          const paid = c.via === "create"
            ? pf.payments.create({ ...base, paymentMethod: pm.id })
            : Effect.flatMap(pf.payments.create(base), (p) => {
              newestPayment = p.id > newestPayment ? p.id : newestPayment
              return pf.payments.confirm(p.id, { paymentMethod: pm.id })
            })
          got = yield* answer(Effect.tap(paid, (p) =>
            Effect.sync(() => {
              newestPayment = p.id > newestPayment ? p.id : newestPayment
              expect(p.paymentMethod).toBe(pm.id)
              expect(["succeeded", "failed"]).toContain(p.status)
            })))
          if (got === "ok" && pm.life === "unattached") pm.life = "used"
          break
        }
        case "Default": {
          const cu = pick(customers, c.customer)
          if (cu === undefined) continue
          const [customer, ci] = cu
          const m = c.pm === null ? undefined : pick(methods, c.pm)
          if (c.pm !== null && m === undefined) continue
          expected = customer.deleted
            ? "resource_missing"
            : m === undefined || (m[0].life === "attached" && m[0].customer === ci)
            ? "ok"
            : "parameter_invalid"
          got = yield* answer(pf.customers.update(customer.id, { defaultPaymentMethod: m === undefined ? null : m[0].id }))
          if (got === "ok") customer.default = m === undefined ? null : m[1]
          break
        }
        case "Delete": {
          const cu = pick(customers, c.customer)
          if (cu === undefined) continue
          const [customer, ci] = cu
          expected = customer.deleted ? "resource_missing" : "ok"
          got = yield* answer(pf.customers.delete(customer.id))
          if (got === "ok") {
            customer.deleted = true
            for (const pm of methods) {
              if (pm.life === "attached" && pm.customer === ci) {
                pm.life = "detached"
                pm.customer = null
                pm.detachedAfter = newestPayment
              }
            }
          }
          break
        }
      }
      trace.push(`${JSON.stringify(c)} → ${got}`)
      expect(got, trace.join("\n")).toBe(expected)
    }

    // the sandbox's own state: none of the forbidden states
    const payments = yield* sandbox.payments
    const stored = new Map((yield* sandbox.paymentMethods).map((m) => [m.id, m] as const))
    const context = trace.join("\n")
    for (const pm of methods) {
      const naming = payments.filter((p) => p.paymentMethod === pm.id)
      if (!pm.everAttached) expect(naming.length, `${pm.id} never attached, charged ${naming.length} times\n${context}`).toBeLessThanOrEqual(1)
      if (pm.detachedAfter !== undefined) {
        const after = naming.filter((p) => p.id > pm.detachedAfter!)
        expect(after.map((p) => p.id), `${pm.id} charged after its detach\n${context}`).toEqual([])
      }
      expect(stored.get(pm.id)?.customer ?? null).toBe(pm.customer === null ? null : customers[pm.customer]!.id)
    }
    for (const customer of yield* sandbox.customers) {
      const dpm = customer.defaultPaymentMethod
      if (dpm !== null) expect(stored.get(dpm)?.customer, `default ${dpm} of ${customer.id} not attached to it\n${context}`).toBe(customer.id)
      const model = customers.find((m) => m.id === customer.id)
      expect(dpm).toBe(model?.default === null || model?.default === undefined ? null : methods[model.default]!.id)
    }
    // a card number is never part of the state
    const dump = JSON.stringify([...stored.values(), ...payments])
    for (const number of CARDS) expect(dump).not.toContain(number)
  })

describe("saved payment methods: random sequences never reach a state the contract forbids", () => {
  it.effect.prop(
    "create / attach / detach / pay / default / delete customer",
    [FastCheck.array(command, { minLength: 1, maxLength: 30 })],
    ([commands]) =>
      run(commands).pipe(
        Effect.provide(PaymentFlow.layer({ apiKey: SK, retry: Retry.make({ maxRetries: 0 }) }).pipe(Layer.provideMerge(Sandbox.layer({ rateLimit: false }))))
      ),
    { fastCheck: { numRuns: 100, seed: 15 } }
  )
})
