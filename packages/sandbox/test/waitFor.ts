/**
 * Waiting in a test for what runs on real promises (web-crypto signing, web streams, webhook
 * delivery): yield to the event loop, never sleep on a clock the test controls.
 */
import * as Effect from "effect/Effect"

/** One turn of the event loop. */
export const tick: Effect.Effect<void> = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/**
 * A turn through the timers phase: lets libuv's thread pool (Web Crypto) answer on a busy
 * machine, and Effect's scheduler run what it yielded to a `setTimeout(0)`.
 */
export const timerTick: Effect.Effect<void> = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 1)))

/**
 * Yields to the event loop until `check` holds of what `effect` gives. Bounded by real time, not
 * by turns: a Web Crypto job can take any number of turns on a loaded machine (a count of 2 000
 * turns ran out in CI). Dies after `withinMillis` (10 s) of real time.
 */
export const waitFor = <A, E, R>(effect: Effect.Effect<A, E, R>, check: (a: A) => boolean, withinMillis = 10_000): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const deadline = Date.now() + withinMillis
    for (let turn = 0; ; turn++) {
      const a = yield* effect
      if (check(a)) return a
      if (Date.now() > deadline) return yield* Effect.dieMessage(`condition never held (${turn} turns, ${withinMillis} ms)`)
      yield* turn < 100 ? tick : timerTick
    }
  })
