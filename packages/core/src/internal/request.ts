/**
 * Encoding one call: the row's id and params (validated with the row's schemas) into the path,
 * query string or JSON body, and the call's idempotency key. A failure is the typed local error
 * the row allows, and nothing is sent.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Endpoint from "../Endpoint.js"
import { type PaymentFlowError, ValidationError } from "../Errors.js"
import { IdempotencyKey } from "../Fields.js"
import { ClientSecret, maskClientSecret } from "../Payment.js"
import type { RequestOptions as CallOptions } from "../PaymentFlow.js"
import * as Rule from "../Rule.js"

/** One encoded call. */
export interface Encoded {
  /** Path (after the base URL's path prefix is put in front) and query string. */
  readonly path: string
  /**
   * {@link path} as it may be shown (the log line): a client secret in the query is masked.
   * The same string as `path` when the call carries none.
   */
  readonly shownPath: string
  readonly body: string | undefined
  /** The key every attempt of this call carries; `undefined` for a non-idempotent method. */
  readonly idempotencyKey: string | undefined
  readonly options: CallOptions | undefined
  /** The call's `timeout` option, decoded; `undefined`: the client's. */
  readonly timeout: Duration.Duration | undefined
}

/** Encodes the arguments `(id?, params?, options?)` of one call, in the order the row implies. */
export type Encoder = (args: ReadonlyArray<unknown>) => Either.Either<Encoded, PaymentFlowError>

const validateIdempotencyKey = Schema.validateEither(IdempotencyKey)

const generateIdempotencyKey = (): string => `pf_${globalThis.crypto.randomUUID()}`

const queryOf = (encoded: unknown): string => {
  const query = new URLSearchParams()
  if (typeof encoded === "object" && encoded !== null) {
    for (const [k, v] of Object.entries(encoded)) {
      if (v !== undefined) query.append(k, String(v))
    }
  }
  const qs = query.toString()
  return qs === "" ? "" : `?${qs}`
}

const CLIENT_SECRET = Endpoint.CLIENT_SECRET_PARAMETER
/** `<the object's id>_secret_…` (`Payment.ClientSecret`): the id is its prefix. */
const SECRET_INFIX = "_secret_"
const isClientSecret = Schema.is(ClientSecret)

/**
 * The local error for bad input: always `ValidationError` with the wire field, no status (nothing
 * was sent). Every row with input has it in its error channel (`Endpoint.ErrorsOf`), so a
 * malformed id gets the same answer from every client.
 */
const invalid = (field: string | undefined, code: string, message: string): ValidationError =>
  new ValidationError({ code, field, message })

/**
 * `Duration.decodeUnknown` reads a negative or NaN amount as 0 ms, in each of its input forms
 * (a number, a bigint, a string such as `"-5 seconds"`, a `[seconds, nanos]` tuple): refused
 * first, so a mistake never means "time out at once".
 */
const negativeOrNaN = (u: unknown): boolean => {
  if (typeof u === "number") return !(u >= 0)
  if (typeof u === "bigint") return u < 0n
  if (typeof u === "string") return /^\s*-/.test(u) || /\bNaN\b/i.test(u)
  if (Array.isArray(u)) return u.some((part: unknown) => typeof part === "number" && !(part >= 0))
  return false
}

/**
 * Checks the options a plain-JavaScript caller can get wrong (`timeout: "5s"`, `maxRetries:
 * NaN`), per call or client-wide: refused like any other bad input, before anything is sent. The
 * right side is the decoded `timeout` (`undefined`: none given), so no caller decodes it again.
 */
export const checkOptions = (
  options: Pick<CallOptions, "timeout" | "maxRetries">
): Either.Either<Duration.Duration | undefined, ValidationError> => {
  let timeout: Duration.Duration | undefined
  if (options.timeout !== undefined) {
    const given: unknown = options.timeout
    const decoded = negativeOrNaN(given) ? Option.none() : Duration.decodeUnknown(given)
    if (Option.isNone(decoded)) {
      return Either.left(invalid("timeout", "parameter_invalid", "must be a Duration: milliseconds, or a string such as \"5 seconds\""))
    }
    timeout = decoded.value
  }
  const maxRetries: unknown = options.maxRetries
  if (maxRetries !== undefined && !(typeof maxRetries === "number" && Number.isSafeInteger(maxRetries) && maxRetries >= 0)) {
    return Either.left(invalid("max_retries", "parameter_invalid", "must be a whole number, 0 or more"))
  }
  return Either.right(timeout)
}

