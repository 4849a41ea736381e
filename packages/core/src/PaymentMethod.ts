/**
 * Saved payment methods: the object (a card's brand, last 4 digits and expiry — never its number
 * or CVC), the parameters of every payment-method endpoint and the endpoints themselves
 * ({@link PaymentMethodEndpoints}, gathered into the table by `Api.ts`), and
 * {@link PaymentMethodInput}, what a payment's `payment_method` takes: a card inline or a `pm_…` id.
 *
 * The life of a payment method (the contract's "Saved payment methods"): created unattached; an
 * unattached one can be used by one payment, after which it can be neither used again nor
 * attached; attached to a customer it can be used any number of times, for that customer's
 * payments only (the first one attached to a customer without a default becomes its default);
 * detached, it can never be used or attached again.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { PaymentMethodParams } from "./Card.js"
import { Cursor, CustomerId, PaymentMethodId, QueryLimit, Timestamp } from "./Fields.js"
import * as Endpoint from "./Endpoint.js"
import { opt, req } from "./internal/wire.js"
import { List } from "./List.js"

/**
 * @since 0.1.0
 * @category Schemas
 */
export const CardBrand = Schema.Literal("visa", "mastercard", "amex", "unknown")
/**
 * @since 0.1.0
 * @category Models
 */
export type CardBrand = typeof CardBrand.Type

/**
 * A card number's brand, as the contract says: `visa` (starts with 4), `mastercard` (51–55,
 * 2221–2720), `amex` (34, 37), else `unknown`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const brandOf = (number: string): CardBrand => {
  if (number.startsWith("4")) return "visa"
  const two = Number(number.slice(0, 2))
  const four = Number(number.slice(0, 4))
  if (two >= 51 && two <= 55) return "mastercard"
  if (four >= 2221 && four <= 2720) return "mastercard"
  if (two === 34 || two === 37) return "amex"
  return "unknown"
}

/**
 * What a saved payment method tells of its card: brand, last 4 digits and expiry.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethodCard = Schema.Struct({
  brand: CardBrand,
  last4: Schema.String.pipe(Schema.pattern(/^\d{4}$/)),
  expMonth: req("exp_month", Schema.Int),
  expYear: req("exp_year", Schema.Int)
}).annotations({ identifier: "PaymentMethodCard" })

const PaymentMethodSchema = Schema.Struct({
  id: PaymentMethodId,
  object: Schema.Literal("payment_method"),
  type: Schema.Literal("card"),
  card: PaymentMethodCard,
  /** The customer it is attached to, or null (never attached, or detached). */
  customer: Schema.NullOr(CustomerId),
  created: Timestamp
}).annotations({ identifier: "PaymentMethod" })
/**
 * The wire form of a {@link PaymentMethod} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentMethodEncoded extends Schema.Schema.Encoded<typeof PaymentMethodSchema> {}
/**
 * A saved card: `pm_…`, its brand, last 4 digits and expiry, and the customer it is attached to.
 * The full number and the CVC are never stored or returned.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethod: Schema.Schema<PaymentMethod, PaymentMethodEncoded> = PaymentMethodSchema
/**
 * An interface, not an alias, so that editors and error messages name it (`Effect<PaymentMethod, …>`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentMethod extends Schema.Schema.Type<typeof PaymentMethodSchema> {}

/**
 * A payment's `payment_method` (`POST /v1/payments`, `POST /v1/payments/{id}/confirm`): card
 * details inline (`{"card": {...}}`, stored by the server as a new, unattached, used payment
 * method) or the id of a saved one (`"pm_…"`).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethodInput = Schema.Union(PaymentMethodParams, PaymentMethodId).annotations({ identifier: "PaymentMethodInput" })
/**
 * @since 0.1.0
 * @category Models
 */
export type PaymentMethodInput = typeof PaymentMethodInput.Type

/**
 * `POST /v1/payment_methods/{id}/attach`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const AttachPaymentMethodParams = Schema.Struct({
  customer: CustomerId
}).annotations({ identifier: "AttachPaymentMethodParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type AttachPaymentMethodParams = typeof AttachPaymentMethodParams.Type

/**
 * `GET /v1/customers/{id}/payment_methods` query.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ListCustomerPaymentMethodsParams = Schema.Struct({
  limit: Schema.optional(QueryLimit),
  startingAfter: opt("starting_after", Cursor(PaymentMethodId))
}) // no identifier: OpenAPI renders an inlined struct as query parameters
/**
 * @since 0.1.0
 * @category Models
 */
export type ListCustomerPaymentMethodsParams = typeof ListCustomerPaymentMethodsParams.Type

/**
 * A page of payment methods.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethodList = List(PaymentMethod).annotations({ identifier: "PaymentMethodList" })

/**
 * The payment-method endpoints, keyed `group.name` (the customer's list is in the `customers`
 * group: `pf.customers.listPaymentMethods`).
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const PaymentMethodEndpoints = {
  "paymentMethods.create": Endpoint.make({
    name: "create",
    group: "paymentMethods",
    method: "POST",
    path: "/v1/payment_methods",
    id: undefined,
    // the same card details a payment takes inline
    params: PaymentMethodParams,
    success: PaymentMethod,
    errors: ["ValidationError", "ConflictError"],
    // under every version: the browser tokenizes, so the merchant's server never sees the number
    access: "publishable",
    summary: "Turn card details into an unattached payment method (the number and CVC are not kept)."
  }),
  "paymentMethods.retrieve": Endpoint.make({
    name: "retrieve",
    group: "paymentMethods",
    method: "GET",
    path: "/v1/payment_methods/:id",
    id: PaymentMethodId,
    params: undefined,
    success: PaymentMethod,
    errors: ["NotFoundError"],
    access: "secret",
    summary: "Retrieve a payment method."
  }),
  "paymentMethods.attach": Endpoint.make({
    name: "attach",
    group: "paymentMethods",
    method: "POST",
    path: "/v1/payment_methods/:id/attach",
    id: PaymentMethodId,
    params: AttachPaymentMethodParams,
    success: PaymentMethod,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "secret",
    summary: "Attach a payment method to a customer (its default if it has none); again to the same customer, unchanged."
  }),
  "paymentMethods.detach": Endpoint.make({
    name: "detach",
    group: "paymentMethods",
    method: "POST",
    path: "/v1/payment_methods/:id/detach",
    id: PaymentMethodId,
    params: undefined,
    success: PaymentMethod,
    errors: ["NotFoundError", "ConflictError"],
    access: "secret",
    summary: "Detach a payment method from its customer; it can never be used again."
  }),
  "customers.listPaymentMethods": Endpoint.make({
    name: "listPaymentMethods",
    group: "customers",
    method: "GET",
    path: "/v1/customers/:id/payment_methods",
    id: CustomerId,
    params: ListCustomerPaymentMethodsParams,
    success: PaymentMethodList,
    errors: ["ValidationError", "NotFoundError"],
    access: "secret",
    summary: "List a customer's attached payment methods, newest first."
  })
} as const
