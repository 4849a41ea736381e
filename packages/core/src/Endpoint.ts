/**
 * The shape of one row of the endpoint table: plain data that the client interprets on
 * `HttpClient`, that the sandbox turns into an `HttpApi`, and that `openapi.json` is made from.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import type { ErrorTag } from "./Errors.js"

/**
 * Who may call an endpoint: `publishable` endpoints take `pk_` and `sk_` keys, `secret` ones
 * only `sk_` keys.
 *
 * @since 0.1.0
 * @category Models
 */
export type Access = "publishable" | "secret"

/**
 * @since 0.1.0
 * @category Models
 */
export type Method = "GET" | "POST" | "PATCH" | "DELETE"

/**
 * Errors every operation can fail with, whatever it does.
 *
 * @since 0.1.0
 * @category Constants
 */
export const COMMON_ERRORS = ["AuthenticationError", "RateLimitError", "NetworkError", "ApiError"] as const

/**
 * @since 0.1.0
 * @category Models
 */
export type CommonError = (typeof COMMON_ERRORS)[number]

/**
 * One endpoint. `path` uses `:id` for its one path parameter, whose schema is `id`.
 * `params` is the JSON body (POST, PATCH) or the query string (GET). `errors` lists the
 * error classes beyond {@link COMMON_ERRORS} that the operation can fail with; the client's
 * type for the operation is derived from it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Endpoint<
  Method_ extends Method = Method,
  Id extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Params extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Success extends Schema.Schema.AnyNoContext = Schema.Schema.AnyNoContext,
  Errors extends ErrorTag = ErrorTag
> {
  readonly name: string
  readonly group: "payments" | "refunds" | "customers"
  readonly method: Method_
  readonly path: string
  readonly id: Id
  readonly params: Params
  readonly success: Success
  readonly errors: ReadonlyArray<Errors>
  readonly access: Access
  readonly summary: string
}

/**
 * @since 0.1.0
 * @category Models
 */
export type Any = Endpoint<Method, Schema.Schema.AnyNoContext | undefined, Schema.Schema.AnyNoContext | undefined, Schema.Schema.AnyNoContext, ErrorTag>

/**
 * Builds a row, keeping every literal type.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = <
  const Method_ extends Method,
  Id extends Schema.Schema.AnyNoContext | undefined,
  Params extends Schema.Schema.AnyNoContext | undefined,
  Success extends Schema.Schema.AnyNoContext,
  const Errors extends ErrorTag = never
>(endpoint: Endpoint<Method_, Id, Params, Success, Errors>): Endpoint<Method_, Id, Params, Success, Errors> => endpoint

/**
 * The error tags of an endpoint: its own plus the common ones.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorsOf<E> = E extends Endpoint<infer _M, infer _I, infer _P, infer _S, infer Errors> ? Errors | CommonError : never

/**
 * Whether a request to the endpoint carries an `Idempotency-Key` (every POST does).
 *
 * @since 0.1.0
 * @category Utils
 */
export const isIdempotent = (endpoint: Any): boolean => endpoint.method === "POST"

/**
 * Whether the params travel in the query string rather than a JSON body.
 *
 * @since 0.1.0
 * @category Utils
 */
export const paramsInQuery = (endpoint: Any): boolean => endpoint.method === "GET" || endpoint.method === "DELETE"
