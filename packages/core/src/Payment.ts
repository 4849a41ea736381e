/**
 * Payments: the object, its status machine, the parameters of every payment endpoint and the
 * endpoints themselves ({@link PaymentEndpoints}, gathered into the table by `Api.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  Amount,
  AmountValue,
  Currency,
  Cursor,
  CustomerId,
  Description,
  Email,
  QueryLimit,
  Metadata,
  MetadataValue,
  PaymentId,
  PaymentMethodId,
  Timestamp
} from "./Fields.js"
import * as Endpoint from "./Endpoint.js"
import { opt, req } from "./internal/wire.js"
import { List } from "./List.js"
import { PaymentMethodInput } from "./PaymentMethod.js"

/**
 * `pending` → `processing` → `succeeded` | `failed`; `pending` → `cancelled`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentStatus = Schema.Literal("pending", "processing", "succeeded", "failed", "cancelled")
/**
 * @since 0.1.0
 * @category Models
 */
export type PaymentStatus = typeof PaymentStatus.Type

/**
 * @since 0.1.0
 * @category Schemas
 */
export const FailureCode = Schema.Literal("card_declined", "insufficient_funds", "expired_card")
/**
 * @since 0.1.0
 * @category Models
 */
export type FailureCode = typeof FailureCode.Type

/**
 * A payment's client secret: `<payment id>_secret_` and 24 characters of `[A-Za-z0-9]`, fixed for
 * the payment's life. With it a publishable key may retrieve and confirm that one payment (from
 * API version `2026-12-01`). A secret: never logged or put in a span unmasked.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ClientSecret = Schema.String.pipe(
  Schema.pattern(/^pay_[A-Za-z0-9]{24}_secret_[A-Za-z0-9]{24}$/)
).annotations({ identifier: "ClientSecret" })

/**
 * A client secret as it may be shown (a log line, a span, an error): the payment id, `_secret_…`
 * and its last 4 characters, as the contract says. Anything that is not a client secret is
 * masked whole (`…`).
 *
 * @since 0.1.0
 * @category Utils
 */
export const maskClientSecret = (secret: string): string => {
  const match = /^(pay_[A-Za-z0-9]{24})_secret_([A-Za-z0-9]{20,})$/.exec(secret)
  return match === null ? "…" : `${match[1]}_secret_…${match[2]!.slice(-4)}`
}

/**
 * A payment as every response renders it: lists and webhook events render exactly this. Its
 * fields are also {@link PaymentWithSecret}'s, which adds the client secret.
 *
 * @since 0.1.0
 * @category Schemas
 */
const PaymentSchema = Schema.Struct({
  id: PaymentId,
  object: Schema.Literal("payment"),
  amount: AmountValue,
  amountRefunded: req("amount_refunded", AmountValue),
  currency: Currency,
  status: PaymentStatus,
  customer: Schema.NullOr(CustomerId),
  customerEmail: req("customer_email", Schema.NullOr(Schema.String)),
  description: Schema.NullOr(Schema.String),
  metadata: MetadataValue,
  /** The `pm_…` the payment was confirmed with (a card given inline is stored as one), or null. */
  paymentMethod: req("payment_method", Schema.NullOr(PaymentMethodId)),
  failureCode: req("failure_code", Schema.NullOr(FailureCode)),
  failureMessage: req("failure_message", Schema.NullOr(Schema.String)),
  created: Timestamp
}).annotations({ identifier: "Payment" })
/**
 * The wire form of a {@link Payment} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentEncoded extends Schema.Schema.Encoded<typeof PaymentSchema> {}
/**
 * A payment without its client secret: an item of `payments.list`, the `data` of a payment event.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Payment: Schema.Schema<Payment, PaymentEncoded> = PaymentSchema
/**
 * An interface, not an alias, so that editors and error messages name it (`Effect<Payment, …>`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Payment extends Schema.Schema.Type<typeof PaymentSchema> {}

const PaymentWithSecretSchema = Schema.Struct({
  ...PaymentSchema.fields,
  clientSecret: req("client_secret", ClientSecret)
}).annotations({ identifier: "PaymentWithSecret" })
/**
 * The wire form of a {@link PaymentWithSecret} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface PaymentWithSecretEncoded extends Schema.Schema.Encoded<typeof PaymentWithSecretSchema> {}
/**
 * A payment as a response about that one payment renders it (create, retrieve, confirm, cancel,
 * under the pinned version): {@link Payment}'s fields and its `client_secret`, which the
 * merchant's server hands to the page that confirms it.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentWithSecret: Schema.Schema<PaymentWithSecret, PaymentWithSecretEncoded> = PaymentWithSecretSchema
/**
 * @since 0.1.0
 * @category Models
 */
