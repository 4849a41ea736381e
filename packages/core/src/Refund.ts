/**
 * Refunds: the object, the parameters of every refund endpoint and the endpoints themselves
 * ({@link RefundEndpoints}, gathered into the table by `Api.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Amount, AmountValue, Currency, Cursor, QueryLimit, Metadata, MetadataValue, PaymentId, RefundId, Timestamp } from "./Fields.js"
import * as Endpoint from "./Endpoint.js"
import { opt, req } from "./internal/wire.js"
import { List } from "./List.js"

/**
 * @since 0.1.0
 * @category Schemas
 */
export const RefundReason = Schema.Literal("customer_request", "fraudulent", "duplicate")
/**
 * @since 0.1.0
 * @category Models
 */
export type RefundReason = typeof RefundReason.Type

/**
 * `pending` → `succeeded`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const RefundStatus = Schema.Literal("pending", "succeeded")
/**
 * @since 0.1.0
 * @category Models
 */
export type RefundStatus = typeof RefundStatus.Type

/**
 * @since 0.1.0
 * @category Schemas
 */
const RefundSchema = Schema.Struct({
  id: RefundId,
  object: Schema.Literal("refund"),
  paymentId: req("payment_id", PaymentId),
  amount: AmountValue,
  currency: Currency,
  reason: Schema.NullOr(RefundReason),
  status: RefundStatus,
  metadata: MetadataValue,
  created: Timestamp
}).annotations({ identifier: "Refund" })
/**
 * The wire form of a {@link Refund} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RefundEncoded extends Schema.Schema.Encoded<typeof RefundSchema> {}
/**
 * @since 0.1.0
 * @category Schemas
 */
export const Refund: Schema.Schema<Refund, RefundEncoded> = RefundSchema
/**
 * An interface, not an alias, so that editors and error messages name it (`Effect<Refund, …>`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Refund extends Schema.Schema.Type<typeof RefundSchema> {}


/**
 * `POST /v1/refunds`. `amount` defaults to all that is left of the payment.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CreateRefundParams = Schema.Struct({
  paymentId: req("payment_id", PaymentId),
  amount: Schema.optional(Amount),
  reason: Schema.optional(RefundReason),
  metadata: Schema.optional(Metadata)
}).annotations({ identifier: "CreateRefundParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type CreateRefundParams = typeof CreateRefundParams.Type

/**
 * `GET /v1/refunds` query.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ListRefundsParams = Schema.Struct({
  limit: Schema.optional(QueryLimit),
  startingAfter: opt("starting_after", Cursor(RefundId)),
  paymentId: opt("payment_id", PaymentId)
}) // no identifier: OpenAPI renders an inlined struct as query parameters
/**
 * @since 0.1.0
 * @category Models
 */
export type ListRefundsParams = typeof ListRefundsParams.Type

/**
 * A page of refunds.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const RefundList = List(Refund).annotations({ identifier: "RefundList" })

/**
 * The refund endpoints, keyed `group.name`.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const RefundEndpoints = {
  "refunds.create": Endpoint.make({
    name: "create",
    group: "refunds",
    method: "POST",
    path: "/v1/refunds",
    id: undefined,
    params: CreateRefundParams,
    success: Refund,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "secret",
    summary: "Refund all or part of a succeeded payment."
  }),
  "refunds.retrieve": Endpoint.make({
    name: "retrieve",
    group: "refunds",
    method: "GET",
    path: "/v1/refunds/:id",
    id: RefundId,
    params: undefined,
    success: Refund,
    errors: ["NotFoundError"],
    access: "secret",
    summary: "Retrieve a refund."
  }),
  "refunds.list": Endpoint.make({
    name: "list",
    group: "refunds",
    method: "GET",
    path: "/v1/refunds",
    id: undefined,
    params: ListRefundsParams,
    success: RefundList,
    errors: ["ValidationError"],
    access: "secret",
    summary: "List refunds, newest first."
  })
} as const
