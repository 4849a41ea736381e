/**
 * Assembles one sandbox (state, webhooks, limits, the app) on the current scope.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { SandboxOptions } from "../SandboxOptions.js"
import * as App from "./app.js"
import * as Config from "./config.js"
import * as Idempotency from "./idempotency.js"
import { makeIds } from "./ids.js"
import * as RateLimit from "./rateLimit.js"
import * as State from "./state.js"
import * as Webhooks from "./webhooks.js"

export const make = (options?: SandboxOptions) =>
  Effect.gen(function*() {
    const config = Config.resolve(options)
    const ids = makeIds()
    const webhooks = yield* Webhooks.make(config, ids)
    const state = yield* State.make(config, ids, webhooks.publish)
    const engine = {
      config,
      state,
      rateLimiter: config.rateLimit === false ? undefined : RateLimit.make(config.rateLimit, Duration.toMillis(config.rateLimitWindow)),
      idempotency: Idempotency.make(Duration.toMillis(config.idempotencyTtl))
    }
    const app = yield* App.make(engine, webhooks)
    return { config, state, webhooks, app, idempotency: engine.idempotency }
  })

export type Instance = Effect.Effect.Success<ReturnType<typeof make>>
