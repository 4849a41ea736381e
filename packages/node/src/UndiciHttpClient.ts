/**
 * A thin `HttpClient` over `undici`'s `Agent.request` with a keep-alive connection pool: no
 * global `fetch` (about twice the cost per request) and no `node:http` default agent. `undici`
 * is loaded when the layer is built, not when the package is imported.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Undici from "undici"

/**
 * Options of the connection pool.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** How long an idle connection is kept open (default 10 s). */
  readonly keepAliveTimeout?: number | undefined
  /** The most connections per origin (default: unbounded). */
  readonly connections?: number | undefined
}

type ResponseData = Undici.Dispatcher.ResponseData

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(readonly request: HttpClientRequest.HttpClientRequest, readonly source: ResponseData) {
    super()
    // A body error with no reader yet must not become an unhandled 'error' event.
    source.body.on("error", () => {})
  }

  get status(): number {
    return this.source.statusCode
  }

  #headers: Headers.Headers | undefined
  get headers(): Headers.Headers {
    return this.#headers ??= Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  #fail(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  #text: Effect.Effect<string, HttpClientError.ResponseError> | undefined
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.#text ??= Effect.runSync(Effect.cached(Effect.tryPromise({
      try: () => this.source.body.text(),
      catch: (cause) => this.#fail(cause)
    })))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => text === "" ? null : JSON.parse(text),
        catch: (cause) => this.#fail(cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.tryPromise({ try: () => this.source.body.arrayBuffer(), catch: (cause) => this.#fail(cause) })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(this.#fail(new Error("formData bodies are not supported")))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: (cause) => this.#fail(cause) }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromAsyncIterable<Uint8Array, HttpClientError.ResponseError>(this.source.body, (cause) => this.#fail(cause))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const bodyOf = (request: HttpClientRequest.HttpClientRequest): string | Uint8Array | null | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array ? body.body : undefined
    default:
      return undefined
  }
}

/**
 * An `HttpClient` on the given undici dispatcher.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    const body = bodyOf(request)
    if (body === undefined) {
      return Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Encode", cause: new Error(`${request.body._tag} bodies are not supported`) })
      )
    }
    return Effect.map(
      Effect.tryPromise({
        try: () =>
          dispatcher.request({
            signal,
            method: request.method,
            origin: url.origin,
            path: url.pathname + url.search,
            headers: request.headers,
            body,
            // Timeouts are Effect's (per attempt, with retries), not the socket's.
            headersTimeout: 0,
            bodyTimeout: 0
          }),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      }),
      (source) => new UndiciResponse(request, source)
    )
  })

/**
 * A pooled keep-alive `undici.Agent`, closed (in-flight requests aborted) with the scope.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      const undici = yield* Effect.promise(() => import("undici"))
      const agent = yield* Effect.acquireRelease(
        Effect.sync(() =>
          new undici.Agent({
            keepAliveTimeout: options?.keepAliveTimeout ?? 10_000,
            ...(options?.connections === undefined ? {} : { connections: options.connections })
          })
        ),
        (agent) => Effect.promise(() => agent.destroy())
      )
      return make(agent)
    })
  )

/**
 * {@link layerWith} with the default pool.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
