/**
 * The wire error envelope, and the one registry of the SDK's error classes and codes: each class
 * with its wire `type` and its codes, each code with its HTTP status (or `"local"`: produced by
 * the SDK alone, never sent by the server). Everything else — {@link ErrorType}, {@link CODES},
 * {@link CLASS_OF_TYPE}, {@link classOfStatus}, {@link statusesOf}, {@link codesOf}, each class's
 * `code` type and the union of the classes (`Errors.ts`), the README's errors table (checked by
 * a test) — derives from {@link REGISTRY}. A new code is one line here.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Each error class, in the order the docs list them: its wire `type` (`null`: no response, no
 * wire type) and its codes, each with the HTTP status the server answers it with, or `"local"`
 * for a code only the SDK produces. Codes the server sends and the SDK also produces locally
 * (`api_key_missing`, `permission_denied`, `parameter_invalid`, ...) carry their status.
 *
 * The server codes are the contract's (`paymentflow-api.md`, Errors); `bad_gateway` is the SDK's
 * name for a 5xx whose body is not a PaymentFlow error (a proxy's HTML 502): the server never
 * sends it, so it is local, and no document promises a JSON 502.
 *
 * @since 0.1.0
 * @category Constants
 */
export const REGISTRY = {
  ValidationError: {
    type: "validation_error",
    codes: {
      parameter_missing: 400,
      parameter_invalid: 400,
      parameter_unknown: 400,
      amount_too_large: 400,
      refund_exceeds_payment: 400,
      invalid_cursor: 400,
      card_not_test: 400,
      payment_method_unusable: 400,
      version_unknown: 400,
      body_invalid: 400,
      method_not_allowed: 405,
      body_too_large: 413,
      content_type_invalid: 415
    }
  },
  AuthenticationError: {
    type: "authentication_error",
    codes: {
      api_key_missing: 401,
      api_key_invalid: 401,
      api_key_environment_mismatch: 401,
      permission_denied: 403,
      base_url_invalid: "local",
      insecure_base_url: "local",
      secret_key_in_browser: "local"
    }
  },
  NotFoundError: {
    type: "not_found_error",
    codes: {
      resource_missing: 404,
      route_missing: 404
    }
  },
  ConflictError: {
    type: "conflict_error",
    codes: {
      payment_not_cancelable: 409,
      payment_not_refundable: 409,
      payment_not_confirmable: 409,
      payment_method_already_attached: 409,
      payment_method_not_attached: 409,
      idempotency_key_reused: 409,
      idempotency_key_in_use: 409
    }
  },
  RateLimitError: {
    type: "rate_limit_error",
    codes: {
      rate_limited: 429
    }
  },
  ApiError: {
    type: "api_error",
    codes: {
      internal_error: 500,
      bad_gateway: "local",
      service_unavailable: 503,
      unexpected_response: "local"
    }
  },
  NetworkError: {
    type: null,
    codes: {
      connection_failed: "local",
      timeout: "local",
      invalid_response: "local"
    }
  }
} as const satisfies Record<string, {
  readonly type: string | null
  readonly codes: Readonly<Record<string, number | "local">>
}>

type Registry = typeof REGISTRY
// the same union as `Errors.ErrorTag` (`Errors.ts` checks its classes against the registry's keys)
type ErrorTag = keyof Registry
type CodeTable<T extends ErrorTag> = Registry[T]["codes"]

/**
 * The codes an error class knows, server and local.
 *
 * @since 0.1.0
 * @category Models
 */
export type KnownCode<T extends ErrorTag = ErrorTag> = {
  readonly [K in T]: keyof CodeTable<K> & string
}[T]

/**
 * A documented code the server sends.
 *
 * @since 0.1.0
 * @category Models
 */
export type Code = {
  readonly [T in ErrorTag]: { readonly [C in keyof CodeTable<T>]: CodeTable<T>[C] extends number ? C : never }[keyof CodeTable<T>]
}[ErrorTag]

/**
 * A code only the SDK produces (no request was sent, or no usable response came back).
 *
 * @since 0.1.0
 * @category Models
 */
export type LocalCode = Exclude<KnownCode, Code>

// `Object.keys` types keys as `string`; the registry's are its literal keys.
const keysOf = <O extends object>(o: O): Array<keyof O & string> => Object.keys(o) as Array<keyof O & string>
const entriesOf = (codes: Readonly<Record<string, number | "local">>) => Object.entries(codes)

