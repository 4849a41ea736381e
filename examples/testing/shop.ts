/**
 * The app under test in the recipes: a small `@effect/platform` HttpApi backend.
 * `POST /checkout` charges an order's card through `PaymentFlow` (the caller's `Idempotency-Key`
 * passed on, so a retried checkout charges once); `POST /webhooks` is its PaymentFlow webhook
 * receiver, which marks the order paid on `payment.succeeded`.
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import { PaymentFlow, WebhookReceiver } from "@paymentflow/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

export class CardDeclined extends Schema.TaggedError<CardDeclined>()(
  "CardDeclined",
  { orderId: Schema.String, reason: Schema.String },
  HttpApiSchema.annotations({ status: 402 })
) {}

export class CheckoutFailed extends Schema.TaggedError<CheckoutFailed>()(
  "CheckoutFailed",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 502 })
) {}

export const Order = Schema.Struct({
  orderId: Schema.String,
  paymentId: Schema.String,
  status: Schema.Literal("awaiting_payment", "paid")
})
export type Order = typeof Order.Type

export class ShopApi extends HttpApi.make("shop").add(
  HttpApiGroup.make("shop")
    .add(
      HttpApiEndpoint.post("checkout", "/checkout")
        .setPayload(Schema.Struct({ orderId: Schema.String, amount: Schema.Int, cardNumber: Schema.String }))
        .setHeaders(Schema.Struct({ "idempotency-key": Schema.optional(Schema.String) }))
        .addSuccess(Order)
        .addError(CardDeclined)
        .addError(CheckoutFailed)
    )
    .add(HttpApiEndpoint.get("order", "/orders/:orderId").setPath(Schema.Struct({ orderId: Schema.String })).addSuccess(Order))
    .add(HttpApiEndpoint.post("webhooks", "/webhooks"))
) {}

/** The app's order store. */
export class Orders extends Context.Tag("shop/Orders")<Orders, Map<string, Order>>() {
  static readonly layer = Layer.sync(Orders, () => new Map<string, Order>())
}

/** The app's webhook signing secret. */
export class WebhookSecret extends Context.Tag("shop/WebhookSecret")<WebhookSecret, Redacted.Redacted<string>>() {}

const ShopLive = HttpApiBuilder.group(ShopApi, "shop", (handlers) =>
  Effect.gen(function*() {
    const pf = yield* PaymentFlow
    const orders = yield* Orders
    const receiver = WebhookReceiver.make({
      secret: yield* WebhookSecret,
      handle: (event) =>
        Effect.sync(() => {
          if (event.type !== "payment.succeeded") return
          for (const order of orders.values()) {
            if (order.paymentId === event.data.id) orders.set(order.orderId, { ...order, status: "paid" })
          }
        })
    })
    return handlers
      .handle("checkout", ({ headers, payload }) =>
        Effect.gen(function*() {
          const key = headers["idempotency-key"]
          const options = (step: string) => (key === undefined ? undefined : { idempotencyKey: `${key}:${step}` })
          const payment = yield* pf.payments.create({ amount: payload.amount, currency: "USD", metadata: { order: payload.orderId } }, options("create"))
          const card = { number: payload.cardNumber, expMonth: 12, expYear: 2099, cvc: "123" }
          const confirmed = yield* pf.payments.confirm(payment.id, { paymentMethod: { card } }, options("confirm"))
          if (confirmed.status === "failed") {
            return yield* new CardDeclined({ orderId: payload.orderId, reason: confirmed.failureCode ?? "declined" })
          }
          const order: Order = orders.get(payload.orderId) ?? { orderId: payload.orderId, paymentId: payment.id, status: "awaiting_payment" }
          orders.set(order.orderId, order)
          return order
        }).pipe(
          Effect.catchTags({
            ValidationError: (e) => new CheckoutFailed({ message: e.message }),
            AuthenticationError: (e) => new CheckoutFailed({ message: e.message }),
            RateLimitError: (e) => new CheckoutFailed({ message: e.message }),
            NetworkError: (e) => new CheckoutFailed({ message: e.message }),
            NotFoundError: (e) => new CheckoutFailed({ message: e.message }),
            ConflictError: (e) => new CheckoutFailed({ message: e.message }),
            ApiError: (e) => new CheckoutFailed({ message: e.message })
          })
        ))
      .handle("order", ({ path }) => Effect.orDie(Effect.fromNullable(orders.get(path.orderId))))
      .handleRaw("webhooks", () => receiver)
  }))

/** The app's API layer: what `HttpApiBuilder.serve` serves in production, and `PaymentFlowTest.serveApi` in a test. */
export const ShopLayer = HttpApiBuilder.api(ShopApi).pipe(Layer.provide(ShopLive))
