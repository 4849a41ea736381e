/**
 * The retry driver: which policy a call runs under, and the loop that runs it. The schedule is
 * driven only after a failure, so the success path pays nothing for retries.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { PaymentFlowError } from "../Errors.js"
import * as Retry from "../Retry.js"

/**
 * The policy the options ask for: `retry` as given, else `maxRetries` (`0` or less: one attempt,
 * `undefined`), else `fallback`. The client's options resolve against `Retry.schedule` once;
 * a call's options resolve against the client's policy, and only when they say something.
 */
export const policyOf = (
  options: { readonly retry?: Retry.Policy | undefined; readonly maxRetries?: number | undefined } | undefined,
  fallback: Retry.Policy | undefined
): Retry.Policy | undefined => {
  if (options === undefined) return fallback
  if (options.retry !== undefined) return options.retry
  if (options.maxRetries === undefined) return fallback
  return options.maxRetries <= 0 ? undefined : Retry.make({ maxRetries: options.maxRetries })
}

/**
 * Runs `attempt` once, and again while `policy` says so after each failure. `undefined`: one
 * attempt (`Effect.retry` with `times: 0` is not "no retry" in every combinator, so the zero
 * case never reaches a schedule).
 */
export const retrying = <A>(
  attempt: Effect.Effect<A, PaymentFlowError>,
  policy: Retry.Policy | undefined
): Effect.Effect<A, PaymentFlowError> =>
  policy === undefined ? attempt : Effect.catchAll(attempt, (error) => afterFailure(attempt, policy, error))

const afterFailure = <A>(
  attempt: Effect.Effect<A, PaymentFlowError>,
  policy: Retry.Policy,
  first: PaymentFlowError
): Effect.Effect<A, PaymentFlowError> =>
  Effect.flatMap(Schedule.driver(policy), (driver) => {
    const loop = (error: PaymentFlowError): Effect.Effect<A, PaymentFlowError> =>
      Effect.matchEffect(driver.next(error), {
        onFailure: () => Effect.fail(error),
        onSuccess: () => Effect.catchAll(attempt, loop)
      })
    return loop(first)
  })
