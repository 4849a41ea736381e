/**
 * How one API version's OpenAPI document reads the rows (`openapiDocument.ts` builds it): who may
 * call an operation under the version (its description), the `client_secret` parameter of an
 * operation whose access asks for it, and a row's success body as the version renders it.
 */
import * as Endpoint from "@paymentflow/core/Endpoint"
import { HEADERS } from "@paymentflow/core/Headers"
import type * as Versions from "@paymentflow/core/Versions"

export type Json = Record<string, unknown>

export const SCHEMAS = "#/components/schemas/"

export const record = (node: unknown): Json =>
  typeof node === "object" && node !== null && !Array.isArray(node) ? Object.fromEntries(Object.entries(node)) : {}

export const at = (node: unknown, path: ReadonlyArray<string>): unknown => path.reduce<unknown>((current, key) => record(current)[key], node)

/**
 * A request body that also takes `client_secret`: the body's schema (its component, inlined)
 * with the property added, not required (a secret key need not send it).
 */
export const withClientSecret = (requestBody: Json, schemas: Json): Json => {
  const schema = record(at(requestBody, ["content", "application/json", "schema"]))
  const ref = typeof schema.$ref === "string" && schema.$ref.startsWith(SCHEMAS) ? schema.$ref.slice(SCHEMAS.length) : undefined
  const body = ref === undefined ? schema : record(schemas[ref])
  return {
    ...requestBody,
    content: {
      "application/json": {
        schema: { ...body, properties: { ...record(body.properties), [Endpoint.CLIENT_SECRET_PARAMETER]: CLIENT_SECRET_SCHEMA } }
      }
    }
  }
}

/**
 * Who may call an operation with `access`, for its description.
 */
const accessText = (access: Endpoint.Access): string =>
  !Endpoint.allowsPublishable(access)
    ? "Secret (sk_) key only."
    : Endpoint.takesClientSecret(access)
    ? `Secret (sk_) key, or a publishable (pk_) key with the payment's \`${Endpoint.CLIENT_SECRET_PARAMETER}\`.`
    : "Publishable (pk_) or secret (sk_) key."

/** An operation's description under a version's `access` for it. */
export const operationDescription = (e: Endpoint.Any, access: Endpoint.Access): string =>
  `${accessText(access)}${Endpoint.isIdempotent(e) ? ` Accepts an ${HEADERS.idempotencyKey.name} header.` : ""}`

/** The document's `info.description` for a version. */
export const infoDescription = (version: string): string =>
  `Every request carries \`Authorization: Bearer <api key>\` and \`${HEADERS.version.name}: ${version}\`. ` +
  `Responses carry \`${HEADERS.requestId.name}\` and \`RateLimit-*\` headers; 429 and 503 carry \`${HEADERS.retryAfter.name}\`. ` +
  `A method a path does not list is answered 405 \`method_not_allowed\` (\`validation_error\`), so no operation declares it. ` +
  `Each error status lists every code of its kind; not every code applies to every operation.`

/**
 * `client_secret` as a request parameter: no pattern, because the server does not check its form
 * — a secret that is not the payment's, malformed or not, names no payment (404
 * `resource_missing`), so a validator must not turn it into a 400.
 */
export const CLIENT_SECRET_SCHEMA: Json = {
  type: "string",
  description: "The payment's client secret (`<payment id>_secret_…`): required with a publishable key, optional with a secret key. " +
    "One that is not this payment's is answered 404 `resource_missing`."
}

/**
 * The component a row's success body is, as `plan` renders it: the same component when the
 * version renders it unchanged; else the component with the properties the version leaves out
 * removed — an existing component with exactly that schema (under `2025-06-01`,
 * `PaymentWithSecret` without `client_secret` is `Payment`), or a new one named for the version.
 * The plan's `response` is probed with a marker per property: a change that does more than leave
 * properties out cannot be stated here, and fails the derivation with what to declare.
 */
export const renderedComponent = (schemas: Json, name: string, key: string, plan: Versions.Plan): string => {
  const response = plan.response
  if (response === undefined) return name
  const component = record(schemas[name])
  const properties = record(component.properties)
  const probe: Record<string, unknown> = {}
  for (const property of Object.keys(properties)) probe[property] = { probe: property }
  const rendered = response(key, probe)
  if (rendered === probe) return name
  const kept = record(rendered)
  for (const [property, value] of Object.entries(kept)) {
    if (probe[property] !== value) {
      throw new Error(`API version ${plan.version} renders ${key}'s \`${property}\` in a way its OpenAPI document cannot state (only leaving properties out can be)`)
    }
  }
  if (Object.keys(kept).length === Object.keys(properties).length) return name
  const derived: Json = {
    ...component,
    properties: Object.fromEntries(Object.entries(properties).filter(([property]) => property in kept)),
    ...(Array.isArray(component.required) ? { required: component.required.filter((r) => typeof r === "string" && r in kept) } : {})
  }
  const text = JSON.stringify(derived)
  const same = Object.entries(schemas).find(([, schema]) => JSON.stringify(schema) === text)
  if (same !== undefined) return same[0]
  const named = `${name}_${plan.version.replaceAll("-", "_")}`
  schemas[named] = derived
  return named
}
