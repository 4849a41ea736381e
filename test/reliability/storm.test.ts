/**
 * Fault storm: many logical `payments.create` calls through the SDK (retries on) against the
 * in-process sandbox, with a random fault on every ATTEMPT — drop-after-commit, 500, 503 (with
 * Retry-After), 429, a delay beyond the per-attempt timeout, a truncated body, an HTML 502, or
 * none. Everything runs on a virtual clock (see `harness.ts` for why not `TestClock`), so
 * backoff, Retry-After, timeouts and the sandbox's delays cost no real time.
 *
 * Afterwards the sandbox's payments are counted per logical call (each is tagged
 * `metadata.call`): a call that returned a payment has exactly that one; a call that failed has
 * at most one and failed with a typed `PaymentFlowError`; nothing died.
 *
 * `PAYMENTFLOW_STORM_CALLS` (default 1 000; `pnpm test:reliability` runs 10 000) and
 * `PAYMENTFLOW_STORM_SEED` (default fixed) control the run.
 */
import { describe, expect, it } from "@effect/vitest"
import { isPaymentFlowError, type Payment, PaymentFlow, type PaymentFlowError, Retry } from "@paymentflow/core"
import { Sandbox } from "@paymentflow/sandbox"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { driveToCompletion, FAULT_KINDS, faultInjector, prng, table, VirtualClock } from "./harness.js"

const CALLS = Math.max(1, Math.floor(Number(process.env["PAYMENTFLOW_STORM_CALLS"] ?? "1000")))
const SEED = Math.floor(Number(process.env["PAYMENTFLOW_STORM_SEED"] ?? "20250601"))
const CONCURRENCY = 250
const TIMEOUT_MS = 2_000
/**
 * Two callers: one with a handful of retries (some calls run out of attempts and must end typed,
 * with at most one payment), and a persistent one (40 retries) for which no result may be lost:
 * every call must come back with its one payment.
 */
const RUNS = [
  { name: "4 retries", maxRetries: 4, noneLost: false },
  { name: "a persistent caller (40 retries)", maxRetries: 40, noneLost: true }
] as const
const SK = "sk_test_stormSTORMstorm0123456789"

type Outcome =
  | { readonly _tag: "Payment"; readonly payment: Payment }
  | { readonly _tag: "Failed"; readonly error: PaymentFlowError }
  | { readonly _tag: "Defect"; readonly cause: Cause.Cause<unknown> }

const outcomeOf = (exit: Exit.Exit<Payment, PaymentFlowError>): Outcome => {
  if (Exit.isSuccess(exit)) return { _tag: "Payment", payment: exit.value }
  const failure = Cause.failureOption(exit.cause)
  return failure._tag === "Some" && !Cause.isDie(exit.cause)
    ? { _tag: "Failed", error: failure.value }
    : { _tag: "Defect", cause: exit.cause }
}

