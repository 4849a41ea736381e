/**
 * What every resource module of the state shares: the one permit every mutation runs under, the
 * Clock (seconds, so `TestClock` controls timestamps), the id generator, deferred work on the
 * sandbox's scope, and the event log (each event also published to webhook delivery).
 */
import type { Event } from "@paymentflow/core/Event"
import { EventId } from "@paymentflow/core/Fields"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { Config } from "../config.js"
import type { makeIds } from "../ids.js"

/** Publishes an event (never blocks; delivery runs elsewhere). */
export type Publish = (event: Event) => Effect.Effect<void>

export interface Kernel {
  readonly config: Config
  readonly ids: ReturnType<typeof makeIds>
  /** Runs `effect` under the state's one permit. */
  readonly locked: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Now, in Unix seconds, from the Clock. */
  readonly now: Effect.Effect<number>
  /** `effect` after `delay` (at once when it is zero), on the sandbox's scope: a request ending does not stop it. */
  readonly later: (delay: Duration.Duration, effect: Effect.Effect<void>) => Effect.Effect<void>
  /** Records the event `build` makes with a new event id and now (newest last), and publishes it. */
  readonly emit: (build: (id: EventId, created: number) => Event) => Effect.Effect<void>
  /** Every event so far, oldest first. */
  readonly events: ReadonlyArray<Event>
}

export const make = (config: Config, ids: ReturnType<typeof makeIds>, publish: Publish): Effect.Effect<Kernel, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope: Scope.Scope = yield* Effect.scope
    const lock = yield* Effect.makeSemaphore(1)
    const events: Array<Event> = []
    const now = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))
    return {
      config,
      ids,
      locked: (effect) => lock.withPermits(1)(effect),
      now,
      later: (delay, effect) =>
        Duration.toMillis(delay) === 0
          ? effect
          // interruptible: it is forked from a request's uninterruptible section, and closing the
          // sandbox must be able to stop it
          : Effect.asVoid(Effect.forkIn(Effect.interruptible(Effect.zipRight(Effect.sleep(delay), effect)), scope)),
      emit: (build) =>
        Effect.flatMap(now, (created) => {
          const event = build(EventId.make(ids("evt")), created)
          events.push(event)
          return publish(event)
        }),
      events
    }
  })
