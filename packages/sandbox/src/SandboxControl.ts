/**
 * A typed client of the sandbox's own control endpoints (`/v1/sandbox/...`, the rows of core's
 * `SandboxControl.ts`), for end-to-end tests that drive a sandbox running in another process
 * (`pnpm sandbox`, `SandboxServer`): move its clock, reset it, queue faults, read its events and
 * webhook deliveries.
 * Derived from the rows as the `PaymentFlow` client is; those rows never appear in it.
 *
 * A reset is scoped to the calling key unless asked for all: parallel test workers with keys of
 * their own do not wipe each other. Calls are not retried by default (`maxRetries: 0`): moving a
 * clock twice is not what a retry should do.
 *
 * @example
 * ```ts
 * import { SandboxControlClient } from "@paymentflow/sandbox/SandboxControl"
 * import { SandboxServer } from "@paymentflow/sandbox/server"
 *
 * const main = async () => {
 *   const server = await SandboxServer.start({ rateLimit: false })
 *   const control = new SandboxControlClient({ apiKey: "sk_test_0123456789abcdef", baseUrl: server.url })
 *   await control.sandbox.createFault({ fault: "503", operation: "payments.create", times: 2 })
 *   const clock = await control.sandbox.advanceClock({ seconds: 3600 })
 *   console.log(clock.advancedSeconds) // 3600
 *   await control.sandbox.reset({ scope: "key" })
 *   await control.close()
 *   await server.close()
 * }
 * main()
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Api from "@paymentflow/core/Api"
import { makeSubset, type PaymentFlow, type ServiceOf } from "@paymentflow/core/PaymentFlow"
import { PromiseFacade, type PromiseService } from "@paymentflow/core/PaymentFlowClient"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"

/**
 * The sandbox-only rows (`surface: "sandbox"`).
 *
 * @since 0.1.0
 * @category Models
 */
export type ControlKey = Exclude<Api.EndpointKey, Api.ClientKey>

/**
 * The keys of {@link ControlKey}, in the order of the rows.
 *
 * @since 0.1.0
 * @category Constants
 */
export const controlKeys: ReadonlyArray<ControlKey> = Api.keys.filter((k): k is ControlKey =>
  !(Api.clientKeys as ReadonlyArray<string>).includes(k)
)

/**
 * The client's options: a secret key and the sandbox's URL, with the `PaymentFlow` client's others.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options extends PaymentFlow.Options {
  readonly baseUrl: string
}

/**
 * The Effect client: `control.sandbox.advanceClock({ seconds })`, `reset`, `createFault`,
 * `listEvents`, `listWebhookDeliveries`, `retrieveClock`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service extends ServiceOf<ControlKey> {}

const withDefaults = (options: Options): Options => ({ maxRetries: 0, ...options })

/**
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient | Scope.Scope> =>
  makeSubset(withDefaults(options), controlKeys)

/**
 * The Effect client's tag.
 *
 * @since 0.1.0
 * @category Tags
 */
export class SandboxControl extends Context.Tag("@paymentflow/sandbox/SandboxControl")<SandboxControl, Service>() {
  /**
   * @since 0.1.0
   */
  static layer(options: Options): Layer.Layer<SandboxControl, never, HttpClient.HttpClient> {
    return Layer.scoped(SandboxControl, make(options))
  }
}

/**
 * The Promise client's members, derived from the same rows.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SandboxControlClient extends PromiseService<ControlKey> {}

/**
 * The Promise client (on `fetch`): `await control.sandbox.reset({ scope: "key" })` (example: the module's).
 *
 * @since 0.1.0
 * @category Constructors
 */
export class SandboxControlClient extends PromiseFacade<SandboxControl, Service> {
  constructor(options: Options) {
    super({
      layer: SandboxControl.layer(options).pipe(Layer.provide(FetchHttpClient.layer)),
      tag: SandboxControl,
      rows: controlKeys.map((key) => Api.endpoints[key]),
      apiKey: options.apiKey
    })
  }
}
