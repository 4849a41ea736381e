/**
 * The transport port (`@paymentflow/core/Transport`) on undici's dispatcher handler API: what
 * `UndiciHttpClient.transport` is made of.
 *
 * @internal
 */
import * as Transport from "@paymentflow/core/Transport"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Undici from "undici"

/** Response headers as undici hands them over (lowercase names). */
type ResponseHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const allStrings = (headers: ResponseHeaders): headers is Readonly<Record<string, string>> => {
  for (const key in headers) if (typeof headers[key] !== "string") return false
  return true
}

/** The port's header record: a repeated header's values joined, as `Headers.fromInput` does. */
const headerRecord = (headers: ResponseHeaders): Readonly<Record<string, string>> => {
  // Every value is a string already (the common case): no copy.
  if (allStrings(headers)) return headers
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = typeof v === "string" ? v : v.join(", ")
  }
  return out
}

type Resume = (effect: Effect.Effect<Transport.Response, Transport.TransportError>) => void

/** Node's timers overflow past 2^31 − 1 ms (they then fire after 1 ms): longer means no timer. */
const MAX_TIMER_MS = 2_147_483_647

class TimeoutError extends Error {
  constructor() {
    super("The request timed out")
    this.name = "TimeoutError"
  }
}

class AbortedError extends Error {
  constructor() {
    super("The request was aborted")
    this.name = "AbortError"
  }
}

/**
 * One request on undici's dispatcher handler API: no `Readable` body, no promise, no
 * `AbortSignal`; the body's chunks are kept and decoded once at the end. The timer covers the
 * whole exchange (sending to the last byte) and aborts the request when it fires.
 */
class AttemptHandler implements Undici.Dispatcher.DispatchHandler {
  #controller: Undici.Dispatcher.DispatchController | undefined
  #chunks: Array<Buffer> = []
  #status = 0
  #headers: ResponseHeaders = {}
  #timer: ReturnType<typeof setTimeout> | undefined
  #done = false
  readonly #resume: Resume

  constructor(resume: Resume, timeoutMs: number) {
    this.#resume = resume
    if (timeoutMs < MAX_TIMER_MS) this.#timer = setTimeout(() => this.#fail(new TimeoutError(), true), timeoutMs)
  }

  #finish(): boolean {
    if (this.#done) return false
    this.#done = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    return true
  }

  #fail(cause: Error, timedOut: boolean): void {
    if (!this.#finish()) return
    this.#controller?.abort(cause)
    this.#resume(Effect.fail(new Transport.TransportError({ reason: timedOut ? "TimedOut" : "Failed", cause })))
  }

  /** Aborts the request (the attempt was interrupted); it is not resumed afterwards. */
  abort(): void {
    if (!this.#finish()) return
    this.#controller?.abort(new AbortedError())
  }

  onRequestStart(controller: Undici.Dispatcher.DispatchController): void {
    this.#controller = controller
    // Aborted (timer, interruption) while waiting for a connection.
    if (this.#done) controller.abort(new AbortedError())
  }

  onResponseStart(_controller: Undici.Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    // 1xx informational answers come first, each with its own call.
    if (statusCode < 200) return
    this.#status = statusCode
    this.#headers = headers
  }

  onResponseData(_controller: Undici.Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk)
  }

  onResponseEnd(): void {
    if (!this.#finish()) return
    const chunks = this.#chunks
    const text = chunks.length === 1 && chunks[0] !== undefined
      ? chunks[0].toString("utf8")
      : Buffer.concat(chunks).toString("utf8")
    this.#resume(Effect.succeed({ status: this.#status, headers: headerRecord(this.#headers), body: text }))
  }

  onResponseError(_controller: unknown, error: Error): void {
    if (!this.#finish()) return
    // After `onResponseStart` (a reset mid-body, say) the request was sent and answered: the
    // port says so with the status and headers, as the `HttpClient` adapter does.
    const begun = this.#status !== 0
    this.#resume(Effect.fail(
      new Transport.TransportError({
        reason: "Failed",
        cause: error,
        status: begun ? this.#status : undefined,
        headers: begun ? headerRecord(this.#headers) : undefined
      })
    ))
  }
}

/** The port on `dispatcher`, standing in for `httpClient` (see `UndiciHttpClient.transport`). */
export const make = (dispatcher: Undici.Dispatcher, httpClient: HttpClient.HttpClient): Transport.Service => ({
  opensSpans: false,
  httpClient,
  send: (request) =>
    Effect.async<Transport.Response, Transport.TransportError>((resume) => {
      const handler = new AttemptHandler(resume, request.timeoutMs)
      try {
        dispatcher.dispatch({
          method: request.method,
          origin: request.origin,
          path: request.path,
          headers: request.headers,
          body: request.body ?? null,
          // The timer covers the whole exchange, per attempt: not the socket's.
          headersTimeout: 0,
          bodyTimeout: 0
        }, handler)
      } catch (cause) {
        handler.onResponseError(undefined, cause instanceof Error ? cause : new Error(String(cause)))
      }
      return Effect.sync(() => handler.abort())
    })
})
