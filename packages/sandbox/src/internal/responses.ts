import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type Code, CODES, ErrorBody } from "@paymentflow/core/ErrorBody"
import * as Schema from "effect/Schema"

const encodeErrorBody = Schema.encodeSync(ErrorBody)

/** Whether a code read from a Schema annotation is one of the contract's codes. */
export const isCode = (code: string): code is Code => Object.prototype.hasOwnProperty.call(CODES, code)

/** The contract's error envelope with the status of its code (from core's `CODES`). */
export const error = (
  code: Code,
  message: string,
  options?: { readonly field?: string | undefined; readonly headers?: Readonly<Record<string, string>> | undefined }
): HttpServerResponse.HttpServerResponse => {
  const [status, type] = CODES[code]
  const body = encodeErrorBody({
    error: options?.field === undefined ? { type, code, message } : { type, code, message, field: options.field }
  })
  return HttpServerResponse.unsafeJson(body, { status, headers: options?.headers ?? {} })
}

/** A 200 JSON response of an already-encoded (wire) value. */
export const json = (body: unknown): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson(body)