export interface PaymentWithSecret extends Schema.Schema.Type<typeof PaymentWithSecretSchema> {}

/**
 * `POST /v1/payments`. `customer` fills `customer_email` from the customer when it is not given.
 * `payment_method` is a card inline or a saved `pm_…`: a repeat charge of a customer's saved card
 * is one call, with `customer` and `payment_method: "pm_…"`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CreatePaymentParams = Schema.Struct({
  amount: Amount,
  currency: Currency,
  customerEmail: opt("customer_email", Email),
  customer: Schema.optional(CustomerId),
  description: Schema.optional(Description),
  metadata: Schema.optional(Metadata),
  paymentMethod: opt("payment_method", PaymentMethodInput)
}).annotations({ identifier: "CreatePaymentParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type CreatePaymentParams = typeof CreatePaymentParams.Type

/**
 * `POST /v1/payments/{id}/confirm`: a card inline or a saved `pm_…`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ConfirmPaymentParams = Schema.Struct({
  paymentMethod: req("payment_method", PaymentMethodInput)
}).annotations({ identifier: "ConfirmPaymentParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type ConfirmPaymentParams = typeof ConfirmPaymentParams.Type

/**
 * `GET /v1/payments` query.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ListPaymentsParams = Schema.Struct({
  limit: Schema.optional(QueryLimit),
  startingAfter: opt("starting_after", Cursor(PaymentId)),
  customerEmail: opt("customer_email", Email),
  customer: Schema.optional(CustomerId),
  status: Schema.optional(PaymentStatus)
}) // no identifier: OpenAPI renders an inlined struct as query parameters
/**
 * @since 0.1.0
 * @category Models
 */
export type ListPaymentsParams = typeof ListPaymentsParams.Type

/**
 * A page of payments.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentList = List(Payment).annotations({ identifier: "PaymentList" })

/**
 * The payment endpoints, keyed `group.name`: one row each, and nothing else to write for a
 * client (see `CONTRIBUTING.md`).
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const PaymentEndpoints = {
  "payments.create": Endpoint.make({
    name: "create",
    group: "payments",
    method: "POST",
    path: "/v1/payments",
    id: undefined,
    params: CreatePaymentParams,
    success: PaymentWithSecret,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    // under 2025-06-01: "publishable" (see `Versions.ts`)
    access: "secret",
    summary: "Create a payment; with a payment method it moves to processing and settles."
  }),
  "payments.retrieve": Endpoint.make({
    name: "retrieve",
    group: "payments",
    method: "GET",
    path: "/v1/payments/:id",
    id: PaymentId,
    params: undefined,
    success: PaymentWithSecret,
    errors: ["NotFoundError"],
    // from 2026-12-01 (under 2025-06-01: plain "publishable", see `Versions.ts`)
    access: { publishable: "with_client_secret" },
    summary: "Retrieve a payment."
  }),
  "payments.list": Endpoint.make({
    name: "list",
    group: "payments",
    method: "GET",
    path: "/v1/payments",
    id: undefined,
    params: ListPaymentsParams,
    success: PaymentList,
    errors: ["ValidationError"],
    access: "secret",
    summary: "List payments, newest first."
  }),
  "payments.confirm": Endpoint.make({
    name: "confirm",
    group: "payments",
    method: "POST",
    path: "/v1/payments/:id/confirm",
    id: PaymentId,
    params: ConfirmPaymentParams,
    success: PaymentWithSecret,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    // from 2026-12-01 (under 2025-06-01: plain "publishable", see `Versions.ts`)
    access: { publishable: "with_client_secret" },
    summary: "Confirm a pending payment with a payment method."
  }),
  "payments.cancel": Endpoint.make({
    name: "cancel",
    group: "payments",
    method: "POST",
    path: "/v1/payments/:id/cancel",
    id: PaymentId,
    params: undefined,
    success: PaymentWithSecret,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "secret",
    summary: "Cancel a pending payment."
  })
} as const
