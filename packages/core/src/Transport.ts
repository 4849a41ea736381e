/**
 * UNSTABLE plumbing between the PaymentFlow packages, not API for applications: it may change in
 * any release. The transport port: the one thing the client needs from the network, owned by the
 * client (core) and implemented by each platform.
 *
 * The client builds, signs, times, traces, logs and maps a request once, above this port, and
 * hands each attempt to {@link Service.send}. Two implementations exist: core's adapter over the
 * environment's `HttpClient` (browser, tests, `transformClient`), used when no `Transport` is
 * provided, and `@paymentflow/node`'s on undici's dispatcher, provided by its layers beside the
 * `HttpClient` it stands in for.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpMethod from "@effect/platform/HttpMethod"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"

/**
 * One attempt of one request, as the client built it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Request {
  readonly method: HttpMethod.HttpMethod
  /** `scheme://host:port`. */
  readonly origin: string
  /** Path and query string (with the base URL's path prefix). */
  readonly path: string
  /**
   * Present when {@link path} carries a secret (the browser's retrieve sends the payment's
   * `client_secret` in the query): the path as it may be shown, the secret masked. A transport
   * records a URL (a span's `url.full`/`url.query`, a log line) only in this form, or not at all.
   */
  readonly shownPath?: string | undefined
  /** Every header to send, lowercase names (authorization, content-type, idempotency-key, ...). */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /**
   * The longest the attempt may take, from sending to having read the whole body; past it the
   * transport aborts the request and fails with `TimedOut`. `Infinity`: no timer.
   */
  readonly timeoutMs: number
}

/**
 * A whole response.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Response {
  readonly status: number
  /** Lowercase names; a repeated header's values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * The attempt got no whole response: `TimedOut` (the timer fired and the request was aborted) or
 * `Failed` (connection refused or reset, body cut off, ...). `status`/`headers` are set when the
 * response had begun.
 *
 * @since 0.1.0
 * @category Errors
 */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly reason: "TimedOut" | "Failed"
  readonly cause: unknown
  readonly status?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}> {}

/**
 * A transport. Interrupting `send` aborts the request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  readonly send: (request: Request) => Effect.Effect<Response, TransportError>
  /**
   * Whether the transport opens spans of its own. `true` (a transport of yours that traces its
   * attempts and sends its own `traceparent`/`b3`): the client runs each attempt with the
   * operation's span as parent. `false` (undici, and the `HttpClient` adapter, which runs without
   * the platform's `http.client` span): the client names the operation's span in
   * `traceparent`/`b3` itself, when `HttpClient.currentTracerPropagation` is on.
   */
  readonly opensSpans: boolean
  /**
   * The `HttpClient` this transport stands in for. The client uses the transport only while that
   * very client is the environment's `HttpClient` and no `transformClient` is given, so that
   * middleware (a wrapped client, another layer) always sees every request.
   */
  readonly httpClient: HttpClient.HttpClient
}

/**
 * The transport a platform layer provides; absent, the client adapts the `HttpClient`.
 *
 * @since 0.1.0
 * @category Tags
 */
export class Transport extends Context.Tag("@paymentflow/core/Transport")<Transport, Service>() {}
