/**
 * Waiting in a test for what runs on real promises (web-crypto signing, web streams, webhook
 * delivery): yield to the event loop, never sleep.
 */
import * as Effect from "effect/Effect"

/** One turn of the event loop. */
export const tick: Effect.Effect<void> = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Yields to the event loop until `check` holds of what `effect` gives (dies after 2000 turns). */
export const waitFor = <A, E, R>(effect: Effect.Effect<A, E, R>, check: (a: A) => boolean): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    for (let i = 0; i < 2000; i++) {
      const a = yield* effect
      if (check(a)) return a
      yield* tick
    }
    return yield* Effect.dieMessage("condition never held")
  })
