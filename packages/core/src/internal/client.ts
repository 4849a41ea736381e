/**
 * The client's interpreter of the endpoint table, gathered for `PaymentFlow.ts` (and tests): the
 * shared context (`context.ts`), one operation per row (`operation.ts`, on `request.ts`,
 * `response.ts`, `retry.ts` and the transport port) and `listAll` (`pagination.ts`).
 *
 * @internal
 */
export type { Options as ClientOptions, RequestOptions as CallOptions } from "../PaymentFlow.js"
export { BASE_URLS, type ClientContext, makeContext, parseBaseUrl } from "./context.js"
export { type AnyOperation, makeOperation } from "./operation.js"
export { makeListAll } from "./pagination.js"
export { currentMetadataCell, makeMetadataCell, type Metadata, type MetadataCell, NO_RESPONSE, readMetadata } from "./response.js"
export { LOG_MARKER } from "./operation.js"
