/**
 * The handler table: one implementation per row of core's endpoint table, typed from the row
 * (its decoded parameters in, its success type out). The table's type is a mapped type over
 * `Api.EndpointKey`, so a row without a handler — or a handler answering with another row's
 * type — does not compile. Each is then wrapped in the generic guard (`route.ts`).
 */
import * as Api from "@paymentflow/core/Api"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { Failure } from "./failure.js"
import { type Engine, type RawHandler, route } from "./route.js"
import type { State } from "./state.js"

type Row<K extends Api.EndpointKey> = Api.Endpoints[K]

/** What a row's handler receives as parameters: its `params` schema's type (`{}` without one). */
export type ParamsOf<K extends Api.EndpointKey> = Row<K>["params"] extends Schema.Schema.AnyNoContext
  ? Schema.Schema.Type<Row<K>["params"]>
  : {}

/** What a row's handler succeeds with: its `success` schema's type. */
export type SuccessOf<K extends Api.EndpointKey> = Schema.Schema.Type<Row<K>["success"]>

/** One row's implementation: the guard has checked the caller, the id and the parameters. */
export type Handler<K extends Api.EndpointKey> = (
  input: { readonly params: ParamsOf<K>; readonly id: string }
) => Effect.Effect<SuccessOf<K>, Failure>

/**
 * Every row's implementation (a missing one is a compile error). The sandbox-only rows
 * (`surface: "sandbox"`) are the control endpoints' (`control.ts`), which act on the sandbox, not on its state.
 */
export type HandlerTable = { readonly [K in Api.ClientKey]: Handler<K> }

/** The sandbox's implementations: each row to the state change it makes. */
export const table = (s: State): HandlerTable => ({
  "payments.create": ({ params }) => s.payments.create(params),
  "payments.retrieve": ({ id }) => s.payments.retrieve(id),
  "payments.list": ({ params }) => s.payments.list(params),
  "payments.confirm": ({ id, params }) => s.payments.confirm(id, params),
  "payments.cancel": ({ id }) => s.payments.cancel(id),
  "refunds.create": ({ params }) => s.refunds.create(params),
  "refunds.retrieve": ({ id }) => s.refunds.retrieve(id),
  "refunds.list": ({ params }) => s.refunds.list(params),
  "customers.create": ({ params }) => s.customers.create(params),
  "customers.retrieve": ({ id }) => s.customers.retrieve(id),
  "customers.update": ({ id, params }) => s.customers.update(id, params),
  "customers.delete": ({ id }) => s.customers.delete(id),
  "customers.list": ({ params }) => s.customers.list(params),
  "customers.listPaymentMethods": ({ id, params }) => s.paymentMethods.listOf(id, params),
  "paymentMethods.create": ({ params }) => s.paymentMethods.create(params),
  "paymentMethods.retrieve": ({ id }) => s.paymentMethods.retrieve(id),
  "paymentMethods.attach": ({ id, params }) => s.paymentMethods.attach(id, params),
  "paymentMethods.detach": ({ id }) => s.paymentMethods.detach(id)
})

/** Every client row of core's table as a raw handler for `HttpApiBuilder`, by `group.name`. */
export const make = (engine: Engine): Map<string, RawHandler> => {
  const impls = table(engine.state)
  const wrap = <K extends Api.ClientKey>(key: K): RawHandler => route(engine, key, impls[key])
  return new Map(Api.clientKeys.map((key) => [key, wrap(key)]))
}
