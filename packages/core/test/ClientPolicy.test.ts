/**
 * What every client decides before sending anything: a missing key (an unset environment
 * variable) is a typed failure on each call, never a throw at construction; a secret key is
 * refused in a browser unless `dangerouslyAllowBrowser`; a malformed id is `ValidationError`
 * field `id` from the Effect service and the Promise client alike.
 */
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { Api, ApiKey, AuthenticationError, NotFoundError, PaymentFlow, PaymentFlowClient, PaymentId, ValidationError } from "@paymentflow/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scripted from "./utils/ScriptedHttp.js"

const SK = "sk_test_abcdefghijklmnop1234"
const PK = "pk_test_abcdefghijklmnop1234"
const payId = Scripted.id("pay", 1)
const ok = () => ({ status: 200, json: Scripted.paymentJson(payId) })

type Untyped = (...args: ReadonlyArray<unknown>) => unknown
/** A member of a client by row, called with loose arguments (as JavaScript callers do). */
const member = (client: object, key: Api.ClientKey): Untyped => {
  const row = Api.endpoints[key]
  const groups = client as Record<string, Record<string, Untyped>>
  const fn = groups[row.group]?.[row.name]
  if (fn === undefined) throw new Error(`no member for ${key}`)
  return fn
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

const unset: string | undefined = process.env["PAYMENTFLOW_TEST_DEFINITELY_UNSET"]

describe("a missing key", () => {
  it("ApiKey.value and maskApiKey take undefined and a wiped Redacted without throwing", () => {
    const wiped = Redacted.make(SK)
    Redacted.unsafeWipe(wiped)
    expect(ApiKey.value(undefined)).toBe("")
    expect(ApiKey.value(wiped)).toBe("")
    expect(ApiKey.maskApiKey(undefined)).toBe("***")
    expect(ApiKey.maskApiKey(wiped)).toBe("***")
  })

  it("new PaymentFlowClient({ apiKey: process.env.X }) with X unset does not throw; each call rejects with api_key_missing, nothing sent", async () => {
    const wiped = Redacted.make(SK)
    Redacted.unsafeWipe(wiped)
    for (const apiKey of [unset, wiped, ""]) {
      const http = Scripted.make(ok)
      const client = new PaymentFlowClient({ apiKey, httpClient: http.layer })
      expect(String(client)).toBe("PaymentFlowClient(***)")
      const error: unknown = await client.payments.create({ amount: 2500, currency: "USD" }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ code: "api_key_missing" })
      expect(http.requests).toHaveLength(0)
      await client.close()
    }
  })

  it.effect("PaymentFlow.layer({ apiKey: undefined }) builds; each call fails with api_key_missing, nothing sent", () =>
    Effect.gen(function*() {
      const http = Scripted.make(ok)
      const exit = yield* Effect.exit(
        Effect.flatMap(PaymentFlow, (pf) => pf.payments.retrieve(PaymentId.make(payId))).pipe(
          Effect.provide(PaymentFlow.layer({ apiKey: undefined })),
          Effect.provide(http.layer)
        )
      )
      expect(failureOf(exit)).toMatchObject({ _tag: "AuthenticationError", code: "api_key_missing" })
      expect(http.requests).toHaveLength(0)
    }))
})

describe("a secret key in a browser (window and document defined)", () => {
  const g: Record<string, unknown> = globalThis
  beforeEach(() => {
    g["window"] = globalThis
    g["document"] = {}
  })
  afterEach(() => {
    delete g["window"]
    delete g["document"]
  })

  it.effect("the Effect service refuses it with secret_key_in_browser before any request", () =>
    Effect.gen(function*() {
      const http = Scripted.make(ok)
      const exit = yield* PaymentFlow.make({ apiKey: Redacted.make(SK) }).pipe(
        Effect.flatMap((pf) => Effect.exit(pf.payments.create({ amount: 2500, currency: "USD" }))),
        Effect.scoped,
        Effect.provide(http.layer)
      )
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error).toMatchObject({ code: "secret_key_in_browser" })
      // the key is not echoed, even masked
      expect(error?.message).not.toContain("sk_test")
      expect(http.requests).toHaveLength(0)
    }))

  it("the Promise client refuses it too; a publishable key goes through", async () => {
    const http = Scripted.make(ok)
    const secret = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    await expect(secret.payments.retrieve(payId)).rejects.toMatchObject({ _tag: "AuthenticationError", code: "secret_key_in_browser" })
    expect(http.requests).toHaveLength(0)
    const publishable = new PaymentFlowClient({ apiKey: PK, httpClient: http.layer })
    await publishable.payments.retrieve(payId)
    expect(http.requests).toHaveLength(1)
    await Promise.all([secret.close(), publishable.close()])
  })

  it("dangerouslyAllowBrowser: true lets a secret key through (jsdom, happy-dom tests)", async () => {
    const http = Scripted.make(ok)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer, dangerouslyAllowBrowser: true })
    const payment = await client.payments.retrieve(payId)
    expect(payment.id).toBe(payId)
    expect(http.requests[0]?.headers["authorization"]).toBe(`Bearer ${SK}`)
    await client.close()
  })

  it("only window and document together mean a browser (a worker or a server with one global is not refused)", async () => {
    delete g["document"]
    const http = Scripted.make(ok)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    await client.payments.retrieve(payId)
    expect(http.requests).toHaveLength(1)
    await client.close()
  })
})

describe("a malformed id", () => {
  const rowsWithId = Api.clientKeys.filter((key) => Api.endpoints[key].id !== undefined)

  it("there are rows with an id whose own errors lack ValidationError (retrieve, delete)", () => {
    expect(rowsWithId.filter((key) => !Api.endpoints[key].errors.some((t: string) => t === "ValidationError")).length)
      .toBeGreaterThan(0)
  })

  it.effect.each(rowsWithId)("%s: the Effect service fails with ValidationError field id, no status, nothing sent", (key) =>
    Effect.gen(function*() {
      const http = Scripted.make(ok)
      const exit = yield* PaymentFlow.make({ apiKey: SK }).pipe(
        Effect.flatMap((pf) => Effect.exit(member(pf, key)("pay_nope", {}) as Effect.Effect<unknown, unknown>)),
        Effect.scoped,
        Effect.provide(http.layer)
      )
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).not.toBeInstanceOf(NotFoundError)
      expect(error).toMatchObject({ field: "id", code: "parameter_invalid" })
      expect(error).not.toHaveProperty("statusCode", expect.anything())
      expect(http.requests).toHaveLength(0)
    }))

  it.each(rowsWithId)("%s: the Promise client rejects with the same error", async (key) => {
    const http = Scripted.make(ok)
    const client = new PaymentFlowClient({ apiKey: SK, httpClient: http.layer })
    const error: unknown = await (member(client, key)("pay_nope", {}) as Promise<unknown>).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field: "id", code: "parameter_invalid" })
    expect(http.requests).toHaveLength(0)
    await client.close()
  })
})
