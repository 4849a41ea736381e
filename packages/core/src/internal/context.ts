/**
 * What every operation of one client shares, resolved once when the client is built: the key and
 * its refusals, the base URL policy, the environment, the headers every request carries, the
 * default timeout and retry policy, the rate limiter and the transport.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as LogLevel from "effect/LogLevel"
import * as RateLimiter from "effect/RateLimiter"
import type * as Scope from "effect/Scope"
import * as ApiKey from "../ApiKey.js"
import { AuthenticationError, type ValidationError } from "../Errors.js"
import { API_VERSION } from "../Fields.js"
import { HEADERS } from "../Headers.js"
import type { Options as ClientOptions } from "../PaymentFlow.js"
import * as Retry from "../Retry.js"
import * as Transport from "../Transport.js"
import { checkOptions } from "./request.js"
import { policyOf } from "./retry.js"
import { fromHttpClient } from "./transport.js"
import { VERSION } from "./version.js"

/** Default base URLs of the two environments (public: `openapi.json`'s `servers` read them too). */
export const BASE_URLS = ApiKey.BASE_URLS

/** What every operation of one client shares. */
export interface ClientContext {
  /** The environment's `HttpClient`, after `transformClient`. */
  readonly client: HttpClient.HttpClient
  /** Where every attempt goes: the platform's transport, or the adapter over {@link client}. */
  readonly transport: Transport.Service
  /**
   * Whether spans may open inside an attempt: on the `HttpClient` adapter (a `transformClient`,
   * the in-process sandbox, any middleware), or on a transport that opens its own. A traced call
   * then runs its attempts under its span; on undici nothing inside does, and it skips the cost.
   */
  readonly nestsSpans: boolean
  readonly baseUrl: string
  /** `scheme://host:port` of {@link baseUrl}. */
  readonly origin: string
  /** The headers every request carries (authorization, version, client, accept). */
  readonly headers: Headers.Headers
  readonly rawKey: string
  readonly maskedKey: string
  /**
   * Why no request may be sent at all (bad key, environment mismatch, insecure base URL:
   * `AuthenticationError`; a bad client-wide `timeout` or `maxRetries`: `ValidationError`).
   */
  readonly refusal: AuthenticationError | ValidationError | undefined
  readonly publishable: boolean
  readonly timeout: Duration.Duration
  /** The client's retry policy; `undefined`: one attempt. */
  readonly retry: Retry.Policy | undefined
  /** The level of each attempt's log line (default Debug). */
  readonly logLevel: LogLevel.LogLevel
  /** Consumed once per attempt. */
  readonly limiter: RateLimiter.RateLimiter | undefined
}

const detectRuntime = (): string => {
  const g: Record<string, unknown> = globalThis
  const proc = g["process"]
  if (typeof proc === "object" && proc !== null && "versions" in proc) {
    const versions = proc.versions
    if (typeof versions === "object" && versions !== null) {
      if ("bun" in versions && typeof versions.bun === "string") return `bun ${versions.bun}`
      if ("node" in versions && typeof versions.node === "string") return `node ${versions.node}`
    }
  }
  if ("Deno" in g) return "deno"
  if ("document" in g) return "browser"
  return "unknown"
}

/**
 * Whether the client runs in a browser: `window` and `document` both defined. (A Web Worker has
 * neither and keeps its code out of the page's reach; jsdom and happy-dom test environments have
 * both, hence `dangerouslyAllowBrowser`.)
 */
export const isBrowser = (): boolean => {
  const g: Record<string, unknown> = globalThis
  return typeof g["window"] !== "undefined" && typeof g["document"] !== "undefined"
}

/**
 * The browser policy of every client built on this context (core's service and Promise client,
 * Node's): in a browser a secret key is refused before any request, unless
 * `dangerouslyAllowBrowser` says the "browser" is a test environment (jsdom, happy-dom).
 */
export const browserRefusal = (
  rawKey: string,
  options: Pick<ClientOptions, "dangerouslyAllowBrowser">
): AuthenticationError | undefined =>
  options.dangerouslyAllowBrowser === true || !isBrowser() ? undefined : ApiKey.refuseSecretKeyInBrowser(rawKey)

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/**
 * Parses a base URL override. A non-https URL is refused unless its host is loopback: the key
 * would otherwise travel in clear text. The refusal is an `AuthenticationError` on every
 * operation (it protects the key, and every operation's error channel has that class), rather
 * than a defect at construction, so a bad `PAYMENTFLOW_BASE_URL` never crashes a process.
 */
