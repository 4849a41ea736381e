/**
 * The PaymentFlow service on Node: core's client on the pooled undici `HttpClient`, plus the
 * `node:crypto` HMAC for webhook verification (example on {@link layerConfig}).
 *
 * @since 0.1.0
 */
import { PaymentFlow } from "@paymentflow/core/PaymentFlow"
import type * as ApiKey from "@paymentflow/core/ApiKey"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as NodeHmac from "./NodeHmac.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * The service on undici, with `node:crypto` webhooks.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: PaymentFlow.Options): Layer.Layer<PaymentFlow> =>
  Layer.merge(PaymentFlow.layer(options).pipe(Layer.provide(UndiciHttpClient.layer)), NodeHmac.layer)

const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.map(Config.option(config), Option.getOrUndefined)

/**
 * The environment's configuration: `PAYMENTFLOW_API_KEY` (required, kept `Redacted`),
 * `PAYMENTFLOW_ENVIRONMENT` (`sandbox` | `production`, optional), `PAYMENTFLOW_BASE_URL`
 * (optional).
 *
 * @since 0.1.0
 * @category Config
 */
export const config: {
  readonly apiKey: Config.Config<Redacted.Redacted<string>>
  readonly environment: Config.Config<ApiKey.Environment | undefined>
  readonly baseUrl: Config.Config<string | undefined>
} = {
  apiKey: Config.redacted("PAYMENTFLOW_API_KEY"),
  environment: optional(Config.literal("sandbox", "production")("PAYMENTFLOW_ENVIRONMENT")),
  baseUrl: optional(Config.string("PAYMENTFLOW_BASE_URL"))
}

/**
 * {@link layer} from `Config` (by default the process environment, see {@link config}); any
 * option given here overrides it.
 *
 * @example
 * ```ts
 * import { NodePaymentFlow, PaymentFlow } from "@paymentflow/node"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pf = yield* PaymentFlow
 *   return yield* pf.payments.create({ amount: 2500, currency: "USD" })
 * })
 *
 * // reads PAYMENTFLOW_API_KEY, PAYMENTFLOW_ENVIRONMENT, PAYMENTFLOW_BASE_URL when it runs;
 * // run it with Effect.runPromise (or NodeRuntime.runMain from @effect/platform-node)
 * export const main = program.pipe(Effect.provide(NodePaymentFlow.layerConfig()))
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options?: Partial<PaymentFlow.ConfigOptions>
): Layer.Layer<PaymentFlow, ConfigError.ConfigError> =>
  Layer.merge(
    PaymentFlow.layerConfig({ ...config, ...options }).pipe(Layer.provide(UndiciHttpClient.layer)),
    NodeHmac.layer
  )
