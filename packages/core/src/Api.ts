/**
 * The PaymentFlow API v1 as data: every endpoint of the contract, written once. The client
 * interprets this table on `HttpClient`; the sandbox derives its `HttpApi` and `openapi.json`
 * from it (see `HttpApi.ts`, which the client never imports).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  CreateCustomerParams,
  Customer,
  DeletedCustomer,
  ListCustomersParams,
  UpdateCustomerParams
} from "./Customer.js"
import * as Endpoint from "./Endpoint.js"
import { CustomerId, PaymentId, RefundId } from "./Fields.js"
import { List } from "./List.js"
import { ConfirmPaymentParams, CreatePaymentParams, ListPaymentsParams, Payment } from "./Payment.js"
import { CreateRefundParams, ListRefundsParams, Refund } from "./Refund.js"

/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentList = List(Payment).annotations({ identifier: "PaymentList" })
/**
 * @since 0.1.0
 * @category Schemas
 */
export const RefundList = List(Refund).annotations({ identifier: "RefundList" })
/**
 * @since 0.1.0
 * @category Schemas
 */
export const CustomerList = List(Customer).annotations({ identifier: "CustomerList" })

/**
 * Every endpoint, keyed `group.operation`.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const endpoints = {
  "payments.create": Endpoint.make({
    name: "create",
    group: "payments",
    method: "POST",
    path: "/v1/payments",
    id: undefined,
    params: CreatePaymentParams,
    success: Payment,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "publishable",
    summary: "Create a payment; with a payment method it moves to processing and settles."
  }),
  "payments.retrieve": Endpoint.make({
    name: "retrieve",
    group: "payments",
    method: "GET",
    path: "/v1/payments/:id",
    id: PaymentId,
    params: undefined,
    success: Payment,
    errors: ["NotFoundError"],
    access: "publishable",
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
    success: Payment,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "publishable",
    summary: "Confirm a pending payment with a payment method."
  }),
  "payments.cancel": Endpoint.make({
    name: "cancel",
    group: "payments",
    method: "POST",
    path: "/v1/payments/:id/cancel",
    id: PaymentId,
    params: undefined,
    success: Payment,
    errors: ["ValidationError", "NotFoundError", "ConflictError"],
    access: "secret",
    summary: "Cancel a pending payment."
  }),
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
  }),
  "customers.create": Endpoint.make({
    name: "create",
    group: "customers",
    method: "POST",
    path: "/v1/customers",
    id: undefined,
    params: CreateCustomerParams,
    success: Customer,
    errors: ["ValidationError", "ConflictError"],
    access: "secret",
    summary: "Create a customer."
  }),
  "customers.retrieve": Endpoint.make({
    name: "retrieve",
    group: "customers",
    method: "GET",
    path: "/v1/customers/:id",
    id: CustomerId,
    params: undefined,
    success: Customer,
    errors: ["NotFoundError"],
    access: "secret",
    summary: "Retrieve a customer."
  }),
  "customers.update": Endpoint.make({
    name: "update",
    group: "customers",
    method: "PATCH",
    path: "/v1/customers/:id",
    id: CustomerId,
    params: UpdateCustomerParams,
    success: Customer,
    errors: ["ValidationError", "NotFoundError"],
    access: "secret",
    summary: "Update a customer; metadata merges and a value of \"\" removes the key."
  }),
  "customers.delete": Endpoint.make({
    name: "delete",
    group: "customers",
    method: "DELETE",
    path: "/v1/customers/:id",
    id: CustomerId,
    params: undefined,
    success: DeletedCustomer,
    errors: ["NotFoundError"],
    access: "secret",
    summary: "Delete a customer."
  }),
  "customers.list": Endpoint.make({
    name: "list",
    group: "customers",
    method: "GET",
    path: "/v1/customers",
    id: undefined,
    params: ListCustomersParams,
    success: CustomerList,
    errors: ["ValidationError"],
    access: "secret",
    summary: "List customers, newest first."
  })
} as const

/**
 * @since 0.1.0
 * @category Endpoints
 */
export type Endpoints = typeof endpoints

/**
 * @since 0.1.0
 * @category Endpoints
 */
export type EndpointKey = keyof Endpoints

/**
 * The table as a list, for code that walks every endpoint.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const all: ReadonlyArray<Endpoint.Any> = Object.values(endpoints)

/**
 * The JSON body of `POST /v1/payments/{id}/cancel` and other bodiless POSTs: an empty object.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const EmptyParams = Schema.Struct({})
