/**
 * The SDK-against-sandbox verdict both random-params suites compare (`properties.test.ts` for the
 * user's rows, `controlRows.test.ts` for the sandbox-only ones): did the SDK refuse the input
 * locally (nothing sent, a `ValidationError`), and did the sandbox answer it the same way?
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"

/** The SDK's side: a client that records whether anything was sent, and answers `{}`. */
export const recording = () => {
  let sent = 0
  const client = HttpClient.make((request) =>
    Effect.sync(() => {
      sent++
      return HttpClientResponse.fromWeb(request, new Response("{}", { status: 200, headers: { "content-type": "application/json" } }))
    })
  )
  return { sent: () => sent, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Parameter-rule codes: a request the SDK sends must never get one of these back. */
const RULE_CODES = new Set(["parameter_missing", "parameter_invalid", "parameter_unknown", "amount_too_large"])

/** What the SDK made of one input: refused locally (with its code and field), or sent. */
export interface Verdict {
  readonly sent: boolean
  readonly code?: string | undefined
  readonly field?: string | undefined
}

/** The SDK's verdict from a call's exit and whether the recording client saw a request. */
export const verdictOf = (exit: Exit.Exit<unknown, unknown>, sent: boolean): Verdict => {
  const failure = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
  return !sent && typeof failure === "object" && failure !== null && "_tag" in failure && failure._tag === "ValidationError" &&
      "code" in failure && typeof failure.code === "string"
    ? { sent: false, code: failure.code, field: "field" in failure && typeof failure.field === "string" ? failure.field : undefined }
    : { sent }
}

/**
 * The sandbox agrees: an input the SDK refused gets 400 with the same code and field; one it sent
 * never gets a parameter rule's 400 back.
 */
export const expectAgreement = (
  sdk: Verdict,
  server: { readonly status: number; readonly code?: string | undefined; readonly field?: string | undefined },
  label: string
): void => {
  if (!sdk.sent) {
    expect({ status: server.status, code: server.code, field: server.field }, label).toEqual({ status: 400, code: sdk.code, field: sdk.field })
  } else {
    expect(server.status === 400 && server.code !== undefined && RULE_CODES.has(server.code), label).toBe(false)
  }
}
