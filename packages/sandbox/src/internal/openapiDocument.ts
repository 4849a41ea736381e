/**
 * What `OpenApi.fromApi` cannot say from the `HttpApi` alone, added to the document from core's
 * data: the headers of every operation (request parameters and response headers per status,
 * from `Headers.HEADERS`), every status an operation can answer with the known codes of each
 * (from `ErrorBody.CODES` and the row's `errors`, in an open form: clients accept codes they do
 * not know), the path id's pattern, and the optional `{}` body of a bodiless POST.
 *
 * A proxy's HTML 502 (the sandbox's `html-502` fault) is not declared: a `text/html` 502 would make
 * every generated client type every error body as `string | ErrorBody`.
 */
import * as Api from "@paymentflow/core/Api"
import { CODES, ErrorBody, statusesOf } from "@paymentflow/core/ErrorBody"
import * as Endpoint from "@paymentflow/core/Endpoint"
import type { ErrorTag } from "@paymentflow/core/Errors"
import { HEADERS } from "@paymentflow/core/Headers"
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"

type Json = Record<string, unknown>

const SCHEMAS = "#/components/schemas/"

const record = (node: unknown): Json =>
  typeof node === "object" && node !== null && !Array.isArray(node) ? Object.fromEntries(Object.entries(node)) : {}

/** The JSON Schema of `schema` (its wire side); named schemas it uses are added to `defs`. */
const jsonSchema = (schema: Schema.Schema.AnyNoContext, defs: Record<string, JSONSchema.JsonSchema7>, ref: "keep" | "skip"): Json =>
  record(JSONSchema.fromAST(schema.ast, {
    definitions: defs,
    definitionPath: SCHEMAS,
    target: "openApi3.1",
    topLevelReferenceStrategy: ref
  }))

type Header = (typeof HEADERS)[keyof typeof HEADERS]

/** Codes each status stands for, in the registry's order. */
const codesOf = (status: number): ReadonlyArray<string> =>
  Object.entries(CODES).filter(([, [s]]) => s === status).map(([code]) => code)
const typesOf = (status: number): ReadonlyArray<string> =>
  [...new Set(Object.values(CODES).filter(([s]) => s === status).map(([, type]) => type))]

/** Statuses answered before the request reaches its handler, so never stored for a replay. */
const REPLAYABLE_STATUSES: ReadonlySet<number> = new Set([200, 404, 409])

/**
 * `Api.EmptyParams` on the wire. Effect renders `Schema.Struct({})` as "any object or array"
 * (the TypeScript `{}`), but the sandbox decodes it strictly: only `{}` passes.
 */
const EMPTY_OBJECT: Json = { type: "object", properties: {}, additionalProperties: false, description: "an empty object" }

const hasBody = (e: Endpoint.Any): boolean => !Endpoint.paramsInQuery(e)

/**
 * The statuses an operation can answer: those of its own errors and of the common ones, plus
 * 400 for every operation (`version_unknown`, an unknown query parameter); 413 and 415 only
 * where a body is read.
 */
const statusesOfEndpoint = (e: Endpoint.Any): ReadonlyArray<number> => {
  const tags = new Set<ErrorTag>([...e.errors, ...Endpoint.COMMON_ERRORS, "ValidationError"])
  const statuses = new Set([...tags].flatMap((tag) => statusesOf(tag)))
  if (!hasBody(e)) {
    statuses.delete(413)
    statuses.delete(415)
  }
  return [...statuses].sort((a, b) => a - b)
}

const errorComponent = (status: number, defs: Record<string, JSONSchema.JsonSchema7>): Json => {
  const body = jsonSchema(ErrorBody, defs, "skip")
  const error = record(record(body.properties).error)
  const props = record(error.properties)
  const codes = codesOf(status)
  return {
    ...body,
    description: `${typesOf(status).join(", ")}; known codes: ${codes.join(", ")}`,
    properties: {
      error: {
        ...error,
        properties: {
          ...props,
          type: { type: "string", enum: typesOf(status) },
          // open: a code added later must not fail a client or a validator
          code: { anyOf: [{ type: "string", enum: codes }, { type: "string" }], "x-codes": codes },
          message: props.message,
          field: props.field
        }
      }
    }
  }
}

