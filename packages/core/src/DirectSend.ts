/**
 * The direct-send protocol between the client and an `HttpClient` that can do better than the
 * generic path: such a client carries, under {@link DirectSendKey}, a function that sends one
 * request and reads its whole body with the per-attempt timeout inside the transport (a timer
 * cleared on completion that aborts the request), answering through callbacks. The client then
 * skips `HttpClientRequest`/`HttpClientResponse`, the platform's `http.client` span and
 * `Effect.timeout`'s two fibers per attempt. `@paymentflow/node`'s undici client implements it;
 * a client wrapped by `transformClient` (or any other `HttpClient`) does not carry the symbol and
 * takes the generic path. Same behaviour either way: the request is aborted on timeout and on
 * interruption.
 *
 * @since 0.1.0
 */

/**
 * The key of the protocol: a registered symbol.
 *
 * @since 0.1.0
 * @category Symbols
 */
export const DirectSendKey: unique symbol = Symbol.for("@paymentflow/core/HttpClient/directSend")

/**
 * One request.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DirectRequest {
  readonly method: string
  /** `scheme://host:port`. */
  readonly origin: string
  /** Path and query string. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** Milliseconds from sending to having read the whole body; `Infinity`: no timer. */
  readonly timeoutMs: number
}

/**
 * Response headers as undici hands them over.
 *
 * @since 0.1.0
 * @category Models
 */
export type DirectResponseHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * The answers: exactly one of them is called, at most once.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DirectCallbacks {
  readonly onResponse: (status: number, headers: DirectResponseHeaders, body: string) => void
  /** The request failed; `timedOut` when the timer fired (the request was aborted). */
  readonly onError: (cause: unknown, timedOut: boolean) => void
}

/**
 * Sends one request; the returned function aborts it (no callback is called afterwards).
 *
 * @since 0.1.0
 * @category Models
 */
export type DirectSend = (request: DirectRequest, callbacks: DirectCallbacks) => () => void
