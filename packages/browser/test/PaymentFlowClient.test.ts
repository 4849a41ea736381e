/**
 * The browser clients decide before sending, as core's do: an unset key is a typed failure on
 * each call (never a throw at construction), a malformed client secret is `ValidationError` field
 * `client_secret` (and never echoed), and a secret key is always refused, with core's one
 * definition of that refusal.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ApiKey } from "@paymentflow/core"
import { AuthenticationError, BrowserPaymentFlow, PaymentFlowClient, ValidationError } from "@paymentflow/browser"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"

const PK = "pk_test_browserabcdefghijkl1"
const SK = "sk_test_browserabcdefghijkl1"
const SECRET = "pay_abcdefghijklmnopqrstuvwx_secret_ABCDEFGHIJKLMNOPQRSTUVWX"
const CARD = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }
const unset: string | undefined = process.env["PAYMENTFLOW_TEST_DEFINITELY_UNSET"]

/** An `HttpClient` that records that it was asked (and never answers: nothing may be sent). */
const recording = () => {
  const sent: Array<string> = []
  const layer = Layer.succeed(HttpClient.HttpClient, HttpClient.make((request) => {
    sent.push(request.url)
    return Effect.never
  }))
  return { sent, layer }
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

describe("@paymentflow/browser before sending", () => {
  it("new PaymentFlowClient({ apiKey: undefined }) does not throw; a call rejects with api_key_missing", async () => {
    const client = new PaymentFlowClient({ apiKey: unset, baseUrl: "http://127.0.0.1:9" })
    const error: unknown = await client.payments.retrieve(SECRET).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ code: "api_key_missing" })
    await client.close()
  })

  for (const [what, malformed] of [
    ["a payment id", "pay_abcdefghijklmnopqrstuvwx"],
    ["a short secret", "pay_abcdefghijklmnopqrstuvwx_secret_tooShort1"],
    ["another object's secret", "cus_abcdefghijklmnopqrstuvwx_secret_abcdefghijklmnopqrstuvwx"]
  ] as const) {
    it.effect(`a malformed client secret (${what}) is ValidationError field client_secret, not echoed, nothing sent`, () =>
      Effect.gen(function*() {
        const http = recording()
        const exit = yield* Effect.flatMap(BrowserPaymentFlow, (pf) =>
          Effect.zip(
            Effect.flip(pf.payments.retrieve(malformed)),
            Effect.flip(pf.payments.confirm(malformed, { paymentMethod: { card: CARD } }))
          )).pipe(
            Effect.provide(BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: PK })),
            Effect.provide(http.layer),
            Effect.exit
          )
        expect(Exit.isSuccess(exit)).toBe(true)
        if (!Exit.isSuccess(exit)) return
        for (const error of exit.value) {
          expect(error).toBeInstanceOf(ValidationError)
          expect(error).toMatchObject({ field: "client_secret", code: "parameter_invalid" })
          expect(String(error)).not.toContain(malformed)
          expect(JSON.stringify(error)).not.toContain(malformed)
        }
        expect(http.sent).toHaveLength(0)
      }))
  }

  it.effect("a secret key is refused with core's refusal, even outside a browser", () =>
    Effect.gen(function*() {
      const http = recording()
      const exit = yield* Effect.flatMap(BrowserPaymentFlow, (pf) => pf.payments.retrieve(SECRET)).pipe(
        Effect.provide(BrowserPaymentFlow.layerWithoutHttpClient({ apiKey: SK })),
        Effect.provide(http.layer),
        Effect.exit
      )
      expect(failureOf(exit)).toEqual(ApiKey.refuseSecretKeyInBrowser(SK))
      expect(http.sent).toHaveLength(0)
    }))
})
