/**
 * The PaymentFlow API as an `@effect/platform` `HttpApi`, derived from the endpoint table in
 * `Api.ts`. The sandbox serves it with `HttpApiBuilder`, and `openapi.json` is generated from
 * it with `OpenApi.fromApi`.
 *
 * The client never imports this module: `HttpApiEndpoint` pulls the server router into a
 * browser bundle (measured: 102 KB vs 87 KB gzip), so the client interprets `Api.ts` directly.
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import * as Api from "@paymentflow/core/Api"
import { BASE_URLS } from "@paymentflow/core/ApiKey"
import { ErrorBody } from "@paymentflow/core/ErrorBody"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { API_VERSION } from "@paymentflow/core/Fields"
import * as Versions from "@paymentflow/core/Versions"
import { type Audience, enrich, infoDescription, operationDescription, statusesOfEndpoint } from "./internal/openapiDocument.js"


const errorBodies = new Map<number, Schema.Schema<ErrorBody, ErrorBody>>()
const errorBody = (status: number) => {
  let schema = errorBodies.get(status)
  if (schema === undefined) {
    schema = ErrorBody.annotations({ identifier: `Error${status}` })
    errorBodies.set(status, schema)
  }
  return schema
}

/**
 * The path parameter as the server reads it: whatever string was sent. A malformed id is not a decoding
 * failure but an unknown object (404 `resource_missing`), as a careful API answers.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const PathId = Schema.Struct({ id: Schema.String })

/**
 * One table row as an `HttpApiEndpoint`.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const toHttpApiEndpoint = (e: Endpoint.Any): HttpApiEndpoint.HttpApiEndpoint.AnyWithProps => {
  // The endpoint is built from a runtime row, so its name, path and schemas are known only as the
  // wide `AnyWithProps`; HttpApi's builders track them in type parameters we cannot supply here.
  let endpoint = HttpApiEndpoint.make(e.method)(
    e.name,
    e.path as HttpApiEndpoint.PathSegment
  ) as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps
  if (e.id !== undefined) endpoint = endpoint.setPath(PathId)
  if (e.params !== undefined) endpoint = endpoint.setPayload(e.params)
  endpoint = endpoint.addSuccess(e.success)
  // the statuses the document declares (one rule, in openapiDocument.ts)
  for (const status of statusesOfEndpoint(e)) endpoint = endpoint.addError(errorBody(status), { status })
  return endpoint
    .annotate(OpenApi.Summary, e.summary)
    .annotate(OpenApi.Description, operationDescription(e, e.access))
}

/**
 * Removes what `HttpApi` adds but the server never sends or the spec forbids: the
 * `HttpApiDecodeError` body (the sandbox answers every decoding failure with `ErrorBody`), the
 * per-operation `security: []` (which would override the document's bearer requirement), and
 * characters not allowed in component names (`Cursor(PaymentId)` → `Cursor_PaymentId`).
 */
const DECODE_ERROR_SCHEMAS = new Set(["HttpApiDecodeError", "Issue", "PropertyKey"])
const componentName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/_+$/, "")
const DECODE_ERROR_REF = "#/components/schemas/HttpApiDecodeError"
const isDecodeErrorRef = (v: unknown): boolean => typeof v === "object" && v !== null && "$ref" in v && v.$ref === DECODE_ERROR_REF
const tidyNode = (node: unknown, errorBody: unknown): unknown => {
  if (Array.isArray(node)) return node.map((n) => tidyNode(n, errorBody))
  if (typeof node !== "object" || node === null) return node
  if (isDecodeErrorRef(node)) return errorBody
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === "description" && value === "The request did not match the expected schema") {
      out[key] = "Error"
    } else if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
      out[key] = `#/components/schemas/${componentName(value.slice("#/components/schemas/".length))}`
    } else if (key === "anyOf" && Array.isArray(value)) {
      const kept = value.filter((v) => !isDecodeErrorRef(v)).map((v) => tidyNode(v, errorBody))
      if (kept.length === 1 && typeof kept[0] === "object" && kept[0] !== null) Object.assign(out, kept[0])
      else out[key] = kept
    } else if (key === "security" && Array.isArray(value) && value.length === 0) {
      continue
    } else {
      out[key] = tidyNode(value, errorBody)
    }
  }
  return out
}
const record = (node: unknown): Record<string, unknown> =>
  typeof node === "object" && node !== null ? Object.fromEntries(Object.entries(node)) : {}
