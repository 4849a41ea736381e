/**
 * Who is calling: the API key of a request (`Authorization: Bearer …`), checked against the
 * contract's key format, the environment (`*_test_*` only) and the sandbox's `apiKeys`, and
 * whether its kind (`pk_` / `sk_`) may use the endpoint.
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { maskApiKey } from "@paymentflow/core/ApiKey"
import * as Endpoint from "@paymentflow/core/Endpoint"
import { API_KEY_PATTERN } from "@paymentflow/core/Fields"
import type { Config } from "./config.js"
import * as Responses from "./responses.js"

/** Who may call an endpoint: a row's `access` (core's one definition of it). */
export type Access = Endpoint.Access

export interface Authenticated {
  readonly key: string
  readonly kind: "pk" | "sk"
}

/** The key of an `Authorization: Bearer <key>` header, unchecked; `undefined` for any other form. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : /^Bearer[ ]+(\S+)\s*$/i.exec(header)?.[1]

/**
 * The API key of a request, or the 401 / 403 that refuses it.
 */
export const authenticate = (
  config: Config,
  headers: Readonly<Record<string, string | undefined>>,
  access: Access
): Authenticated | HttpServerResponse.HttpServerResponse => {
  const header = headers["authorization"]
  if (header === undefined || header.trim() === "") {
    return Responses.error("api_key_missing", "No API key: send Authorization: Bearer <api key>")
  }
  const key = bearerToken(header)
  const parts = key === undefined ? null : API_KEY_PATTERN.exec(key)
  if (key === undefined || parts === null) {
    return Responses.error("api_key_invalid", "The API key is malformed: send Authorization: Bearer <pk_test_… or sk_test_…>")
  }
  if (parts[2] === "live") {
    return Responses.error(
      "api_key_environment_mismatch",
      `The key ${maskApiKey(key)} is a live key; the sandbox accepts only *_test_* keys`
    )
  }
  if (config.apiKeys !== undefined && !config.apiKeys.has(key)) {
    return Responses.error("api_key_invalid", `The key ${maskApiKey(key)} is not known to this sandbox`)
  }
  const kind = parts[1] === "pk" ? "pk" : "sk"
  if (kind === "pk" && !Endpoint.allowsPublishable(access)) {
    return Responses.error("permission_denied", "This operation needs a secret key (sk_); publishable keys (pk_) may not use it")
  }
  return { key, kind }
}
