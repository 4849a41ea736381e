/**
 * Errors in the user's own server: an `@effect/platform` HttpApi backend that calls the SDK
 * declares `ValidationError` in its endpoint's errors (`addError(ValidationError, { status: 400 })`)
 * and returns the SDK's error as it is; its own `HttpApiClient` decodes it back into the class
 * (`instanceof`, `_tag`, `field`). Served with `HttpApiBuilder.toWebHandler`, in process: the
 * client's `fetch` is the handler itself, so nothing leaves the process.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, it } from "@effect/vitest"
import { ApiError, PaymentFlow, ValidationError } from "@paymentflow/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Scripted from "./utils/ScriptedHttp.js"

/** A canary key for the backend's SDK client: it must not reach the backend's answers. */
const SK = "sk_test_ServerCanaryKey0123456789"

const Shop = HttpApi.make("shop").add(
  HttpApiGroup.make("orders").add(
    HttpApiEndpoint.post("checkout", "/checkout")
      .setPayload(Schema.Struct({ amount: Schema.Number }))
      .addSuccess(Schema.String)
      .addError(ValidationError, { status: 400 })
      .addError(ApiError, { status: 502 })
  )
)

const upstream = (e: { readonly message: string }) => Effect.fail(new ApiError({ code: "upstream_failed", message: e.message }))

/** The backend's handler: the SDK's own errors pass through, no mapping by hand for ValidationError. */
const OrdersLive = HttpApiBuilder.group(Shop, "orders", (handlers) =>
  handlers.handle("checkout", ({ payload }) =>
    Effect.flatMap(PaymentFlow, (pf) => pf.payments.create({ amount: payload.amount, currency: "USD" })).pipe(
      Effect.map((payment) => payment.id),
      Effect.catchTags({
        NotFoundError: upstream,
        ConflictError: upstream,
        AuthenticationError: upstream,
        RateLimitError: upstream,
        NetworkError: upstream
      })
    )))

describe("the SDK's errors in the user's own HttpApi server", () => {
  it.effect("a ValidationError from the SDK reaches the server's own client as the class", () =>
    Effect.gen(function*() {
      const sdk = Scripted.make(() => ({ status: 200, json: Scripted.paymentJson(Scripted.id("pay", 1)) }))
      const backend = HttpApiBuilder.api(Shop).pipe(
        Layer.provide(OrdersLive),
        Layer.provide(PaymentFlow.layer({ apiKey: SK }).pipe(Layer.provide(sdk.layer)))
      )
      const { dispose, handler } = HttpApiBuilder.toWebHandler(Layer.mergeAll(backend, HttpServer.layerContext))
      yield* Effect.addFinalizer(() => Effect.promise(dispose))
      const bodies: Array<string> = []
      const inProcess = Layer.succeed(FetchHttpClient.Fetch, async (input, init) => {
        const response = await handler(new Request(input, init))
        bodies.push(await response.clone().text())
        return response
      })
      const client = yield* HttpApiClient.make(Shop, { baseUrl: "http://127.0.0.1" }).pipe(
        Effect.provide(FetchHttpClient.layer.pipe(Layer.provide(inProcess)))
      )

      const error = yield* Effect.flip(client.orders.checkout({ payload: { amount: 0 } }))
      expect(error).toBeInstanceOf(ValidationError)
      if (!(error instanceof ValidationError)) throw new Error("not a ValidationError")
      expect(error._tag).toBe("ValidationError")
      expect(error.field).toBe("amount")
      expect(error.code).toBe("parameter_invalid")
      // nothing was sent by the SDK: the refusal is local, and carries no attempts
      expect(sdk.requests).toHaveLength(0)
      expect(error.attempts).toBeUndefined()

      const ok = yield* client.orders.checkout({ payload: { amount: 2500 } })
      expect(ok).toBe(Scripted.id("pay", 1))
      expect(bodies.join("\n")).not.toContain(SK)
    }).pipe(Effect.scoped))
})
