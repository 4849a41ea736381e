/**
 * Every client surface is derived from the endpoint rows (`Api.endpoints`): the Effect
 * `Service`, `make`, the Promise facade. Pinned here at the type level (`tsc -p
 * tsconfig.check.json` checks the `@ts-expect-error` lines: each must be an error) and at run
 * time (what `make` and the facade build is exactly what the rows say).
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Api, PaymentFlow, PaymentFlowClient } from "@paymentflow/core"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { clientEndpoints } from "@paymentflow/core/internal/clientRows"
import * as List from "@paymentflow/core/List"
import { type ListAllName, listAllName, publishableRows, type ServiceOf } from "@paymentflow/core/PaymentFlow"
import type { PromiseService } from "@paymentflow/core/PaymentFlowClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

type Service = PaymentFlow.Service
const SK = "sk_test_abcdefghijklmnop1234"

/** What the rows say each group holds: one member per row, plus `listAll` per list row. */
const expectedMembers = (): Record<string, ReadonlyArray<string>> => {
  const out: Record<string, Array<string>> = {}
  for (const key of Api.clientKeys) {
    const row = Api.endpoints[key]
    const names = out[row.group] ??= []
    names.push(row.name)
    if (List.isList(row.success)) names.push(listAllName(row.name))
  }
  for (const names of Object.values(out)) names.sort()
  return out
}
const membersOf = (client: object): Record<string, ReadonlyArray<string>> =>
  Object.fromEntries(
    Object.entries(client).filter(([, v]) => typeof v === "object" && v !== null).map(([group, ops]) => [group, Object.keys(ops).sort()])
  )

// An HttpClient that must never be reached: the tests below only look at what was built.
const unreachable = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) => Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "unreachable" })))
)

describe("the client is derived from the rows", () => {
  it("the Service has exactly the groups and operations of the rows (types)", () => {
    expectTypeOf<Service>().not.toBeAny()
    expectTypeOf<keyof Service>().toEqualTypeOf<"payments" | "refunds" | "customers" | "paymentMethods">()
    expectTypeOf<keyof Service["payments"]>().toEqualTypeOf<"create" | "retrieve" | "list" | "listAll" | "confirm" | "cancel">()
    expectTypeOf<keyof Service["refunds"]>().toEqualTypeOf<"create" | "retrieve" | "list" | "listAll">()
    expectTypeOf<keyof Service["customers"]>().toEqualTypeOf<
      "create" | "retrieve" | "update" | "delete" | "list" | "listAll" | "listPaymentMethods" | "listAllPaymentMethods"
    >()
    expectTypeOf<keyof Service["paymentMethods"]>().toEqualTypeOf<"create" | "retrieve" | "attach" | "detach">()
    // the sandbox-only rows (`surface: "sandbox"`, `/v1/sandbox/...`) are never the user's
    expectTypeOf<Api.ClientKey>().toEqualTypeOf<Exclude<Api.EndpointKey, `sandbox.${string}`>>()
    expectTypeOf<Extract<Api.ClientKey, `sandbox.${string}`>>().toEqualTypeOf<never>()
  })

  it("the user's rows module (internal/clientRows, what the Promise client and the publishable subset read) holds exactly the rows whose surface is the client's", () => {
    const clientRows = Object.entries(clientEndpoints)
    expect(clientRows.map(([, e]) => e)).toEqual(Api.all.filter(Endpoint.isClient))
    expect(clientRows.map(([k]) => k)).toEqual(Api.clientKeys)
    for (const [key, e] of clientRows) expect(key).toBe(`${e.group}.${e.name}`)
    // the publishable rows are among them, selected by access
    expect(publishableRows).toEqual(Api.all.filter((e) => Endpoint.isClient(e) && Endpoint.allowsPublishable(e.access)))
  })

  it("a client missing a row's method is not a Service", () => {
    // The derivation is total: the Service of every row but one is not the Service.
    expectTypeOf<ServiceOf<Exclude<Api.ClientKey, "payments.cancel">>>().not.toMatchTypeOf<Service>()
    expectTypeOf<PromiseService<Exclude<Api.ClientKey, "customers.update">>>().not.toMatchTypeOf<PromiseService<Api.ClientKey>>()
    const build = (pf: Service) => {
      const { cancel: _cancel, ...payments } = pf.payments
      // @ts-expect-error payments.cancel is a row, so a client without it does not compile
      const missing: Service = { ...pf, payments }
      // @ts-expect-error customers.update is a row of the Promise client too
      const promise: PaymentFlowClient["customers"] = {
        create: null!,
        retrieve: null!,
        delete: null!,
        list: null!,
        listAll: null!,
        listPaymentMethods: null!,
        listAllPaymentMethods: null!
      }
      return [missing, promise]
    }
    expect(typeof build).toBe("function")
  })

  it("a list row gets a listAll named from its name", () => {
    expectTypeOf<ListAllName<"list">>().toEqualTypeOf<"listAll">()
    expectTypeOf<ListAllName<"listPaymentMethods">>().toEqualTypeOf<"listAllPaymentMethods">()
    // the runtime rule both clients use is the type's, name for name
    expectTypeOf(listAllName("listPaymentMethods")).toEqualTypeOf<"listAllPaymentMethods">()
    expect([listAllName("list"), listAllName("listPaymentMethods"), listAllName("search")]).toEqual([
      "listAll",
      "listAllPaymentMethods",
      "searchAll"
    ])
  })

  it("the Promise facade's ids are plain strings and its results Promises", () => {
    expectTypeOf<PaymentFlowClient>().not.toBeAny()
    expectTypeOf<Parameters<PaymentFlowClient["payments"]["retrieve"]>[0]>().toEqualTypeOf<string>()
    expectTypeOf<keyof PaymentFlowClient["customers"]>().toEqualTypeOf<keyof Service["customers"]>()
    expectTypeOf<ReturnType<PaymentFlowClient["payments"]["listAll"]>>().toMatchTypeOf<AsyncIterable<unknown>>()
    // @ts-expect-error the facade's members are Promises, not Effects
    const wrong: PaymentFlowClient["payments"]["retrieve"] = (_id: string) => Effect.die("no")
    expect(wrong).toBeDefined()
  })

  it.effect("make builds exactly one member per row and a listAll per list row", () =>
    Effect.gen(function*() {
      const pf = yield* PaymentFlow.make({ apiKey: SK })
      expect(membersOf(pf)).toEqual(expectedMembers())
    }).pipe(Effect.scoped, Effect.provide(unreachable)))

  it("the Promise facade builds the same members", async () => {
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: unreachable })
    expect(membersOf(client)).toEqual(expectedMembers())
    await client.close()
  })

  // Issue 12: `namespace PaymentFlow { type Service = import("./PaymentFlow.js").Service }` was
  // bundled into `type Service = Service` (any for users). The built declarations must name no
  // type after itself. The root `test` script builds first; a bare `vitest run` may have no dist.
  const dist = fileURLToPath(new URL("../dist/PaymentFlow.d.ts", import.meta.url))
  it.skipIf(!existsSync(dist))("the built PaymentFlow.d.ts has no self-referencing alias (skipped when dist is not built)", () => {
    const text = readFileSync(dist, "utf8")
    expect(text).toMatch(/interface Service extends/)
    expect([...text.matchAll(/\btype (\w+)(?:<[^>]*>)? = \1\s*;/g)].map((m) => m[0])).toEqual([])
  })
})
