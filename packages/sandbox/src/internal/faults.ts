/**
 * The `PaymentFlow-Sandbox-Fault` request header (honoured only with the `faults` option):
 * a comma-separated list of `drop-after-commit`, `500`, `503`, `429`, `delay=<ms>`, `truncate`,
 * `html-502`.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"

export const HEADER = "paymentflow-sandbox-fault"
export const MAX_DELAY_MS = 600_000

export interface Faults {
  /** Answer at once with this status (no side effect). */
  readonly status?: 500 | 503 | 429 | 502 | undefined
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
 * the in-process client fails the request with a transport error.
 */
export class Transport extends Context.Tag("@paymentflow/sandbox/Transport")<Transport, {
  readonly drop: Effect.Effect<void>
}>() {}
