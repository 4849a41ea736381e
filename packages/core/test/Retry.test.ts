import { describe, expect, it } from "@effect/vitest"
import { Retry } from "@paymentflow/core"
import { ApiError, AuthenticationError, ConflictError, NetworkError, NotFoundError, type PaymentFlowError, RateLimitError, ValidationError } from "@paymentflow/core/Errors"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"

const m = { message: "m" }

describe("Retry", () => {
  it("isRetryable follows the contract", () => {
    const table: ReadonlyArray<readonly [PaymentFlowError, boolean]> = [
      [new NetworkError({ ...m, code: "connection_failed" }), true],
      [new NetworkError({ ...m, code: "timeout" }), true],
      [new NetworkError({ ...m, code: "invalid_response", body: "unexpected_shape" }), false],
      [new NetworkError({ ...m, code: "invalid_response", body: "unparseable" }), true],
      [new ApiError({ ...m, code: "unexpected_response", statusCode: 409 }), true],
      [new RateLimitError({ ...m, code: "rate_limited", statusCode: 429 }), true],
      [new ApiError({ ...m, code: "internal_error", statusCode: 500 }), true],
      [new ApiError({ ...m, code: "bad_gateway", statusCode: 502 }), true],
      [new ApiError({ ...m, code: "service_unavailable", statusCode: 503 }), true],
      [new ApiError({ ...m, code: "x", statusCode: 504 }), true],
      [new ApiError({ ...m, code: "x", statusCode: 501 }), false],
      [new ApiError({ ...m, code: "x", statusCode: 404 }), false],
      [new ConflictError({ ...m, code: "idempotency_key_in_use", statusCode: 409 }), true],
      [new ConflictError({ ...m, code: "idempotency_key_reused", statusCode: 409 }), false],
      [new ConflictError({ ...m, code: "payment_not_cancelable", statusCode: 409 }), false],
      [new ValidationError({ ...m, code: "parameter_invalid", statusCode: 400 }), false],
      [new AuthenticationError({ ...m, code: "api_key_invalid", statusCode: 401 }), false],
      [new AuthenticationError({ ...m, code: "permission_denied", statusCode: 403 }), false],
      [new NotFoundError({ ...m, code: "resource_missing", statusCode: 404 }), false]
    ]
    for (const [error, expected] of table) expect([error.code, Retry.isRetryable(error)]).toEqual([error.code, expected])
  })

  const counting = (error: PaymentFlowError) => {
    let attempts = 0
    return { effect: Effect.suspend(() => (attempts++, Effect.fail(error))), attempts: () => attempts }
  }

  it.effect("maxRetries 0 is exactly one attempt; Retry.none too", () =>
    Effect.gen(function*() {
      for (const policy of [Retry.make({ maxRetries: 0 }), Retry.none]) {
        const c = counting(new ApiError({ ...m, code: "x", statusCode: 503 }))
        yield* Effect.flip(Effect.retry(c.effect, policy))
        expect(c.attempts()).toBe(1)
      }
    }))

  it.effect("the default policy makes 3 attempts with growing delays", () =>
    Effect.gen(function*() {
      const c = counting(new NetworkError({ ...m, code: "timeout" }))
      const fiber = yield* Effect.fork(Effect.flip(Effect.retry(c.effect, Retry.schedule)))
      yield* TestClock.adjust("300 millis")
      expect(c.attempts()).toBe(1)
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      expect(c.attempts()).toBe(3)
    }))

  it.effect("a Retry-After beyond 60 s waits 60 s", () =>
    Effect.gen(function*() {
      const c = counting(new RateLimitError({ ...m, code: "rate_limited", statusCode: 429, retryAfter: 3600 }))
      const fiber = yield* Effect.fork(Effect.flip(Effect.retry(c.effect, Retry.make({ maxRetries: 1 }))))
      yield* TestClock.adjust("59 seconds")
      expect(c.attempts()).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(c.attempts()).toBe(2)
    }))
})
