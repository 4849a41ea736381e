/**
 * The shape of one row of the endpoint table: plain data that the client interprets on
 * `HttpClient`, that the sandbox turns into an `HttpApi`, and that `openapi.json` is made from.
 * Every client surface (the Effect `Service`, the Promise clients, the browser's publishable
 * subset) is derived from the rows; a row is the only place an endpoint is written.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import type { ErrorTag } from "./Errors.js"

/**
 * Who may call an endpoint, as data that can grow: `"secret"` endpoints take only `sk_` keys,
 * `"publishable"` ones `pk_` and `sk_` keys. `{ publishable: "with_client_secret" }`: endpoints a
 * publishable key may call only when it presents the object's client secret (payment retrieve and
 * confirm from API version `2026-12-01`; `Versions.ts` says how each version reads a row's access);
 * read access through {@link allowsPublishable} rather than comparing strings.
 *
 * @since 0.1.0
 * @category Models
 */
export type Access = "secret" | "publishable" | WithClientSecret

/**
 * The access of an endpoint a publishable key may call only with the object's client secret. A
 * publishable client (the browser's) takes that secret in place of the object's id: the id is
 * the secret's prefix.
 *
 * @since 0.1.0
 * @category Models
 */
export interface WithClientSecret {
  readonly publishable: "with_client_secret"
}

/**
 * The access values that let a publishable key call the endpoint.
 *
 * @since 0.1.0
 * @category Models
 */
export type Publishable = Exclude<Access, "secret">

/**
 * Whether a publishable (`pk_`) key may call an endpoint with this access.
 *
 * @since 0.1.0
 * @category Utils
 */
export const allowsPublishable = (access: Access): boolean => access !== "secret"

/**
 * The parameter in which a caller presents the object's client secret on a
 * {@link WithClientSecret} endpoint: in the query of a GET, in the JSON body of a POST. It is not
 * in the row's `params` (a secret key need not send it; the server takes it off before the
 * parameters are checked).
 *
 * @since 0.1.0
 * @category Constants
 */
export const CLIENT_SECRET_PARAMETER = "client_secret"

/**
 * Whether a publishable key calls an endpoint with this access by the object's client secret
 * ({@link WithClientSecret}).
 *
 * @since 0.1.0
 * @category Utils
 */
export const takesClientSecret = (access: Access): access is WithClientSecret =>
  typeof access === "object" && access.publishable === "with_client_secret"

/**
 * The resource groups: the top-level members of the client (`pf.payments`, ...).
 *
 * @since 0.1.0
 * @category Models
 */
export type Group = "payments" | "refunds" | "customers" | "paymentMethods" | "sandbox"

/**
 * Where a row is served: `"client"` rows are the user's API and appear in every client;
 * `"sandbox"` rows (`/v1/sandbox/...` control endpoints) are served by the sandbox only and never
 * appear in the user's `Service`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Surface = "client" | "sandbox"

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
 * What a row says, as written (`surface` may be left out: it defaults to `"client"`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Fields<
  Method_ extends Method = Method,
  Id extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Params extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Success extends Schema.Schema.AnyNoContext = Schema.Schema.AnyNoContext,
  Errors extends ErrorTag = ErrorTag,
  Name extends string = string,
  Group_ extends Group = Group,
  Access_ extends Access = Access
> {
  /** The operation's name in its group (`create` → `pf.payments.create`). */
  readonly name: Name
  readonly group: Group_
  readonly method: Method_
  /** The path, with `:id` for its one path parameter, whose schema is `id`. */
  readonly path: string
  readonly id: Id
  /** The JSON body (POST, PATCH) or the query string (GET, DELETE). */
  readonly params: Params
  /** A `List(...)` success makes the row a list: the clients add a `listAll` for it. */
  readonly success: Success
  /** The error classes beyond {@link COMMON_ERRORS}; the operation's error channel is derived from it. */
  readonly errors: ReadonlyArray<Errors>
  readonly access: Access_
  readonly summary: string
}

/**
 * One endpoint: its {@link Fields} and where it is served.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Endpoint<
  Method_ extends Method = Method,
  Id extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Params extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Success extends Schema.Schema.AnyNoContext = Schema.Schema.AnyNoContext,
  Errors extends ErrorTag = ErrorTag,
  Name extends string = string,
  Group_ extends Group = Group,
  Access_ extends Access = Access,
  Surface_ extends Surface = Surface
> extends Fields<Method_, Id, Params, Success, Errors, Name, Group_, Access_> {
  readonly surface: Surface_
}

/**
 * @since 0.1.0
 * @category Models
 */
export type Any = Endpoint<
  Method,
  Schema.Schema.AnyNoContext | undefined,
  Schema.Schema.AnyNoContext | undefined,
  Schema.Schema.AnyNoContext,
  ErrorTag
>

/**
 * Builds a row, keeping every literal type (the name, group, method, schemas, errors, access).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = <
  const Name extends string,
  const Group_ extends Group,
  const Method_ extends Method,
  Id extends Schema.Schema.AnyNoContext | undefined,
  Params extends Schema.Schema.AnyNoContext | undefined,
  Success extends Schema.Schema.AnyNoContext,
  const Access_ extends Access,
  const Errors extends ErrorTag = never,
  const Surface_ extends Surface = "client"
>(
  endpoint: Fields<Method_, Id, Params, Success, Errors, Name, Group_, Access_> & { readonly surface?: Surface_ }
): Endpoint<Method_, Id, Params, Success, Errors, Name, Group_, Access_, Surface_> => ({
  ...endpoint,
  // `surface` is left out exactly when `Surface_` took its default, "client".
  surface: (endpoint.surface ?? "client") as Surface_
})

/**
 * Whether a row belongs to the user's API (every client offers it), not to the sandbox only.
 *
 * @since 0.1.0
 * @category Utils
 */
export const isClient = (endpoint: Any): boolean => endpoint.surface !== "sandbox"

/**
 * The error a call can fail with before anything is sent: `ValidationError`, on every row. Every
 * call's input is checked locally — its id, params, a POST's idempotency key, and the per-call
 * options every row takes (`timeout`, `maxRetries`). A row need not list it: a malformed id is a
 * `ValidationError` (field `id`) in every client, even on a row whose server answers only 404.
 *
 * @since 0.1.0
 * @category Models
 */
export type LocalErrorOf<E> = E extends unknown ? "ValidationError" : never

/**
 * The error tags of an endpoint: its own, the local one ({@link LocalErrorOf}) and the common
 * ones.
 *
 * @since 0.1.0
 * @category Models
 */
export type ErrorsOf<E> = E extends { readonly errors: ReadonlyArray<infer Errors extends ErrorTag> }
  ? Errors | LocalErrorOf<E> | CommonError
  : never

/**
 * Whether the client checks an id, params or a POST's idempotency key of the row before sending.
 * (Every row's per-call options are checked too, so every error channel has `ValidationError`:
 * {@link LocalErrorOf}.)
 *
 * @since 0.1.0
 * @category Utils
 */
export const checksInput = (endpoint: Any): boolean =>
  endpoint.id !== undefined || endpoint.params !== undefined || isIdempotent(endpoint)

/**
 * The error tags of an endpoint at run time, as {@link ErrorsOf} types them.
 *
 * @since 0.1.0
 * @category Utils
 */
export const errorsOf = (endpoint: Any): ReadonlyArray<ErrorTag> => [
  ...endpoint.errors.filter((tag) => tag !== "ValidationError"),
  "ValidationError",
  ...COMMON_ERRORS
]

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
