/**
 * The `client_secret` check (from `2026-12-01`): how a publishable key proves it may see or
 * confirm one payment. Called by the guard (`route.ts`) for a row whose access under the
 * request's version is `{ publishable: "with_client_secret" }`.
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { CLIENT_SECRET_PARAMETER } from "@paymentflow/core/Endpoint"
import { constantTimeEqual } from "@paymentflow/core/Hmac"
import type { Authenticated } from "./auth.js"
import * as Responses from "./responses.js"

/** The parameter with which a publishable key proves it may see one payment (from `2026-12-01`). */
const CLIENT_SECRET = CLIENT_SECRET_PARAMETER

/**
 * The `client_secret` check of a row whose access is `{ publishable: "with_client_secret" }`
 * under the request's version: the parameter is taken off the input (the row's schema does not
 * know it); empty counts as absent; absent is refused for a publishable key; present, it must be
 * the payment's, whatever the key (else 404, as for no payment: the id alone reveals nothing).
 */
export const checkClientSecret = (
  input: Record<string, unknown>,
  kind: Authenticated["kind"],
  secretOf: () => string | undefined,
  resource: string
): Record<string, unknown> | HttpServerResponse.HttpServerResponse => {
  let rest = input
  let presented: unknown = undefined
  if (Object.prototype.hasOwnProperty.call(input, CLIENT_SECRET)) {
    const { [CLIENT_SECRET]: value, ...others } = input
    presented = value
    rest = others
  }
  if (presented !== undefined && typeof presented !== "string") {
    return Responses.error("parameter_invalid", "must be a string", { field: CLIENT_SECRET })
  }
  if (presented === undefined || presented === "") {
    return kind === "pk"
      ? Responses.error("parameter_missing", `A publishable key needs the ${resource}'s ${CLIENT_SECRET}`, { field: CLIENT_SECRET })
      : rest
  }
  // the message never repeats the secret
  const expected = secretOf()
  return expected !== undefined && constantTimeEqual(presented, expected) ? rest : Responses.error("resource_missing", `No such ${resource}`)
}
