/**
 * A scripted `HttpClient` for tests: records every request and answers from a script, with
 * canned responses, transport failures, or requests that never answer (to test timeouts and
 * interruption, recording whether the request's `AbortSignal` fired).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** Set when the request's signal fired (interruption, timeout). */
  aborted: boolean
}

export type Reply =
  | { readonly status: number; readonly json?: unknown; readonly text?: string; readonly headers?: Record<string, string> }
  | { readonly transport: "connection_failed" }
  | { readonly hang: true }

export type Script = (request: Recorded, index: number) => Reply

const decoder = new TextDecoder()

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Uint8Array":
      return decoder.decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : undefined
    default:
      return undefined
  }
}

export interface Scripted {
  readonly requests: Array<Recorded>
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

export const make = (script: Script): Scripted => {
  const requests: Array<Recorded> = []
  const client = HttpClient.make((request, url, signal) => {
    const recorded: Recorded = {
      method: request.method,
      url,
      headers: { ...request.headers },
      body: bodyText(request),
      aborted: false
    }
    signal.addEventListener("abort", () => {
      recorded.aborted = true
    })
    const index = requests.length
    requests.push(recorded)
    const reply = script(recorded, index)
    if ("transport" in reply) {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error("ECONNRESET") }))
    }
    if ("hang" in reply) return Effect.never
    const body = reply.text ?? (reply.json === undefined ? null : JSON.stringify(reply.json))
    const headers = new Headers({ "request-id": `req_${String(index).padStart(24, "0")}`, ...reply.headers })
    if (reply.json !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json")
    return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: reply.status, headers })))
  })
  return { requests, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export { paymentJson } from "../../../../test/fixtures/wire.js"

export const errorJson = (type: string, code: string, message: string, field?: string) => ({
  error: { type, code, message, ...(field === undefined ? {} : { field }) }
})

/** Ids of the contract's shape: prefix, `_`, 24 letters or digits. */
export const id = (prefix: "pay" | "ref" | "cus", n: number): string => `${prefix}_${String(n).padStart(24, "0")}`
