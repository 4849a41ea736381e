/**
 * Every injected fault, in one module: how it is chosen and where it acts.
 *
 * Chosen in two ways. Queued (`Queue`): the test kit (`PaymentFlowTest.fault`) and the
 * sandbox-only `POST /v1/sandbox/faults` ask for a fault on the next N calls of an operation (for
 * one API key, or any); always honoured, as only a caller holding the key asked for it. By header:
 * only with the `faults` option (`--faults`), the `PaymentFlow-Sandbox-Fault` request header, a comma-separated list of `drop-after-commit`, `500`, `503`, `429`, `delay=<ms>`,
 * `truncate`, `html-502` (an unknown one is a 400 `parameter_invalid`). Parsed once per request by
 * `middleware`, which keeps the choice in a `FiberRef` for the handler.
 *
 * Where each acts:
 * - before the handler (`middleware`): `500`, `503`, `429` (the contract's envelopes, with
 *   `Retry-After` on 503 / 429) and `html-502` (a proxy's HTML page) answer at once, no side effect;
 * - in the handler, once its idempotency key is reserved (`delayed`): `delay=<ms>` sleeps on the Clock;
 * - after the response (`middleware`): `drop-after-commit` asks the `Transport` to drop the
 *   connection (the Node server destroys the socket, the in-process client fails the request),
 *   `truncate` cuts the JSON body in half.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { HEADERS } from "@paymentflow/core/Headers"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Responses from "./responses.js"

export const HEADER = "paymentflow-sandbox-fault"
export const MAX_DELAY_MS = 600_000

export interface Faults {
  /** Answer at once with this status (no side effect). */
  readonly status?: 500 | 503 | 429 | 502 | undefined
  /** The `Retry-After` seconds of a 503 / 429 (default 1; `0`: no header, so a client retries at once). */
  readonly retryAfter?: number | undefined
  /** Sleep (Clock) before handling, while an idempotency key is already reserved. */
  readonly delayMillis?: number | undefined
  /** Apply the change, then destroy the connection without a response. */
  readonly drop?: boolean | undefined
  /** Apply the change, then cut the JSON body in half (with a consistent Content-Length). */
  readonly truncate?: boolean | undefined
}

export const parse = (header: string | undefined): Faults | { readonly invalid: string } => {
  if (header === undefined || header.trim() === "") return {}
  let faults: { -readonly [K in keyof Faults]: Faults[K] } = {}
  for (const raw of header.split(",")) {
    const part = raw.trim().toLowerCase()
    if (part === "drop-after-commit") faults = { ...faults, drop: true }
    else if (part === "truncate") faults = { ...faults, truncate: true }
    else if (part === "500" || part === "503" || part === "429") faults = { ...faults, status: part === "500" ? 500 : part === "503" ? 503 : 429 }
    else if (part === "html-502") faults = { ...faults, status: 502 }
    else if (/^delay=\d{1,6}$/.test(part) && Number(part.slice(6)) <= MAX_DELAY_MS) {
      faults = { ...faults, delayMillis: Number(part.slice(6)) }
    } else return { invalid: raw.trim().slice(0, 40) }
  }
  return faults
}

/**
 * What the transport under the app can do for a request: the Node server destroys the socket,
 * the in-process client fails the request with a transport error (each provides its own).
 */
export class Transport extends Context.Tag("@paymentflow/sandbox/Transport")<Transport, {
  readonly drop: Effect.Effect<void>
}>() {}

/** The faults chosen for the current request (none unless `middleware` set them). */
const current = FiberRef.unsafeMake<Faults>({})