export const parseBaseUrl = (raw: string): Either.Either<string, AuthenticationError> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Either.left(new AuthenticationError({ code: "base_url_invalid", message: `The base URL is not a valid URL` }))
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return Either.left(
      new AuthenticationError({
        code: "insecure_base_url",
        message: `Refusing to send the API key to ${url.protocol}//${url.host}: the base URL must be https unless its host is loopback`
      })
    )
  }
  return Either.right(url.origin + url.pathname.replace(/\/+$/, ""))
}

/** Why no request of this client may be sent, given its key and configured environment. */
const keyRefusal = (
  rawKey: string,
  maskedKey: string,
  parsed: ApiKey.ParsedApiKey | undefined,
  environment: ApiKey.Environment
): AuthenticationError | undefined => {
  if (parsed === undefined) {
    return new AuthenticationError({
      code: rawKey === "" ? "api_key_missing" : "api_key_invalid",
      message: rawKey === ""
        ? "No API key was given"
        : `The API key ${maskedKey} is malformed: expected pk_ or sk_, then live_ or test_, then at least 16 letters or digits`
    })
  }
  if (parsed.environment !== environment) {
    return new AuthenticationError({
      code: "api_key_environment_mismatch",
      message: `The API key ${maskedKey} is a ${parsed.environment} key, but the client is configured for ${environment}`
    })
  }
  return undefined
}

/**
 * The platform's transport when it stands in for the very `HttpClient` in use (not wrapped by
 * `transformClient` or by another layer), else the adapter over that client.
 */
const transportFor = (
  base: HttpClient.HttpClient,
  client: HttpClient.HttpClient,
  provided: Transport.Service | undefined
): Transport.Service =>
  provided !== undefined && client === base && provided.httpClient === base ? provided : fromHttpClient(client)

/** The per-attempt timeout when the client is given none. */
const DEFAULT_TIMEOUT = Duration.seconds(30)

/** Builds what every operation of one client shares. */
export const makeContext = (options: ClientOptions): Effect.Effect<ClientContext, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const provided = yield* Effect.serviceOption(Transport.Transport)
    // a client-wide `timeout` / `maxRetries` a plain-JavaScript caller got wrong: every call is
    // refused with the same `ValidationError` a bad per-call option gets, and nothing is sent
    const checked = checkOptions(options)
    const badOption = Either.isLeft(checked) ? checked.left : undefined
    const client = options.transformClient ? options.transformClient(base) : base
    const platform = provided._tag === "Some" ? provided.value : undefined
    const transport = transportFor(base, client, platform)
    const rawKey = ApiKey.value(options.apiKey)
    const maskedKey = ApiKey.maskApiKey(rawKey)
    const parsed = ApiKey.parse(rawKey)
    const environment = options.environment ?? parsed?.environment ?? "sandbox"
    let refusal: AuthenticationError | ValidationError | undefined = browserRefusal(rawKey, options) ??
      keyRefusal(rawKey, maskedKey, parsed, environment) ?? badOption
    let baseUrl: string = BASE_URLS[environment]
    if (options.baseUrl !== undefined) {
      const result = parseBaseUrl(options.baseUrl)
      if (Either.isLeft(result)) refusal ??= result.left
      else baseUrl = result.right
    }
    const limiter = options.rateLimit === undefined
      ? undefined
      : "make" in options.rateLimit
      ? yield* options.rateLimit.make(rawKey)
      : yield* RateLimiter.make({ limit: options.rateLimit.limit, interval: options.rateLimit.interval })
    const headers = Headers.fromInput({
      authorization: `Bearer ${rawKey}`,
      [HEADERS.version.key]: API_VERSION,
      [HEADERS.client.key]: options.userAgent ?? `paymentflow-typescript/${VERSION} (${detectRuntime()})`,
      accept: "application/json"
    })
    return {
      client,
      transport,
      nestsSpans: transport.opensSpans || transport !== platform,
      baseUrl,
      origin: new URL(baseUrl).origin,
      headers,
      rawKey,
      maskedKey,
      refusal,
      publishable: parsed?.kind === "publishable",
      timeout: (Either.isRight(checked) ? checked.right : undefined) ?? DEFAULT_TIMEOUT,
      logLevel: LogLevel.fromLiteral(options.logLevel ?? "Debug"),
      retry: badOption === undefined ? policyOf(options, Retry.schedule) : undefined,
      limiter
    }
  })
