/**
 * The headers of the PaymentFlow contract, written once: each one's wire name (`name`, as the
 * contract spells it), its lowercase form (`key`, how Effect's `Headers` and undici hold it), the
 * schema of its value and where it travels. The client, the sandbox and `openapi.json` (as
 * parameters and response headers per operation and status) all read the names from here.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ApiVersion, IdempotencyKey } from "./Fields.js"

/**
 * One contract header.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Header<Name extends string, In extends "request" | "response", A> {
  /** The wire name as the contract writes it (`Idempotency-Key`): for responses and documents. */
  readonly name: Name
  /** The lowercase name (`idempotency-key`): the key in Effect's `Headers` and undici's records. */
  readonly key: Lowercase<Name>
  readonly in: In
  readonly description: string
  readonly schema: Schema.Schema<A, string> | Schema.Schema<A>
}

const header = <const Name extends string, const In extends "request" | "response", A>(
  name: Name,
  direction: In,
  description: string,
  schema: Schema.Schema<A, string> | Schema.Schema<A>
): Header<Name, In, A> => ({ name, key: name.toLowerCase() as Lowercase<Name>, in: direction, description, schema })

const requestIdPattern = /^req_[A-Za-z0-9]{24}$/

/**
 * The contract's headers, by the name the code uses for each.
 *
 * @since 0.1.0
 * @category Constants
 */
export const HEADERS = {
  version: header("PaymentFlow-Version", "request", "The API version; without it the account's default version.", ApiVersion),
  client: header("PaymentFlow-Client", "request", "SDK telemetry: `paymentflow-typescript/<sdk version> (<runtime>)`.", Schema.String),
  idempotencyKey: header(
    "Idempotency-Key",
    "request",
    "POST only: the same key with the same body replays the first response.",
    IdempotencyKey
  ),
  requestId: header(
    "Request-Id",
    "response",
    "Names the request in logs and support tickets.",
    Schema.String.pipe(Schema.filter((s) => requestIdPattern.test(s), { jsonSchema: { pattern: requestIdPattern.source } }))
  ),
  rateLimitLimit: header(
    "RateLimit-Limit",
    "response",
    "Requests allowed per window (absent when the server's limit is off).",
    Schema.NonNegativeInt
  ),
  rateLimitRemaining: header(
    "RateLimit-Remaining",
    "response",
    "Requests left in the window (absent when the server's limit is off).",
    Schema.NonNegativeInt
  ),
  rateLimitReset: header(
    "RateLimit-Reset",
    "response",
    "Seconds until the window resets (absent when the server's limit is off).",
    Schema.NonNegativeInt
  ),
  retryAfter: header("Retry-After", "response", "Seconds to wait before retrying (429 and 503).", Schema.NonNegativeInt),
  idempotentReplayed: header(
    "Idempotent-Replayed",
    "response",
    "`true` when the response is the replay of an earlier request with the same Idempotency-Key.",
    Schema.Literal("true")
  )
} as const