/**
 * The document `OpenApi.fromApi` derives, with the headers, statuses, codes and bodies it cannot
 * derive, taken from core's table and registries.
 */
export const enrich = <Spec extends object>(spec: Spec): Spec => {
  const doc = record(spec)
  const defs: Record<string, JSONSchema.JsonSchema7> = {}
  const headerSchema = (h: Header) => jsonSchema(h.schema, defs, "skip")
  const parameter = (h: Header): Json => ({ name: h.name, in: "header", required: false, description: h.description, schema: headerSchema(h) })
  const responseHeader = (h: Header, required: boolean): Json => ({ description: h.description, required, schema: headerSchema(h) })
  const responseHeaders = (e: Endpoint.Any, status: number): Json => ({
    [HEADERS.requestId.name]: responseHeader(HEADERS.requestId, true),
    [HEADERS.rateLimitLimit.name]: responseHeader(HEADERS.rateLimitLimit, false),
    [HEADERS.rateLimitRemaining.name]: responseHeader(HEADERS.rateLimitRemaining, false),
    [HEADERS.rateLimitReset.name]: responseHeader(HEADERS.rateLimitReset, false),
    ...(status === 429 || status === 503 ? { [HEADERS.retryAfter.name]: responseHeader(HEADERS.retryAfter, true) } : {}),
    ...(Endpoint.isIdempotent(e) && REPLAYABLE_STATUSES.has(status)
      ? { [HEADERS.idempotentReplayed.name]: responseHeader(HEADERS.idempotentReplayed, false) }
      : {})
  })

  const errorStatuses = new Set<number>()
  const paths = record(doc.paths)
  const outPaths: Json = { ...paths }
  for (const e of Api.all) {
    const path = e.path.replace(":id", "{id}")
    const method = e.method.toLowerCase()
    const item = record(outPaths[path])
    // a row the HttpApi does not serve (none today) gets no half-made operation
    if (item[method] === undefined) continue
    const op = record(item[method])
    const parameters: Array<unknown> = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => {
      const param = record(p)
      return param.in === "path" && param.name === "id" && e.id !== undefined
        ? { ...param, schema: jsonSchema(e.id, defs, "keep") }
        : p
    })
    parameters.push(parameter(HEADERS.version), parameter(HEADERS.client))
    if (Endpoint.isIdempotent(e)) parameters.push(parameter(HEADERS.idempotencyKey))
    const responses: Json = {}
    const success = record(record(op.responses)["200"])
    responses["200"] = { ...success, headers: responseHeaders(e, 200) }
    for (const status of statusesOfEndpoint(e)) {
      errorStatuses.add(status)
      responses[String(status)] = {
        description: `${typesOf(status).join(", ")}: ${codesOf(status).join(", ")}`,
        headers: responseHeaders(e, status),
        content: { "application/json": { schema: { $ref: `${SCHEMAS}Error${status}` } } }
      }
    }
    const requestBody = op.requestBody === undefined && hasBody(e)
      // a bodiless POST: the SDK sends `{}`, and no body is as good
      ? { requestBody: { required: false, content: { "application/json": { schema: EMPTY_OBJECT } } } }
      : {}
    outPaths[path] = { ...item, [method]: { ...op, parameters, ...requestBody, responses } }
  }

  const components = record(doc.components)
  const schemas: Json = { ...record(components.schemas) }
  for (const [name, schema] of Object.entries(defs)) if (!(name in schemas)) schemas[name] = schema
  for (const status of [...errorStatuses].sort((a, b) => a - b)) schemas[`Error${status}`] = errorComponent(status, defs)
  return { ...spec, paths: outPaths, components: { ...components, schemas } }
}
