/**
 * Customers: the object, the deleted marker, the parameters of every customer endpoint and the
 * endpoints themselves ({@link CustomerEndpoints}, gathered into the table by `Api.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Cursor, CustomerId, Email, QueryLimit, Metadata, MetadataValue, Name, PaymentMethodId, Phone, Timestamp } from "./Fields.js"
import * as Endpoint from "./Endpoint.js"
import { opt, req } from "./internal/wire.js"
import { List } from "./List.js"

/**
 * @since 0.1.0
 * @category Schemas
 */
const CustomerSchema = Schema.Struct({
  id: CustomerId,
  object: Schema.Literal("customer"),
  email: Schema.String,
  name: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  metadata: MetadataValue,
  /** The attached `pm_…` charged by default, or null (detaching it sets null; none is promoted). */
  defaultPaymentMethod: req("default_payment_method", Schema.NullOr(PaymentMethodId)),
  created: Timestamp
}).annotations({ identifier: "Customer" })
/**
 * The wire form of a {@link Customer} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface CustomerEncoded extends Schema.Schema.Encoded<typeof CustomerSchema> {}
/**
 * @since 0.1.0
 * @category Schemas
 */
export const Customer: Schema.Schema<Customer, CustomerEncoded> = CustomerSchema
/**
 * An interface, not an alias, so that editors and error messages name it (`Effect<Customer, …>`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Customer extends Schema.Schema.Type<typeof CustomerSchema> {}


/**
 * What `DELETE /v1/customers/{id}` returns.
 *
 * @since 0.1.0
 * @category Schemas
 */
const DeletedCustomerSchema = Schema.Struct({
  id: CustomerId,
  object: Schema.Literal("customer"),
  deleted: Schema.Literal(true)
}).annotations({ identifier: "DeletedCustomer" })
/**
 * The wire form of a {@link DeletedCustomer} (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface DeletedCustomerEncoded extends Schema.Schema.Encoded<typeof DeletedCustomerSchema> {}
/**
 * @since 0.1.0
 * @category Schemas
 */
export const DeletedCustomer: Schema.Schema<DeletedCustomer, DeletedCustomerEncoded> = DeletedCustomerSchema
/**
 * An interface, not an alias, so that editors and error messages name it (`Effect<DeletedCustomer, …>`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface DeletedCustomer extends Schema.Schema.Type<typeof DeletedCustomerSchema> {}


/**
 * `POST /v1/customers`. Metadata values of `""` are not stored.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CreateCustomerParams = Schema.Struct({
  email: Email,
  name: Schema.optional(Name),
  phone: Schema.optional(Phone),
  metadata: Schema.optional(Metadata)
}).annotations({ identifier: "CreateCustomerParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type CreateCustomerParams = typeof CreateCustomerParams.Type

/**
 * `PATCH /v1/customers/{id}`. Metadata merges into the stored map; a value of `""` removes
 * the key. `name` and `phone` may be set to `null` to clear them. `default_payment_method` must
 * be a `pm_…` attached to this customer (`null` clears it).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const UpdateCustomerParams = Schema.Struct({
  email: Schema.optional(Email),
  name: Schema.optional(Schema.NullOr(Name)),
  phone: Schema.optional(Schema.NullOr(Phone)),
  metadata: Schema.optional(Metadata),
  defaultPaymentMethod: opt("default_payment_method", Schema.NullOr(PaymentMethodId))
}).annotations({ identifier: "UpdateCustomerParams" })
/**
 * @since 0.1.0
 * @category Models
 */
export type UpdateCustomerParams = typeof UpdateCustomerParams.Type

/**
 * `GET /v1/customers` query.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ListCustomersParams = Schema.Struct({
  limit: Schema.optional(QueryLimit),
  startingAfter: opt("starting_after", Cursor(CustomerId)),
  email: Schema.optional(Email)
}) // no identifier: OpenAPI renders an inlined struct as query parameters
/**
 * @since 0.1.0
 * @category Models
 */
export type ListCustomersParams = typeof ListCustomersParams.Type

/**
 * A page of customers.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const CustomerList = List(Customer).annotations({ identifier: "CustomerList" })

/**
 * The customer endpoints, keyed `group.name`.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const CustomerEndpoints = {
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
    summary: "Delete a customer; its payment methods are detached."
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
