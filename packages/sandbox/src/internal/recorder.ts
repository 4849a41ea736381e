/**
 * The requests a test kit's client sent to its sandbox, as a test reads them: operation, method,
 * path, idempotency key, parameters with card numbers and secrets redacted, and the answer's
 * status and request id. Recorded at the kit's in-process `fetch`, so the key never is (the
 * `Authorization` header is not kept).
 */
import { HEADERS } from "@paymentflow/core/Headers"
import type { RecordedRequest } from "../PaymentFlowTest.js"
import { operationOf } from "./operations.js"

const REDACTED = "[redacted]"
const CARD_NUMBER = /^\d{12,19}$/

/** A JSON value with card numbers (last four kept), CVCs and secrets replaced. */
export const redact = (value: unknown, key?: string): unknown => {
  if (Array.isArray(value)) return value.map((v) => redact(v))
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]))
  }
  if (typeof value !== "string") return value
  const name = key?.toLowerCase() ?? ""
  if (name === "cvc" || name.includes("secret") || name === "authorization") return REDACTED
  const digits = value.replace(/[\s-]/g, "")
  if (name === "number" || CARD_NUMBER.test(digits)) return digits.length >= 4 ? `****${digits.slice(-4)}` : REDACTED
  return value
}

const paramsOf = (method: string, url: URL, body: string): unknown => {
  if (method === "GET" || method === "DELETE") return redact(Object.fromEntries(url.searchParams))
  if (body === "") return {}
  try {
    return redact(JSON.parse(body))
  } catch {
    return REDACTED // not JSON: kept out rather than risk a card number in it
  }
}

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

export const make = () => {
  const log: Array<Mutable<RecordedRequest>> = []
  const wrap = (handler: (request: Request, signal?: AbortSignal | null) => Promise<Response>) =>
  async (request: Request, signal?: AbortSignal | null): Promise<Response> => {
    const url = new URL(request.url)
    const body = request.body === null ? "" : await request.clone().text()
    const entry: Mutable<RecordedRequest> = {
      operation: operationOf(request.method, url.pathname),
      method: request.method,
      path: url.pathname,
      idempotencyKey: request.headers.get(HEADERS.idempotencyKey.name) ?? undefined,
      params: paramsOf(request.method, url, body),
      status: undefined,
      requestId: undefined,
      replayed: false
    }
    log.push(entry)
    const response = await handler(request, signal)
    entry.status = response.status
    entry.requestId = response.headers.get(HEADERS.requestId.name) ?? undefined
    entry.replayed = response.headers.get(HEADERS.idempotentReplayed.name) === "true"
    return response
  }
  return {
    wrap,
    /** Oldest first, copies. */
    requests: (): ReadonlyArray<RecordedRequest> => log.map((e) => ({ ...e }))
  }
}
