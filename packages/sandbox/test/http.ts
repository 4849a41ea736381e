/**
 * A tiny black-box client for the tests: plain `fetch` against a running sandbox server.
 */
import { CODES, type Code, ErrorBody } from "@paymentflow/core/ErrorBody"
import * as Schema from "effect/Schema"
import { expect } from "vitest"

/** The API version these raw-HTTP tests are written for: named, never the SDK's pin. */
const API_VERSION = "2025-06-01"

let counter = 0
/** A fresh well-formed secret key (idempotency and rate limits are per key). */
export const freshKey = (kind: "sk" | "pk" = "sk"): string => {
  counter += 1
  return `${kind}_test_${String(counter).padStart(6, "0")}${Math.random().toString(36).slice(2, 12).padEnd(10, "x")}`
}

/** A unique email, to filter one test's objects out of the shared account. */
export const uniqueEmail = (): string => {
  counter += 1
  return `t${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The parsed body (`undefined` when it is not JSON). */
  readonly body: unknown
}

export interface CallOptions {
  readonly key?: string | null
  readonly body?: unknown
  readonly rawBody?: string | Uint8Array<ArrayBuffer>
  readonly headers?: Record<string, string>
}

export const client = (baseUrl: string, defaultKey: string = freshKey()) =>
  async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { "PaymentFlow-Version": API_VERSION }
    const key = options.key === undefined ? defaultKey : options.key
    if (key !== null) headers["Authorization"] = `Bearer ${key}`
    let body: string | Uint8Array<ArrayBuffer> | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers["Content-Type"] = "application/json"
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, ...options.headers }, body: body ?? null })
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, text, body: parsed }
  }

export const card = (number: string) => ({ card: { number, exp_month: 12, exp_year: 2099, cvc: "123" } })

/** Asserts the contract's error envelope for `code` (status and type from core's table). */
export const expectError = (reply: Reply, code: Code, field?: string) => {
  const [status, type] = CODES[code]
  expect({ status: reply.status, text: reply.text.slice(0, 300) }).toMatchObject({ status })
  const body = Schema.decodeUnknownSync(ErrorBody)(reply.body, { onExcessProperty: "error" })
  expect(body.error.type).toBe(type)
  expect(body.error.code).toBe(code)
  expect(body.error.message.length).toBeGreaterThan(0)
  expect(body.error.field).toBe(field)
  return body.error
}

/** Asserts a 200 and decodes the wire body with a core schema (snake_case → camelCase). */
export const decode = <A, I>(schema: Schema.Schema<A, I>, reply: Reply): A => {
  expect({ status: reply.status, text: reply.text.slice(0, 300) }).toMatchObject({ status: 200 })
  return Schema.decodeUnknownSync(schema)(reply.body, { onExcessProperty: "error" })
}