const TAGS = keysOf(REGISTRY)

/**
 * The wire error types, one per class that has one, in the registry's order.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ErrorType = Schema.Literal(...TAGS.flatMap((tag) => {
  const type = REGISTRY[tag].type
  return type === null ? [] : [type]
}))
/**
 * @since 0.1.0
 * @category Models
 */
export type ErrorType = typeof ErrorType.Type

/**
 * `{"error": {"type", "code", "message", "field"?}}`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ErrorBody = Schema.Struct({
  error: Schema.Struct({
    type: ErrorType,
    code: Schema.String,
    message: Schema.String,
    field: Schema.optional(Schema.String)
  })
}).annotations({ identifier: "ErrorBody" })
/**
 * @since 0.1.0
 * @category Models
 */
export type ErrorBody = typeof ErrorBody.Type

/**
 * What the registry says of one code.
 *
 * @since 0.1.0
 * @category Models
 */
export interface CodeInfo {
  readonly tag: ErrorTag
  /** The HTTP status the server answers it with, or `"local"`: the SDK alone produces it. */
  readonly status: number | "local"
}

const INFO: ReadonlyMap<string, CodeInfo> = new Map(
  TAGS.flatMap((tag) => entriesOf(REGISTRY[tag].codes).map(([code, status]) => [code, { tag, status }] as const))
)

/**
 * The error type and HTTP status of each documented server code, derived from
 * {@link REGISTRY}. The sandbox answers with these; the SDK reads the status to pick the error
 * class.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CODES: { readonly [C in Code]: readonly [number, ErrorType] } = Object.fromEntries(
  TAGS.flatMap((tag) => {
    const type = REGISTRY[tag].type
    return type === null
      ? []
      : entriesOf(REGISTRY[tag].codes).flatMap(([code, status]) =>
        status === "local" ? [] : [[code, [status, type] as const] as const]
      )
  })
) as { readonly [C in Code]: readonly [number, ErrorType] } // complete: every `Code` is a numbered registry entry

/**
 * The SDK error class that stands for each wire error type, derived from {@link REGISTRY}.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CLASS_OF_TYPE: Record<ErrorType, ErrorTag> = Object.fromEntries(
  TAGS.flatMap((tag) => {
    const type = REGISTRY[tag].type
    return type === null ? [] : [[type, tag] as const]
  })
) as Record<ErrorType, ErrorTag> // complete: `ErrorType` is the registry's types

const classByStatus: ReadonlyMap<number, ErrorTag> = new Map(
  Object.values(CODES).map(([status, type]) => [status, CLASS_OF_TYPE[type]] as const)
)

/**
 * The error class for an HTTP status, derived from {@link CODES}; any status the contract does not
 * name is an `ApiError`.
 *
 * @since 0.1.0
 * @category Utils
 */
export const classOfStatus = (status: number): ErrorTag => classByStatus.get(status) ?? "ApiError"

/**
 * The HTTP statuses an error class stands for, derived from {@link CODES}.
 *
 * @since 0.1.0
 * @category Utils
 */
export const statusesOf = (tag: ErrorTag): ReadonlyArray<number> =>
  [...new Set(Object.values(CODES).filter(([, type]) => CLASS_OF_TYPE[type] === tag).map(([status]) => status))].sort((a, b) => a - b)

/**
 * The codes an error class knows, in the registry's order: all of them (server and local), or,
 * given a status, the server codes it carries with that status (what an OpenAPI document lists
 * for the status).
 *
 * @since 0.1.0
 * @category Utils
 */
export const codesOf = <T extends ErrorTag>(tag: T, status?: number): ReadonlyArray<KnownCode<T>> =>
  keysOf<CodeTable<T>>(REGISTRY[tag].codes).filter((code) => status === undefined || INFO.get(code)?.status === status)

/**
 * The class and status (or `"local"`) of a known code; `undefined` for a code the registry does
 * not know (a code added to the API after this SDK was released).
 *
 * @since 0.1.0
 * @category Utils
 */
export const infoOf = (code: string): CodeInfo | undefined => INFO.get(code)

/**
 * Whether a code is produced by the SDK alone, never sent by the server.
 *
 * @since 0.1.0
 * @category Refinements
 */
export const isLocalCode = (code: string): code is LocalCode => INFO.get(code)?.status === "local"
