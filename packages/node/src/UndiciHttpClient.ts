/**
 * A thin `HttpClient` over `undici`'s `Agent.request` with a keep-alive connection pool: no
 * global `fetch` (about twice the cost per request) and no `node:http` default agent. `undici`
 * is loaded when the layer is built, not when the package is imported. The layers also provide
 * the PaymentFlow client's transport port on the same pool ({@link transport}).
 *
 * @since 0.1.0
 */
import * as Transport from "@paymentflow/core/Transport"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Undici from "undici"
import * as internal from "./internal/transport.js"

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

const inspectResponse = (response: HttpClientResponse.HttpClientResponse) =>
  HttpIncomingMessage.inspect(response, {
    _id: "@effect/platform/HttpClientResponse",
    request: response.request.toJSON(),
    status: response.status
  })

/**
 * A response whose body was read whole before it was returned: one async boundary per request
 * instead of two. The SDK reads every body whole anyway (small JSON documents).
 */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly rawHeaders: ResponseData["headers"],
    readonly body: string
  ) {
    super()
  }

  #headers: Headers.Headers | undefined
  get headers(): Headers.Headers {
    return this.#headers ??= Headers.fromInput(this.rawHeaders)
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  #fail(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.succeed(this.body)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: (): unknown => this.body === "" ? null : JSON.parse(this.body),
      catch: (cause) => this.#fail(cause)
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => {
      const bytes = new TextEncoder().encode(this.body)
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(this.#fail(new Error("formData bodies are not supported")))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(this.body)), catch: (cause) => this.#fail(cause) })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(new TextEncoder().encode(this.body))
  }

  toJSON(): unknown {
    return inspectResponse(this)
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

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal
): Promise<BufferedResponse> => {
  const body = bodyOf(request)
  if (body === undefined) return Promise.reject(new Error(`${request.body._tag} bodies are not supported`))
  return dispatcher.request({
    signal,
    method: request.method,
    origin: url.origin,
    path: url.pathname + url.search,
    headers: request.headers,
    body,
    // Timeouts are Effect's (per attempt, with retries), not the socket's.
    headersTimeout: 0,
    bodyTimeout: 0
  }).then((source) => source.body.text().then((text) => new BufferedResponse(request, source.statusCode, source.headers, text)))
}


/**
 * The transport port (`@paymentflow/core/Transport`) on undici's dispatcher handler API, standing
 * in for `httpClient` (the client {@link make} built on the same dispatcher): one `Effect.async`
 * per attempt whose interruption aborts the request, the per-attempt timeout as a timer inside
 * the request (no `Effect.timeout` fibers), no `http.client` span (the PaymentFlow client names
 * its operation's span in `traceparent`), the whole body read before it resumes.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const transport: (dispatcher: Undici.Dispatcher, httpClient: HttpClient.HttpClient) => Transport.Service =
  internal.make

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause })

/**
 * An `HttpClient` on the given undici dispatcher. Responses are read whole before they are
 * returned (this client is for JSON APIs, not for streaming downloads).
 *
 * With tracing off (the Promise client's default) a request is one `Effect.async` whose
 * interruption aborts it. With tracing on, it goes through `HttpClient.make`, which adds the
 * `http.client` span and the `traceparent`/`b3` headers.
 *
 * The PaymentFlow client does not go through `execute`: it sends on {@link transport}, which the
 * layers provide beside this client.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const traced = HttpClient.make((request, url, signal) =>
    Effect.tryPromise({ try: () => send(dispatcher, request, url, signal), catch: (cause) => transportError(request, cause) })
  )
  const fast = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
    let url: URL
    try {
      url = UrlParams.makeUrl(request.url, request.urlParams, request.hash).pipe((result) => {
        if (result._tag === "Left") throw result.left
        return result.right
      })
    } catch (cause) {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause }))
    }
    return Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume, signal) => {
      send(dispatcher, request, url, signal).then(
        (response) => resume(Effect.succeed(response)),
        (cause: unknown) => resume(Effect.fail(transportError(request, cause)))
      )
    })
  }
  const client = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) =>
          fiber.getFiberRef(FiberRef.currentTracerEnabled) ? traced.execute(request) : fast(request)
        )),
    (request) => Effect.succeed(request)
  )
  return client
}


/**
 * A pooled keep-alive `undici.Agent`, closed (in-flight requests aborted) with the scope: the
 * `HttpClient` on it and, for the PaymentFlow client, the {@link transport} on it.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient | Transport.Transport> =>
  Layer.scopedContext(
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
      const client = make(agent)
      return Context.make(HttpClient.HttpClient, client).pipe(
        Context.add(Transport.Transport, transport(agent, client))
      )
    })
  )

/**
 * {@link layerWith} with the default pool.
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Transport.Transport> = layerWith()