const at = (node: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((current, key) => record(current)[key], node)
const tidy = (spec: Record<string, unknown>): Record<string, unknown> => {
  // every operation documents 401 with ErrorBody: a 400 that only had the decode error gets it too
  const errorBody = Object.values(record(spec.paths)).flatMap((item) => Object.values(record(item)))
    .map((op) => at(op, ["responses", "401", "content", "application/json", "schema"]))
    .find((schema) => schema !== undefined)
  const components = record(spec.components)
  const schemas: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(record(components.schemas))) {
    if (!DECODE_ERROR_SCHEMAS.has(name)) schemas[componentName(name)] = tidyNode(schema, errorBody)
  }
  return { ...spec, paths: tidyNode(spec.paths, errorBody), components: { ...components, schemas } }
}

/**
 * The whole API, derived from the table.
 *
 * @since 0.1.0
 * @category Api
 */
// Built by folding over the table, so the groups and the API are typed by the wide endpoint type
// (see `toHttpApiEndpoint`); the casts widen the empty starting values to that type.
export const api: HttpApi.HttpApi<"PaymentFlow", HttpApiGroup.HttpApiGroup<Endpoint.Group, HttpApiEndpoint.HttpApiEndpoint.AnyWithProps>> = Api.groups.reduce(
  (acc, name) =>
    acc.add(
      Api.all.filter((e) => e.group === name).reduce(
        (group, e) => group.add(toHttpApiEndpoint(e)),
        HttpApiGroup.make(name) as unknown as HttpApiGroup.HttpApiGroup<typeof name, HttpApiEndpoint.HttpApiEndpoint.AnyWithProps>
      )
    ),
  HttpApi.make("PaymentFlow") as unknown as HttpApi.HttpApi<"PaymentFlow", HttpApiGroup.HttpApiGroup<Endpoint.Group, HttpApiEndpoint.HttpApiEndpoint.AnyWithProps>>
).annotate(OpenApi.Title, "PaymentFlow API")
  .annotate(OpenApi.Version, API_VERSION)
  .annotate(OpenApi.Description, infoDescription(API_VERSION))
  .annotate(OpenApi.Servers, [
    { url: BASE_URLS.production, description: "production" },
    { url: BASE_URLS.sandbox, description: "sandbox" }
  ])
  .annotate(OpenApi.Transform, (spec) => {
    const tidied = tidy(spec)
    return {
      ...tidied,
      components: {
        ...record(tidied.components),
        securitySchemes: { ...record(record(tidied.components).securitySchemes), apiKey: { type: "http", scheme: "bearer" } }
      },
      security: [{ apiKey: [] }]
    }
  })

/**
 * The OpenAPI 3.1 document of the user's API (client rows only; the sandbox serves it at
 * `GET /openapi.json`) at an announced version (default: the SDK's pin): the rows read through the
 * version's plan (`Versions.ts`) — who may call each operation, and its success body as the
 * version renders it.
 *
 * @since 0.1.0
 * @category Api
 */
export const openApi = (version: string = API_VERSION): OpenApi.OpenAPISpec =>
  documentOf(api, Api.all, "user", Versions.registry, version)

/**
 * The OpenAPI documents a release carries, one per announced version: `openapi.json` for the
 * SDK's pinned version, `openapi-<version>.json` for each other one (`pnpm openapi` writes them).
 *
 * @since 0.1.0
 * @category Api
 */
export const openApiFiles = (): ReadonlyArray<{ readonly file: string; readonly version: string }> =>
  Versions.supported(Versions.registry).map((version) => ({
    file: version === API_VERSION ? "openapi.json" : `openapi-${version}.json`,
    version
  }))

/**
 * The OpenAPI document of the whole sandbox at an announced version (default: the SDK's pin):
 * {@link openApi} plus the sandbox-only rows, each under the `sandbox` tag and marked
 * `x-sandbox-only: true`. What `openapi.json` and `openapi-<version>.json` hold ({@link openApiFiles}).
 *
 * @since 0.1.0
 * @category Api
 */
export const sandboxOpenApi = (version: string = API_VERSION): OpenApi.OpenAPISpec =>
  documentOf(api, Api.all, "sandbox", Versions.registry, version)

/**
 * The document of an `HttpApi` built (with {@link toHttpApiEndpoint}) from `rows`: for the
 * `"user"` audience only the client rows (`Endpoint.isClient`); the sandbox serves every row, but
 * a user's document and generated client must not offer a `/v1/sandbox/...` control endpoint.
 *
 * @since 0.1.0
 * @category Api
 */
export const documentOf = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  httpApi: HttpApi.HttpApi<Id, Groups, E, R>,
  rows: ReadonlyArray<Endpoint.Any>,
  audience: Audience,
  registry: Versions.Registry = Versions.registry,
  version: string = API_VERSION
): OpenApi.OpenAPISpec => enrich(OpenApi.fromApi(httpApi), rows, audience, registry, version)