/** The answer of a `status` fault, before any handler runs. */
const immediate = (status: NonNullable<Faults["status"]>, retryAfter = 1): HttpServerResponse.HttpServerResponse => {
  const headers = retryAfter > 0 ? { [HEADERS.retryAfter.name]: String(retryAfter) } : {}
  switch (status) {
    case 500:
      return Responses.error("internal_error", "Injected fault: internal error")
    case 503:
      return Responses.error("service_unavailable", "Injected fault: service unavailable", { headers })
    case 429:
      return Responses.error("rate_limited", "Injected fault: rate limited", { headers })
    case 502:
      return HttpServerResponse.text(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n",
        { status: 502, contentType: "text/html; charset=utf-8" }
      )
  }
}

/** After the response: `drop-after-commit`, then `truncate`. */
const after = (response: HttpServerResponse.HttpServerResponse, faults: Faults) =>
  Effect.gen(function*() {
    if (faults.drop) {
      const transport = yield* Effect.serviceOption(Transport)
      if (Option.isSome(transport)) yield* transport.value.drop
    }
    if (faults.truncate && response.body._tag === "Uint8Array") {
      const body = response.body.body
      return HttpServerResponse.uint8Array(body.slice(0, Math.floor(body.length / 2)), {
        status: response.status,
        headers: response.headers,
        contentType: response.body.contentType
      })
    }
    return response
  })

type App<R> = (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>

/** One queued fault: for the next `remaining` calls of `operation` (any when undefined) made with `apiKey` (any when undefined). */
export interface Queued {
  readonly apiKey: string | undefined
  readonly operation: string | undefined
  readonly faults: Faults
  remaining: number
}

/** The faults asked for the next calls, in the order they were asked. */
export const makeQueue = () => {
  let entries: Array<Queued> = []
  return {
    push: (entry: Queued): void => {
      if (entry.remaining > 0) entries.push(entry)
    },
    /** The first queued fault matching a call, counted as used. */
    take: (apiKey: string | undefined, operation: string | undefined): Faults | undefined => {
      const i = entries.findIndex((e) =>
        (e.apiKey === undefined || e.apiKey === apiKey) && (e.operation === undefined || e.operation === operation)
      )
      if (i === -1) return undefined
      const entry = entries[i]!
      entry.remaining -= 1
      if (entry.remaining <= 0) entries.splice(i, 1)
      return entry.faults
    },
    /** Forgets the queued faults of `apiKey` (all when undefined). */
    clear: (apiKey?: string): void => {
      entries = apiKey === undefined ? [] : entries.filter((e) => e.apiKey !== apiKey)
    },
    get size(): number {
      return entries.length
    }
  }
}

/** @internal */
export type Queue = ReturnType<typeof makeQueue>

/**
 * Wraps the app with the faults a request chose: a queued one (`queued`), else, when the `faults`
 * option is on, its header's. With neither, `app` itself (the header is then not even read).
 */
export const middleware = <R>(
  enabled: boolean,
  queued: ((request: HttpServerRequest.HttpServerRequest) => Faults | undefined) | undefined,
  app: App<R>
): App<R> => {
  if (!enabled && queued === undefined) return app
  return (request) => {
    const fromQueue = queued?.(request)
    const chosen = fromQueue ?? (enabled ? parse(request.headers[HEADER]) : {})
    if ("invalid" in chosen) {
      return Effect.succeed(Responses.error("parameter_invalid", `PaymentFlow-Sandbox-Fault: unknown fault '${chosen.invalid}'`))
    }
    if (chosen.status === undefined && chosen.delayMillis === undefined && !chosen.drop && !chosen.truncate) return app(request)
    if (chosen.status !== undefined) return Effect.succeed(immediate(chosen.status, chosen.retryAfter))
    const served = Effect.locally(app(request), current, chosen)
    return chosen.drop || chosen.truncate ? Effect.flatMap(served, (response) => after(response, chosen)) : served
  }
}

/** `effect` after the request's `delay=<ms>` fault, if it chose one. */
export const delayed = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(FiberRef.get(current), (faults) =>
    faults.delayMillis !== undefined && faults.delayMillis > 0 ? Effect.zipRight(Effect.sleep(faults.delayMillis), effect) : effect)
