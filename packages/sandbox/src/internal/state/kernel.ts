/**
 * What every resource module of the state shares: the one permit every mutation runs under, the
 * Clock (seconds, so `TestClock` controls timestamps), the id generator, deferred work on the
 * sandbox's scope, the event log (each event also published to webhook delivery), and whose
 * data each object is (`owner.ts`): an id drawn under the permit is recorded under the owner of the
 * request (or deferred work) holding it, an event under its object's owner.
 */
import type { Event } from "@paymentflow/core/Event"
import { EventId } from "@paymentflow/core/Fields"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import type * as Scope from "effect/Scope"
import type { Config } from "../config.js"
import type { makeIds } from "../ids.js"
import * as Owner from "../owner.js"

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
  /** The ids of the objects and events `token` owns (call under the permit). */
  readonly ownedBy: (token: string) => ReadonlySet<string>
  /** Forgets the owners of `ids` and drops those of them that are events (call under the permit). */
  readonly forget: (ids: ReadonlySet<string>) => void
}

export const make = (config: Config, ids: ReturnType<typeof makeIds>, publish: Publish): Effect.Effect<Kernel, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope: Scope.Scope = yield* Effect.scope
    const lock = yield* Effect.makeSemaphore(1)
    const events: Array<Event> = []
    const now = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))
    /** Owner token by object or event id (only those a request created). */
    const owners = new Map<string, string>()
    /** The owner of the mutation holding the permit: one at a time, so a plain variable. */
    let running: string | undefined
    const own = (id: string, owner: string | undefined) => {
      if (owner !== undefined) owners.set(id, owner)
    }
    return {
      config,
      ids: (prefix) => {
        const id = ids(prefix)
        own(id, running)
        return id
      },
      locked: (effect) =>
        Effect.flatMap(FiberRef.get(Owner.current), (owner) =>
          lock.withPermits(1)(Effect.suspend(() => {
            running = owner
            return Effect.ensuring(effect, Effect.sync(() => (running = undefined)))
          }))),
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
          // an event is its object's owner's (a payment settled later is still its creator's)
          own(event.id, owners.get(event.data.id) ?? running)
          events.push(event)
          return publish(event)
        }),
      events,
      ownedBy: (token) => {
        const out = new Set<string>()
        for (const [id, owner] of owners) if (owner === token) out.add(id)
        return out
      },
      forget: (gone) => {
        for (const id of gone) owners.delete(id)
        let kept = 0
        for (const event of events) if (!gone.has(event.id)) events[kept++] = event
        events.length = kept
      }
    }
  })