describe("fault storm", () => {
  for (const run of RUNS) {
    it.effect(`${CALLS} payments.create calls, ${run.name}, a random fault per attempt: no duplicate, no untyped failure, no defect${run.noneLost ? ", no lost result" : ""}`, () =>
    Effect.gen(function*() {
      const clock = new VirtualClock(Date.UTC(2025, 5, 1))
      const injector = faultInjector({ random: prng(SEED), delayMillis: TIMEOUT_MS * 3, noneWeight: 3 })
      const layer = PaymentFlow.layer({
        apiKey: SK,
        timeout: TIMEOUT_MS,
        retry: Retry.make({ maxRetries: run.maxRetries }),
        transformClient: injector.transform
      }).pipe(Layer.provideMerge(Sandbox.layer({ faults: true, rateLimit: false })))

      yield* Effect.gen(function*() {
        const pf = yield* PaymentFlow
        const sandbox = yield* Sandbox
        const outcomes: Array<Outcome | undefined> = new Array<Outcome | undefined>(CALLS).fill(undefined)
        let done = 0
        const call = (i: number) =>
          pf.payments.create({ amount: 100 + i, currency: "USD", metadata: { call: String(i) } }).pipe(
            Effect.exit,
            Effect.map((exit) => {
              outcomes[i] = outcomeOf(exit)
              done++
            })
          )
        const indices = Array.from({ length: CALLS }, (_, i) => i)
        const fiber = yield* Effect.fork(Effect.forEach(indices, call, { concurrency: CONCURRENCY, discard: true }))
        const driven = yield* driveToCompletion(fiber, clock, () => `${injector.stats.attempts}/${injector.stats.settled}/${done}`)
        yield* Fiber.join(fiber)

        // --- what the sandbox holds, per logical call
        const payments = yield* sandbox.payments
        const byCall = new Map<string, Array<Payment>>()
        for (const p of payments) {
          const tag = p.metadata["call"] ?? "untagged"
          byCall.set(tag, [...(byCall.get(tag) ?? []), p])
        }
        const outcomeCounts = new Map<string, number>()
        let duplicates = 0
        let succeeded = 0
        let failedWithPayment = 0
        let failedWithoutPayment = 0
        const defects: Array<string> = []
        const violations: Array<string> = []
        for (let i = 0; i < CALLS; i++) {
          const outcome = outcomes[i]
          const held = byCall.get(String(i)) ?? []
          duplicates += Math.max(0, held.length - 1)
          if (outcome === undefined) {
            violations.push(`call ${i}: no outcome`)
            continue
          }
          switch (outcome._tag) {
            case "Payment": {
              succeeded++
              outcomeCounts.set("payment", (outcomeCounts.get("payment") ?? 0) + 1)
              if (held.length !== 1 || held[0]?.id !== outcome.payment.id) {
                violations.push(`call ${i}: returned ${outcome.payment.id}, sandbox holds [${held.map((p) => p.id).join(", ")}]`)
              }
              if (outcome.payment.metadata["call"] !== String(i) || outcome.payment.amount !== 100 + i) {
                violations.push(`call ${i}: returned another call's payment ${outcome.payment.id}`)
              }
              break
            }
            case "Failed": {
              const key = `${outcome.error._tag} ${outcome.error.code}${outcome.error.statusCode === undefined ? "" : ` (${outcome.error.statusCode})`}`
              outcomeCounts.set(key, (outcomeCounts.get(key) ?? 0) + 1)
              if (!isPaymentFlowError(outcome.error)) violations.push(`call ${i}: untyped failure ${String(outcome.error)}`)
              if (held.length > 1) violations.push(`call ${i}: failed, yet ${held.length} payments`)
              if (held.length === 1) failedWithPayment++
              else failedWithoutPayment++
              break
            }
            case "Defect":
              defects.push(`call ${i}: ${Cause.pretty(outcome.cause).slice(0, 300)}`)
          }
        }
        const untagged = byCall.get("untagged")?.length ?? 0

        console.log(
          table(`fault storm, ${run.name} (seed ${SEED})`, [
            ["logical calls", CALLS],
            ["attempts", injector.stats.attempts],
            ...FAULT_KINDS.map((k) => [`  fault ${k}`, injector.stats.byKind[k]] as const),
            ["outcome: payment returned", succeeded],
            ...[...outcomeCounts].filter(([k]) => k !== "payment").sort().map(([k, n]) => [`outcome: ${k}`, n] as const),
            ["outcome: defect", defects.length],
            ["failed, payment exists (result not returned)", failedWithPayment],
            ["failed, no payment", failedWithoutPayment],
            ["sandbox payments", payments.length],
            ["duplicates", duplicates],
            ["virtual time (s)", Math.round(driven.virtualMillis / 1000)],
            ["clock advances", driven.rounds]
          ])
        )

        expect(defects).toEqual([])
        expect(violations).toEqual([])
        expect(duplicates).toBe(0)
        expect(untagged).toBe(0)
        expect(payments.length).toBe(succeeded + failedWithPayment)
        // the storm really stormed: every kind of fault was injected, and retries happened
        for (const kind of FAULT_KINDS) expect(injector.stats.byKind[kind]).toBeGreaterThan(0)
        expect(injector.stats.attempts).toBeGreaterThan(CALLS)
        if (run.noneLost) {
          // nothing lost: every call came back with its one payment
          expect(failedWithPayment).toBe(0)
          expect(failedWithoutPayment).toBe(0)
          expect(succeeded).toBe(CALLS)
        }
      }).pipe(Effect.provide(layer), Effect.withClock(clock))
    }), { timeout: Math.max(60_000, CALLS * 30) })
  }
})