/**
 * Everything that can be computed once per row is computed here; the returned encoder runs per
 * call. With `byClientSecret` (a publishable client, on a row whose access is
 * `{ publishable: "with_client_secret" }`) the first argument is the object's client secret
 * instead of its id: the id is the secret's prefix, and the secret travels as `client_secret`.
 */
export const makeEncoder = (endpoint: Endpoint.Any, pathPrefix: string, byClientSecret = false): Encoder => {
  const idempotent = Endpoint.isIdempotent(endpoint)
  const inQuery = Endpoint.paramsInQuery(endpoint)
  const pathParts = endpoint.path.split(":id")
  const prefix = pathPrefix + (pathParts[0] ?? "")
  const suffix = pathParts[1] ?? ""
  const emptyBody = endpoint.method === "POST" ? "{}" : undefined
  const encodeId = endpoint.id ? Schema.encodeUnknownEither(endpoint.id) : undefined
  const encodeParams = endpoint.params
    ? Schema.encodeUnknownEither(endpoint.params, { onExcessProperty: "error", errors: "first" })
    : undefined

  return (args) => {
    let index = 0
    let path = prefix
    let secret: string | undefined
    if (encodeId !== undefined) {
      let id = args[index++]
      if (byClientSecret) {
        // the message never repeats the value
        if (!isClientSecret(id)) {
          return Either.left(invalid(CLIENT_SECRET, "parameter_invalid", "must be a client secret (<id>_secret_…)"))
        }
        secret = id
        id = id.slice(0, id.lastIndexOf(SECRET_INFIX))
      }
      const encoded = encodeId(id)
      if (Either.isLeft(encoded)) {
        return Either.left(invalid("id", "parameter_invalid", Rule.violation(encoded.left.issue).message))
      }
      path += encodeURIComponent(String(encoded.right)) + suffix
    }
    let body: string | undefined = emptyBody
    if (encodeParams !== undefined) {
      const encoded = encodeParams(args[index++] ?? {})
      if (Either.isLeft(encoded)) {
        const v = Rule.violation(encoded.left.issue)
        return Either.left(invalid(v.field, v.code, v.message))
      }
      if (inQuery) {
        path += queryOf(encoded.right)
        body = undefined
      } else {
        body = JSON.stringify(secret === undefined ? encoded.right : Object.assign({}, encoded.right, { [CLIENT_SECRET]: secret }))
      }
    } else if (secret !== undefined && !inQuery) {
      body = JSON.stringify({ [CLIENT_SECRET]: secret })
    }
    let shownPath = path
    if (secret !== undefined && inQuery) {
      const sep = path.includes("?") ? "&" : "?"
      shownPath = `${path}${sep}${CLIENT_SECRET}=${maskClientSecret(secret)}`
      path = `${path}${sep}${CLIENT_SECRET}=${encodeURIComponent(secret)}`
    }
    const lastArg = args[index]
    const options: CallOptions | undefined = typeof lastArg === "object" && lastArg !== null ? lastArg : undefined
    let timeout: Duration.Duration | undefined
    if (options !== undefined) {
      const checked = checkOptions(options)
      if (Either.isLeft(checked)) return Either.left(checked.left)
      timeout = checked.right
    }
    let idempotencyKey: string | undefined
    if (idempotent) {
      idempotencyKey = options?.idempotencyKey ?? generateIdempotencyKey()
      if (options?.idempotencyKey !== undefined && Either.isLeft(validateIdempotencyKey(idempotencyKey))) {
        return Either.left(invalid("idempotency_key", "parameter_invalid", "must be 1 to 255 printable ASCII characters"))
      }
    }
    return Either.right({ path, shownPath, body, idempotencyKey, options, timeout })
  }
}
