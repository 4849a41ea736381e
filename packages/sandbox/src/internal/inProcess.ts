/**
 * Serving an `HttpApp` in process: a web handler (a `Request` in, a `Response` out) running the
 * app in the caller's runtime, and a `fetch` over it. The sandbox's in-process client and the test
 * kit's in-process app share it.
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import { Transport } from "./faults.js"

/**
 * The error a `drop-after-commit` fault turns an in-process request into: the change is applied
 * but no response arrives, as when a connection is reset.
 *
 */
/** @internal (exported by `Sandbox.ts`) */
export class ConnectionDropped extends TypeError {
  constructor() {
    super("fetch failed: the sandbox dropped the connection after committing the request (fault drop-after-commit)")
    this.name = "ConnectionDropped"
  }
}

/** Where the in-process handler puts a request's answer (one slot per request, never shared). */
interface Pending {
  response: HttpServerResponse.HttpServerResponse | undefined
}

/**
 * The web handler of the in-process sandbox: a `Request` in, a `Response` out, the app running in
 * `runtime` (the caller's, so `TestClock` drives it).
 *
 * Not `HttpApp.toWebHandlerRuntime`: that one adds an `abort` listener to every request's signal
 * and never removes it. The signal `FetchHttpClient` passes belongs to an `AbortController` that
 * `HttpClient` keeps (a `FinalizationRegistry` held value) until the response object is collected,
 * and the listener holds the finished request fiber — its context, the request, the response —
 * so every in-process request kept ~11 KB alive. Here the listener is removed as soon as the
 * fiber ends, and the request's context is a fresh one (no shared mutable runtime).
 *
 * `signal` (default: the request's own) is the one whose abort interrupts the request. The fetch
 * bridge passes the client's signal here and builds its `Request` without one: a web `Request`
 * made with a signal follows it through listeners and finalization-registry entries of its own,
 * which `HttpClient`'s long-lived `AbortController` would keep alive too.
 */
export const webHandler = <E>(runtime: Runtime.Runtime<never>, app: HttpApp.Default<E>) => {
  const run = Runtime.runFork(runtime)
  // `toHandled`: the same request scope, error answers and server tracing as every `HttpServer`
  const handled = HttpApp.toHandled(app, (request, response) =>
    Effect.sync(() => {
      pendingOf.get(request)!.response = response
    }))
  const pendingOf = new WeakMap<HttpServerRequest.HttpServerRequest, Pending>()
  return (request: Request, signal: AbortSignal | null | undefined = request.signal): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      // the `drop-after-commit` fault's Transport (see internal/faults.ts): the request fails as a reset connection would
      let dropped = false
      const transport = Transport.of({
        drop: Effect.sync(() => {
          dropped = true
        })
      })
      const serverRequest = HttpServerRequest.fromWeb(request)
      const pending: Pending = { response: undefined }
      pendingOf.set(serverRequest, pending)
      const fiber = run(handled.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, serverRequest),
        Effect.provideService(Transport, transport)
      ))
      const onAbort = () => fiber.unsafeInterruptAsFork(HttpServerError.clientAbortFiberId)
      signal?.addEventListener("abort", onAbort, { once: true })
      fiber.addObserver(() => {
        signal?.removeEventListener("abort", onAbort)
        const response = pending.response
        if (dropped) {
          reject(new ConnectionDropped())
        } else if (response === undefined) {
          // interrupted before an answer (the client went away): what a reset connection gives
          reject(new TypeError("fetch failed: the request was aborted"))
        } else {
          resolve(HttpServerResponse.toWeb(response, { withoutBody: request.method === "HEAD", runtime }))
        }
      })
    })
}

/** The web handler of `app` in the current runtime. */
export const handlerOf = <E>(app: HttpApp.Default<E>) => Effect.map(Effect.runtime<never>(), (runtime) => webHandler(runtime, app))

/** `fetch` over a web handler (the client's signal interrupts; the `Request` is built without one: see `webHandler`). */
export const fetchOf = (handler: (request: Request, signal?: AbortSignal | null) => Promise<Response>): typeof globalThis.fetch =>
(input, init) => {
  const signal = init?.signal ?? (input instanceof Request ? input.signal : null)
  return handler(new Request(input, { ...init, signal: null }), signal)
}

