/**
 * Assembles one sandbox (state, webhooks, limits, the app) on the current scope. What a reset
 * replaces (`POST /v1/sandbox/reset` with scope `all`: the state, its webhooks, idempotency keys
 * and rate-limit windows) is `current`; the config, the queued faults, the clock and the app stay.
 * A key's reset (scope `key`) deletes that key's data (`owner.ts`) from the current state.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import type { SandboxOptions } from "../SandboxOptions.js"
import * as App from "./app.js"
import * as Config from "./config.js"
import * as ControlClock from "./controlClock.js"
import * as Faults from "./faults.js"
import * as Idempotency from "./idempotency.js"
import { makeIds } from "./ids.js"
import * as Owner from "./owner.js"
import * as RateLimit from "./rateLimit.js"
import type { Engine } from "./route.js"
import * as State from "./state.js"
import * as Webhooks from "./webhooks.js"

/** What a full reset replaces. */
export interface Current {
  readonly engine: Engine
  readonly webhooks: Webhooks.Webhooks
}

export interface Instance {
  readonly config: Config.Config
  readonly faults: Faults.Queue
  readonly clock: ControlClock.ControlClock
  /** The state now (a full reset replaces it). */
  readonly current: () => Current
  /** Replaces the state, webhooks, idempotency keys and rate-limit windows, and forgets every queued fault. */
  readonly resetAll: Effect.Effect<void>
  /**
   * Deletes one key's data: the objects and events created with either key of its pair
   * (`pk_test_X` / `sk_test_X`, `owner.ts`) and their webhook deliveries, and forgets the pair's
   * idempotency keys, rate-limit windows and queued faults. Everyone else's data stays.
   */
  readonly resetKey: (apiKey: string) => Effect.Effect<void>
  readonly app: HttpApp.Default
  /** Shortcuts to `current()`'s. */
  readonly state: State.State
  readonly webhooks: Webhooks.Webhooks
  /** The idempotency store now (for the tests that check no secret is kept in it). */
  readonly idempotency: Idempotency.Idempotency
}

export const make = (options?: SandboxOptions): Effect.Effect<Instance, never, Scope.Scope> =>
  Effect.gen(function*() {
    const config = Config.resolve(options)
    const ids = makeIds()
    const scope = yield* Effect.scope
    const clock = yield* ControlClock.make
    const faults = Faults.makeQueue()
    // on the sandbox's scope: its deferred work (delays, deliveries) lives as long as the sandbox
    const fresh: Effect.Effect<Current> = Scope.extend(
      Effect.gen(function*() {
        const webhooks = yield* Webhooks.make(config, ids)
        const state = yield* State.make(config, ids, webhooks.publish)
        const engine: Engine = {
          config,
          state,
          rateLimiter: config.rateLimit === false ? undefined : RateLimit.make(config.rateLimit, Duration.toMillis(config.rateLimitWindow)),
          idempotency: Idempotency.make(Duration.toMillis(config.idempotencyTtl))
        }
        return { engine, webhooks }
      }),
      scope
    )
    let current = yield* fresh
    const base = {
      config,
      faults,
      clock,
      current: () => current,
      resetAll: Effect.map(fresh, (next) => {
        current = next
        faults.clear()
      }),
      resetKey: (apiKey: string) =>
        Effect.gen(function*() {
          const { engine, webhooks } = current
          const gone = yield* Effect.flatMap(Owner.tokenOf(apiKey), engine.state.forgetOwner)
          yield* webhooks.forget(gone)
          for (const key of Owner.pairOf(apiKey)) {
            engine.idempotency.forget(key)
            engine.rateLimiter?.forget(key)
            faults.clear(key)
          }
        })
    }
    const app = yield* App.make(base)
    return {
      ...base,
      app,
      get state() {
        return current.engine.state
      },
      get webhooks() {
        return current.webhooks
      },
      get idempotency() {
        return current.engine.idempotency
      }
    }
  })
