/**
 * The sandbox-only control endpoints (core's `SandboxControl.ts` rows, `surface: "sandbox"`):
 * one implementation per row, typed from it, behind a guard of their own — a secret key, the
 * row's parameter schema (first failure → `Rule.violation`, the very verdict the SDK's local
 * validation gives on the same input; a row without parameters refuses any, as the user's rows
 * do), the row's success schema — and no
 * rate limit and no idempotency: a test harness resetting or moving the clock between runs must
 * never be throttled, nor replayed an old answer.
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Api from "@paymentflow/core/Api"
import * as Rule from "@paymentflow/core/Rule"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { authenticate } from "./auth.js"
import type * as Engine from "./engine.js"
import type { Failure } from "./failure.js"
import type * as Faults from "./faults.js"
import type { ParamsOf, SuccessOf } from "./handlers.js"
import { parseUrl, readInput } from "./request.js"
import * as Responses from "./responses.js"
import type { RawHandler } from "./route.js"

/** What the control endpoints act on: the instance, less what it is built into. */
export type Controlled = Omit<Engine.Instance, "app" | "state" | "webhooks" | "idempotency">

/** The sandbox-only rows. */
export type ControlKey = Exclude<Api.EndpointKey, Api.ClientKey>

type ControlHandler<K extends ControlKey> = (
  input: { readonly params: ParamsOf<K>; readonly apiKey: string }
) => Effect.Effect<SuccessOf<K>, Failure>

/** Every control row's implementation (a missing one is a compile error). */
export type ControlTable = { readonly [K in ControlKey]: ControlHandler<K> }

const isClientKey = (key: string): boolean => (Api.clientKeys as ReadonlyArray<string>).includes(key)

const faultOf = (params: ParamsOf<"sandbox.createFault">): Faults.Faults => {
  switch (params.fault) {
    case "500":
      return { status: 500 }
    case "503":
    case "429":
      return { status: params.fault === "503" ? 503 : 429, retryAfter: params.retryAfter ?? 0 }
    case "html-502":
      return { status: 502 }
    case "drop-after-commit":
      return { drop: true }
    case "truncate":
      return { truncate: true }
    case "delay":
      return { delayMillis: params.delayMs ?? 1000 }
  }
}

export const table = (instance: Controlled): ControlTable => {
  const clockNow = Effect.map(Clock.currentTimeMillis, (ms) => ({
    object: "sandbox.clock" as const,
    now: Math.floor(ms / 1000),
    advancedSeconds: Math.floor(instance.clock.advanced() / 1000)
  }))
  return {
    "sandbox.advanceClock": ({ params }) => Effect.zipRight(instance.clock.advance(params.seconds * 1000), clockNow),
    "sandbox.retrieveClock": () => clockNow,
    "sandbox.reset": ({ apiKey, params }) => {
      const scope = params.scope ?? "key"
      const done = { object: "sandbox.reset" as const, scope }
      return scope === "all" ? Effect.as(instance.resetAll, done) : Effect.as(instance.resetKey(apiKey), done)
    },
    "sandbox.createFault": ({ apiKey, params }) => {
      // `operation` is one of the user's rows: the row's schema says so (`SandboxOperation`)
      const times = params.times ?? 1
      return Effect.sync(() => {
        instance.faults.push({ apiKey, operation: params.operation, faults: faultOf(params), remaining: times })
        return { object: "sandbox.fault" as const, fault: params.fault, operation: params.operation ?? null, times }
      })
    },
    "sandbox.listEvents": () =>
      Effect.map(instance.current().engine.state.snapshot.events, (data) => ({ object: "list" as const, data, totalCount: data.length })),
    "sandbox.listWebhookDeliveries": () =>
      Effect.map(instance.current().webhooks.deliveries, (data) => ({
        object: "list" as const,
        data,
        hasMore: false,
        totalCount: data.length
      }))
  }
}

const decodeError = (issue: Parameters<typeof Rule.violation>[0]) => {
  const v = Rule.violation(issue)
  return Responses.error(Responses.isCode(v.code) ? v.code : "parameter_invalid", v.message, { field: v.field })
}

const guard = <K extends ControlKey>(instance: Controlled, key: K, impl: ControlHandler<K>): RawHandler => {
  const row = Api.endpoints[key]
  // the row's schemas as the types the handler is written in (see route.ts)
  const params = (row.params ?? Api.EmptyParams) as unknown as Schema.Schema<ParamsOf<K>, unknown>
  const success = row.success as unknown as Schema.Schema<SuccessOf<K>, unknown>
  const decode = Schema.decodeUnknownEither(params, { onExcessProperty: "error", errors: "first" })
  const encode = Schema.encodeSync(success)
  return ({ request }): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const auth = authenticate(instance.config, request.headers, "secret")
    if (!("key" in auth)) return Effect.succeed(auth)
    const url = request.method === "GET" ? parseUrl(request.url) ?? null : null
    return Effect.matchEffect(readInput(request, url, instance.config.maxBodyBytes), {
      onFailure: Effect.succeed,
      onSuccess: (input) => {
        if (row.params === undefined) {
          const unknown = Object.keys(input)[0]
          if (unknown !== undefined) return Effect.succeed(Responses.error("parameter_unknown", "is not a known parameter", { field: unknown }))
        }
        const decoded = decode(input)
        if (decoded._tag === "Left") return Effect.succeed(decodeError(decoded.left.issue))
        return Effect.match(impl({ params: decoded.right, apiKey: auth.key }), {
          onFailure: (f) => Responses.error(f.code, f.message, { field: f.field }),
          onSuccess: (value) => Responses.json(encode(value))
        })
      }
    })
  }
}

/** The control rows as raw handlers, by `group.name`. */
export const make = (instance: Controlled): ReadonlyMap<string, RawHandler> => {
  const impls = table(instance)
  const wrap = <K extends ControlKey>(key: K): RawHandler => guard(instance, key, impls[key])
  const keys = Api.keys.filter((k): k is ControlKey => !isClientKey(k))
  return new Map(keys.map((k) => [k, wrap(k)]))
}
