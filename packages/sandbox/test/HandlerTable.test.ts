/**
 * The handler table is complete by construction: its type is a mapped type over core's rows
 * (`Api.EndpointKey`), with each handler's parameters and result typed from its row. A row
 * without a handler, or a handler answering with another row's type, does not compile
 * (`tsconfig.check.json` type-checks this file; each `@ts-expect-error` fails the check if the
 * line below it compiles).
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Api from "@paymentflow/core/Api"
import type { Customer } from "@paymentflow/core/Customer"
import type { CreatePaymentParams, PaymentWithSecret } from "@paymentflow/core/Payment"
import * as Effect from "effect/Effect"
import type { Failure } from "../src/internal/failure.js"
import { type Handler, type HandlerTable, table } from "../src/internal/handlers.js"
import type { State } from "../src/internal/state.js"

// Never called: only type-checked.
export const compileErrors = (complete: HandlerTable, customer: Customer) => {
  // A table missing one row's handler is a compile error.
  const { "payments.cancel": _cancel, ...withoutCancel } = complete
  // @ts-expect-error Property '"payments.cancel"' is missing
  const missing: HandlerTable = withoutCancel

  // A handler must answer with its row's success type.
  // @ts-expect-error a Customer is not what payments.retrieve answers
  const wrongSuccess: HandlerTable = { ...complete, "payments.retrieve": () => Effect.succeed(customer) }

  // A handler sees its row's decoded parameters, not another row's.
  const wrongParams: HandlerTable = {
    ...complete,
    // @ts-expect-error payments.create's parameters have no `email`
    "payments.create": ({ params }) => Effect.succeed(params.email)
  }
  return [missing, wrongSuccess, wrongParams]
}

describe("the sandbox's handler table", () => {
  it("types each handler from its row", () => {
    expectTypeOf<Parameters<Handler<"payments.create">>[0]["params"]>().toEqualTypeOf<CreatePaymentParams>()
    expectTypeOf<Handler<"payments.retrieve">>().returns.toEqualTypeOf<Effect.Effect<PaymentWithSecret, Failure>>()
    expectTypeOf<keyof HandlerTable>().toEqualTypeOf<Api.ClientKey>()
  })

  it("the sandbox's table has a handler for every client row, and nothing else", () => {
    // the state is not touched until a handler runs
    const keys = Object.keys(table({} as State)).sort()
    expect(keys).toEqual([...Api.clientKeys].sort())
  })
})
