/**
 * The PaymentFlow API v1 as data: the endpoint table, gathered from the rows each resource
 * module writes beside its schemas (`Payment.ts`, `Refund.ts`, `Customer.ts`, `PaymentMethod.ts`). The client
 * interprets this table on `HttpClient` and derives its types from it; the sandbox derives its
 * `HttpApi` and `openapi.json` from it (see `HttpApi.ts`, which the client never imports).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Endpoint from "./Endpoint.js"
import { clientEndpoints } from "./internal/clientRows.js"
import { SandboxEndpoints } from "./SandboxControl.js"

export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  PaymentList
} from "./Payment.js"
export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  RefundList
} from "./Refund.js"
export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  CustomerList
} from "./Customer.js"
export {
  /**
   * @since 0.1.0
   * @category Schemas
   */
  PaymentMethodList
} from "./PaymentMethod.js"

/**
 * Every endpoint, keyed `group.name`.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const endpoints = {
  ...clientEndpoints,
  ...SandboxEndpoints
} as const

/**
 * @since 0.1.0
 * @category Endpoints
 */
export type Endpoints = typeof endpoints

/**
 * Every key is its row's `group.name`: the clients name the operation from the row
 * (`pf[group][name]`) and the sandbox's handler table from the key, so a key that disagrees with
 * its row is a compile error here rather than a missing operation or a sandbox that fails to start.
 */
type KeyMismatch = {
  readonly [K in keyof Endpoints]: K extends `${Endpoints[K]["group"]}.${Endpoints[K]["name"]}` ? never : K
}[keyof Endpoints]
const keysMatchRows: [KeyMismatch] extends [never] ? true : KeyMismatch = true
void keysMatchRows

/**
 * @since 0.1.0
 * @category Endpoints
 */
export type EndpointKey = keyof Endpoints

/**
 * The rows of the user's API: every row but the sandbox's own (`surface: "sandbox"`), which the
 * sandbox serves and no client offers.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export type ClientKey = {
  readonly [K in EndpointKey]: Endpoints[K]["surface"] extends "sandbox" ? never : K
}[EndpointKey]

/**
 * Every key of the table, in the order of the rows.
 *
 * @since 0.1.0
 * @category Endpoints
 */
// The keys of an object literal written just above: exactly `EndpointKey`.
export const keys: ReadonlyArray<EndpointKey> = /*#__PURE__*/ Object.keys(endpoints) as ReadonlyArray<EndpointKey>

// The guard reads the very field `ClientKey` is computed from.
const isClientKey = (key: EndpointKey): key is ClientKey => Endpoint.isClient(endpoints[key])

/**
 * The keys of {@link ClientKey}, for code that builds a client by walking the rows.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const clientKeys: ReadonlyArray<ClientKey> = /*#__PURE__*/ keys.filter(isClientKey)

/**
 * The table as a list, for code that walks every endpoint (sandbox rows included).
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const all: ReadonlyArray<Endpoint.Any> = /*#__PURE__*/ Object.values(endpoints)

/**
 * Every row's group, once each, in the order of the rows: what the sandbox builds and serves
 * its `HttpApi` groups from, so a new resource module's rows are served without another list.
 *
 * @since 0.1.0
 * @category Endpoints
 */
export const groups: ReadonlyArray<Endpoint.Group> = /*#__PURE__*/ Array.from(new Set(all.map((e) => e.group)))

/**
 * The JSON body of `POST /v1/payments/{id}/cancel` and other bodiless POSTs: an empty object.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const EmptyParams = /*#__PURE__*/ Schema.Struct({})
