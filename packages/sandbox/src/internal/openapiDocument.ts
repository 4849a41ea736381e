/**
 * What `OpenApi.fromApi` cannot say from the `HttpApi` alone, added to the document from core's
 * data: the headers of every operation (request parameters and response headers per status,
 * from `Headers.HEADERS`), every status an operation can answer with the known codes of each
 * (from `ErrorBody.CODES` and the row's `errors`, in an open form: clients accept codes they do
 * not know), the path id's pattern, and the optional `{}` body of a bodiless POST.
 *
 * A proxy's HTML 502 (the sandbox's `html-502` fault) is not declared: a `text/html` 502 would make
 * every generated client type every error body as `string | ErrorBody`. Nor is 405
 * `method_not_allowed`: it answers only a method an operation's path does not list, so no listed
 * operation can get it (the document says so once, in `info.description`).
 *
 * One document per announced API version (`Versions.ts`): the rows are written for the newest,
 * and a version's document reads them through that version's plan — each row's access (its
 * description, whether it answers 403, whether it takes `client_secret`) and its success body as
 * the version renders it (a property the version leaves out is left out of the schema: probed
 * through the plan's `response`, so the declared change is the one place it is said).
 *
 * Sandbox-only rows (`surface: "sandbox"`, `/v1/sandbox/...`): the user's document (`audience:
 * "user"`, what `openapi.json` and `GET /openapi.json` hold) leaves them out, since no client has
 * them; the sandbox's own document (`audience: "sandbox"`) keeps them, each under the `sandbox` tag
 * and marked `x-sandbox-only: true`, so a reader cannot take one for part of the contract.
 */
import { CODES, ErrorBody, statusesOf } from "@paymentflow/core/ErrorBody"
import * as Endpoint from "@paymentflow/core/Endpoint"
import type { ErrorTag } from "@paymentflow/core/Errors"
import { API_VERSION } from "@paymentflow/core/Fields"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Versions from "@paymentflow/core/Versions"
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import { isStorable } from "./idempotency.js"
import {
  at,
  CLIENT_SECRET_SCHEMA,
  infoDescription,
  type Json,
  operationDescription,
  record,
  renderedComponent,
  SCHEMAS,
  withClientSecret
} from "./openapiVersion.js"

export { infoDescription, operationDescription }


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


/**
 * `Api.EmptyParams` on the wire. Effect renders `Schema.Struct({})` as "any object or array"
 * (the TypeScript `{}`), but the sandbox decodes it strictly: only `{}` passes.
 */
const EMPTY_OBJECT: Json = { type: "object", properties: {}, additionalProperties: false, description: "an empty object" }

const hasBody = (e: Endpoint.Any): boolean => !Endpoint.paramsInQuery(e)

/**
 * The error statuses an operation can answer: those of its own errors and of the common ones,
 * plus 400 for every operation (`version_unknown`, an unknown query parameter); 413 and 415 only
 * where a body is read; 403 only where a publishable key is refused (`auth.ts` answers
 * `permission_denied` for a `pk_` key on a row whose access does not admit one, and for nothing
 * else); never 405 (see the module comment).
 */
export const statusesOfEndpoint = (e: Endpoint.Any): ReadonlyArray<number> => {
  const tags = new Set<ErrorTag>([...e.errors, ...Endpoint.COMMON_ERRORS, "ValidationError"])
  const statuses = new Set([...tags].flatMap((tag) => statusesOf(tag)))
  statuses.delete(405)
  if (Endpoint.allowsPublishable(e.access)) statuses.delete(403)
  if (!hasBody(e)) {
    statuses.delete(413)
    statuses.delete(415)
  }
  return [...statuses].sort((a, b) => a - b)
}

/**
 * The statuses a replay of an idempotent operation can carry: a replay answers with a stored
 * response, and what is stored is the handler's answer when `isStorable` holds for it. The handler
 * answers 200 or a failure of the row's own error classes; the guard's answers (401, 403, 413, 415,
 * 429: the common classes, and a body refused before the handler) never reach the store, and a
 * `ValidationError` of the handler is a 400, which is not stored.
 */
const replayStatuses = (e: Endpoint.Any): ReadonlySet<number> =>
  new Set(
    Endpoint.isIdempotent(e)
      ? [200, ...e.errors.filter((tag) => tag !== "ValidationError").flatMap((tag) => statusesOf(tag))].filter(isStorable)
      : []
  )

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

const SANDBOX_TAG = "Sandbox-only control endpoints (`x-sandbox-only`): served by the sandbox, not part of the PaymentFlow API"

/** Who a document is for: the user (client rows only) or the sandbox's own reader (every row). */
export type Audience = "user" | "sandbox"

/**
 * The document `OpenApi.fromApi` derives from an `HttpApi` built from `rows`, with the headers,
 * statuses, codes and bodies it cannot derive, taken from core's table and registries; for the
 * `"user"` audience without the sandbox-only rows.
 */
