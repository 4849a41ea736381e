/**
 * The clock the control endpoints move (`POST /v1/sandbox/clock/advance`). In a test (the
 * sandbox built under a `TestClock`) it is that `TestClock`: advancing adjusts it. Otherwise (the
 * Node server, a dev page) it is the real clock plus an offset: every request runs on it
 * (`wrap`), so the state's timestamps and delays, idempotency expiry and rate-limit windows read
 * it, and a sleep wakes early when the offset passes its end. The base is the clock the sandbox
 * was built on (a virtual clock of a test stays in charge).
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
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

/** `base` plus an offset that `advance` moves; a sleep ends on `base`'s clock or once the offset passes its end. */
const offsetClock = (base: Clock.Clock) => {
  let offset = 0
  const sleepers = new Set<{ readonly at: number; readonly wake: () => void }>()
  const now = () => base.unsafeCurrentTimeMillis() + offset
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: now,
    currentTimeMillis: Effect.sync(now),
    unsafeCurrentTimeNanos: () => base.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => base.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n),
    sleep: (duration: Duration.Duration) =>
      Effect.suspend(() => {
        const woken = Deferred.unsafeMake<void>(FiberId.none)
        const sleeper = { at: now() + Duration.toMillis(duration), wake: () => Deferred.unsafeDone(woken, Exit.void) }
        sleepers.add(sleeper)
        return Effect.raceFirst(base.sleep(duration), Deferred.await(woken)).pipe(
          Effect.ensuring(Effect.sync(() => sleepers.delete(sleeper)))
        )
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
  const offset = offsetClock(clock)
  return { advance: offset.advance, advanced: offset.advanced, wrap: Effect.withClock(offset.clock) }
})
