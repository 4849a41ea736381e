/**
 * `@paymentflow/sandbox/msw`: the stateful sandbox as request handlers for Mock Service Worker
 * (v2) — `setupServer(...sandbox.handlers)` in any Node test runner (Vitest, Jest, plain
 * Promises), `setupWorker(...sandbox.handlers)` in a browser (frontend development with no
 * server). Every request to the sandbox's base URL is served by the real sandbox engine in this
 * JavaScript realm: state, rules, idempotency, webhooks. This entry and the engine import no Node
 * built-ins (the Node server stays `@paymentflow/sandbox/server`); `msw` is an optional peer.
 *
 * @example
 * ```ts
 * import { createSandbox } from "@paymentflow/sandbox/msw"
 *
 * const sandbox = createSandbox() // test defaults: no rate limit, no delays
 * // setupServer(...sandbox.handlers).listen() in a test file; setupWorker(...sandbox.handlers).start() in a page
 * console.log(sandbox.handlers.length) // 1
 * sandbox.close()
 * ```
 *
 * @since 0.1.0
 */
import { BASE_URLS } from "@paymentflow/core/ApiKey"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { http, type HttpHandler } from "msw"
import { make as makeSandbox, type SandboxService } from "./Sandbox.js"
import type { SandboxOptions } from "./SandboxOptions.js"

/**
 * @since 0.1.0
 * @category Models
 */
export interface MswSandboxOptions extends SandboxOptions {
  /** The origin to intercept. Default the sandbox's (`BASE_URLS.sandbox`), where `*_test_*` keys go. */
  readonly baseUrl?: string | undefined
}

/**
 * @since 0.1.0
 * @category Models
 */
export interface MswSandbox {
  /** The handlers to give `setupServer` / `setupWorker`: every request under `baseUrl`. */
  readonly handlers: ReadonlyArray<HttpHandler>
  /** The sandbox behind them (its state, `seed`, its web `handler`), once built. */
  readonly sandbox: Promise<SandboxService>
  /** A fresh sandbox behind the same handlers (between tests). */
  readonly reset: () => Promise<void>
  /** Stops the sandbox's deferred work (delays, webhook retries). */
  readonly close: () => Promise<void>
}

const build = (options: SandboxOptions) =>
  Effect.runPromise(Effect.gen(function*() {
    const scope = yield* Scope.make()
    const service = yield* Scope.extend(makeSandbox(options), scope)
    return { scope, service }
  }))

/**
 * A sandbox behind MSW handlers (example: the module's). It runs on the real clock: the
 * sandbox-only `POST /v1/sandbox/clock/advance` moves it (see `SandboxControl`). Its defaults are
 * a test's, as `PaymentFlowTest`'s: no rate limit unless `rateLimit` is given (the server's 100 per
 * minute would make the 101st call of a test wait on a 429), and no processing or refund delay.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const createSandbox = (options: MswSandboxOptions = {}): MswSandbox => {
  const { baseUrl, ...given } = options
  const sandboxOptions: SandboxOptions = { ...given, rateLimit: given.rateLimit ?? false }
  const origin = (baseUrl ?? BASE_URLS.sandbox).replace(/\/+$/, "")
  let current = build(sandboxOptions)
  const close = async () => {
    const { scope } = await current
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
  return {
    handlers: [
      http.all(`${origin}/*`, async ({ request }) => {
        const { service } = await current
        // a `drop-after-commit` fault: the change is made, and the client sees a network error
        return service.handler(request).catch(() => Response.error())
      })
    ],
    get sandbox() {
      return current.then(({ service }) => service)
    },
    reset: async () => {
      await close()
      current = build(sandboxOptions)
      await current
    },
    close
  }
}
