/**
 * The clock the control endpoints move (`POST /v1/sandbox/clock/advance`). In a test (the
 * sandbox built under a `TestClock`) it is that `TestClock`: advancing adjusts it. Otherwise (the
 * Node server, a dev page) it is the real clock plus an offset: every request runs on it
 * (`wrap`), so the state's timestamps and delays, idempotency expiry and rate-limit windows read
 * it, and a sleep wakes early when the offset passes its end.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"

export interface ControlClock {
  /** Moves the clock ahead. */
  readonly advance: (millis: number) => Effect.Effect<void>
  /** How far it was moved ahead of the clock the sandbox was built on, in milliseconds. */
  readonly advanced: () => number
  /** `effect` on this clock. */
  readonly wrap: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

const isTestClock = (clock: Clock.Clock): boolean => "adjust" in clock && "setTime" in clock

const offsetClock = () => {
  let offset = 0
  const sleepers = new Set<{ readonly at: number; readonly wake: () => void }>()
  const now = () => Date.now() + offset
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: now,
    currentTimeMillis: Effect.sync(now),
    unsafeCurrentTimeNanos: () => BigInt(now()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now()) * 1_000_000n),
    sleep: (duration: Duration.Duration) =>
      Effect.async<void>((resume) => {
        const sleeper = {
          at: now() + Duration.toMillis(duration),
          wake: () => {
            clearTimeout(timer)
            sleepers.delete(sleeper)
            resume(Effect.void)
          }
        }
        const timer = setTimeout(sleeper.wake, Math.max(0, Math.min(Duration.toMillis(duration), 2 ** 31 - 1)))
        sleepers.add(sleeper)
        return Effect.sync(() => {
          clearTimeout(timer)
          sleepers.delete(sleeper)
        })
      })
  }
  return {
    clock,
    advance: (millis: number) =>
      Effect.sync(() => {
        offset += millis
        for (const s of [...sleepers]) if (s.at <= now()) s.wake()
      }),
    advanced: () => offset
  }
}

export const make: Effect.Effect<ControlClock> = Effect.map(Effect.clock, (clock): ControlClock => {
  if (isTestClock(clock)) {
    let advanced = 0
    return {
      advance: (millis) => Effect.zipRight(Effect.sync(() => void (advanced += millis)), TestClock.adjust(millis)),
      advanced: () => advanced,
      wrap: (effect) => effect
    }
  }
  const offset = offsetClock()
  return { advance: offset.advance, advanced: offset.advanced, wrap: Effect.withClock(offset.clock) }
})