export const enrich = <Spec extends object>(
  spec: Spec,
  rows: ReadonlyArray<Endpoint.Any>,
  audience: Audience,
  registry: Versions.Registry = Versions.registry,
  version: string = API_VERSION
): Spec => {
  const plan = Versions.plan(registry, version)
  if (plan === undefined) throw new Error(`No API version ${version}; announced: ${Versions.supported(registry).join(", ")}`)
  if (plan.request !== undefined) {
    throw new Error(`API version ${version} changes requests, which its OpenAPI document cannot state yet`)
  }
  const doc = record(spec)
  const components = record(doc.components)
  const schemas: Json = { ...record(components.schemas) }
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
    ...(replayStatuses(e).has(status)
      ? { [HEADERS.idempotentReplayed.name]: responseHeader(HEADERS.idempotentReplayed, false) }
      : {})
  })

  const errorStatuses = new Set<number>()
  const paths = record(doc.paths)
  const outPaths: Json = { ...paths }
  for (const row of rows) {
    const key = `${row.group}.${row.name}`
    // the row as this version reads it
    const e: Endpoint.Any = { ...row, access: plan.access(key, row.access) }
    const path = e.path.replace(":id", "{id}")
    const method = e.method.toLowerCase()
    const item = record(outPaths[path])
    // a row the HttpApi does not serve (none today) gets no half-made operation
    if (item[method] === undefined) continue
    if (!Endpoint.isClient(e) && audience === "user") {
      const { [method]: _sandboxOnly, ...rest } = item
      if (Object.keys(rest).length === 0) delete outPaths[path]
      else outPaths[path] = rest
      continue
    }
    const op = record(item[method])
    const parameters: Array<unknown> = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => {
      const param = record(p)
      return param.in === "path" && param.name === "id" && e.id !== undefined
        ? { ...param, schema: jsonSchema(e.id, defs, "keep") }
        : p
    })
    const secretInQuery = Endpoint.takesClientSecret(e.access) && !hasBody(e)
    if (secretInQuery) {
      parameters.push({ name: Endpoint.CLIENT_SECRET_PARAMETER, in: "query", required: false, schema: CLIENT_SECRET_SCHEMA })
    }
    parameters.push(parameter(HEADERS.version), parameter(HEADERS.client))
    if (Endpoint.isIdempotent(e)) parameters.push(parameter(HEADERS.idempotencyKey))
    const responses: Json = {}
    const success = record(record(op.responses)["200"])
    const successSchema = record(at(success, ["content", "application/json", "schema"]))
    const successRef = typeof successSchema.$ref === "string" && successSchema.$ref.startsWith(SCHEMAS) ? successSchema.$ref.slice(SCHEMAS.length) : undefined
    const rendered = successRef === undefined ? undefined : renderedComponent(schemas, successRef, key, plan)
    responses["200"] = {
      ...success,
      ...(rendered === undefined || rendered === successRef
        ? {}
        : { description: rendered, content: { "application/json": { schema: { $ref: `${SCHEMAS}${rendered}` } } } }),
      headers: responseHeaders(e, 200)
    }
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
      : Endpoint.takesClientSecret(e.access) && hasBody(e)
      ? { requestBody: withClientSecret(record(op.requestBody), schemas) }
      : {}
    const sandboxOnly = Endpoint.isClient(e) ? {} : { tags: ["sandbox"], "x-sandbox-only": true }
    outPaths[path] = {
      ...item,
      [method]: { ...op, description: operationDescription(e, e.access), ...sandboxOnly, parameters, ...requestBody, responses }
    }
  }

  for (const [name, schema] of Object.entries(defs)) if (!(name in schemas)) schemas[name] = schema
  for (const status of [...errorStatuses].sort((a, b) => a - b)) schemas[`Error${status}`] = errorComponent(status, defs)
  const sandboxTag = audience === "sandbox" && rows.some((e) => !Endpoint.isClient(e))
    ? { tags: [...(Array.isArray(doc.tags) ? doc.tags : []), { name: "sandbox", description: SANDBOX_TAG }] }
    : {}
  // each document keeps only the schemas its operations reach: a left-out sandbox row's are not in
  // the user's, and a component a version renders as another (`PaymentWithSecret` under
  // 2025-06-01) is in neither
  const kept = reachable(outPaths, schemas)
  const info = { ...record(doc.info), version, description: infoDescription(version) }
  return { ...spec, ...sandboxTag, info, paths: outPaths, components: { ...components, schemas: kept } }
}

/** The schemas `root` refers to, directly or through other schemas. */
const reachable = (root: unknown, schemas: Json): Json => {
  const seen = new Set<string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node !== "object" || node === null) return
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(SCHEMAS)) {
        const name = value.slice(SCHEMAS.length)
        if (!seen.has(name)) {
          seen.add(name)
          visit(schemas[name])
        }
      } else visit(value)
    }
  }
  visit(root)
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => seen.has(name)))
}
