/**
 * The transport port's generic implementation: one attempt on any `HttpClient` (fetch in the
 * browser, a scripted client in tests, a `transformClient` wrapper, the in-process sandbox). The
 * per-attempt timeout is an `Effect.timeout` (two fibers per attempt, skipped when infinite);
 * interruption aborts the request through the platform client.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Transport from "../Transport.js"

const failed = (error: HttpClientError.HttpClientError, response?: { readonly status: number; readonly headers: Headers.Headers }) =>
  new Transport.TransportError({
    reason: "Failed",
    cause: error.cause === undefined ? error.reason : error.cause,
    status: response?.status,
    headers: response?.headers
  })

const toRequest = (request: Transport.Request): HttpClientRequest.HttpClientRequest => {
  const url = request.origin + request.path
  const headers = Headers.fromInput(request.headers)
  if (request.body === undefined) {
    return request.method === "GET"
      ? HttpClientRequest.get(url, { headers })
      : HttpClientRequest.make(request.method)(url, { headers })
  }
  // The body sets `content-type` (the same) and `content-length`.
  const contentType = request.headers["content-type"] ?? "application/json"
  return HttpClientRequest.make(request.method)(url, { headers, body: HttpBody.text(request.body, contentType) })
}

/** The port over one `HttpClient`. */
export const fromHttpClient = (client: HttpClient.HttpClient): Transport.Service => ({
  // No platform `http.client` span, for any request: after a transport failure that span ends
  // with a `RequestError` that keeps its request, and rendered outside a fiber (an exporter's
  // `JSON.stringify`) the request's headers are not redacted — the `Authorization` header, key
  // and all. Its `url.full`/`url.query` would also record a client secret. The operation's span
  // (path template, status, request id, attempts) is the one span, as on undici, and the one
  // named in `traceparent`/`b3`. (A `transformClient` that sets `withTracerDisabledWhen` itself
  // is closer to the call and wins: its choice, documented in the changeset.)
  opensSpans: false,
  httpClient: client,
  send: (request) => {
    const execute = Effect.locally(client.execute(toRequest(request)), HttpClient.currentTracerDisabledWhen, () => true)
    const send = Effect.matchEffect(execute, {
      onFailure: (error) => Effect.fail(failed(error)),
      onSuccess: (response) =>
        Effect.matchEffect(response.text, {
          onFailure: (error) => Effect.fail(failed(error, response)),
          onSuccess: (body): Effect.Effect<Transport.Response> =>
            Effect.succeed({ status: response.status, headers: response.headers, body })
        })
    })
    return Number.isFinite(request.timeoutMs)
      ? Effect.timeoutFail(send, {
        duration: Duration.millis(request.timeoutMs),
        onTimeout: () => new Transport.TransportError({ reason: "TimedOut", cause: undefined })
      })
      : send
  }
})
