/**
 * Reading a request's parameters: the query string (GET, DELETE) or the JSON body (POST, PATCH),
 * with the contract's answers for a body too large (413), of the wrong type (415) or unreadable (400).
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { HttpServerResponse } from "@effect/platform/HttpServerResponse"
import * as Responses from "./responses.js"

/** The path and query of a request URL (which may be absolute or just a path). */
export const parseUrl = (url: string): URL | undefined => {
  try {
    return new URL(url, "http://sandbox.invalid")
  } catch {
    return undefined
  }
}

/**
 * The path exactly as sent: `new URL` would resolve `..` segments, and a `..` id must reach the
 * router as an (unknown) id, not as a different route.
 */
export const rawPath = (url: string): string => {
  if (url.startsWith("/")) {
    const end = url.search(/[?#]/)
    return end === -1 ? url : url.slice(0, end)
  }
  return parseUrl(url)?.pathname ?? ""
}

/**
 * The query string as a record: one value → string, repeated key → array (which then fails decoding).
 * A null-prototype object: `?__proto__=x` must stay an own (unknown) parameter, not reach the
 * record's prototype, where no check would see it.
 */
export const queryRecord = (url: URL): Record<string, string | Array<string>> => {
  const out: Record<string, string | Array<string>> = Object.create(null)
  for (const [k, v] of url.searchParams) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

const isJsonContentType = (value: string): boolean => {
  const [media, ...params] = value.split(";").map((s) => s.trim().toLowerCase())
  if (media !== "application/json") return false
  return params.every((p) => !p.startsWith("charset=") || p === "charset=utf-8" || p === "charset=\"utf-8\"")
}

/** Reads at most `max` bytes (and drains up to 16× more so the client can read the 413). */
const readBody = (request: HttpServerRequest.HttpServerRequest, max: number) =>
  request.stream.pipe(
    Stream.runFoldWhile(
      { chunks: [] as Array<Uint8Array>, size: 0 },
      (s) => s.size <= max * 16,
      (s, chunk) => {
        if (s.size + chunk.length <= max) s.chunks.push(chunk)
        return { chunks: s.chunks, size: s.size + chunk.length }
      }
    ),
    Effect.map(({ chunks, size }) => {
      if (size > max) return undefined
      const out = new Uint8Array(size)
      let offset = 0
      for (const c of chunks) {
        out.set(c, offset)
        offset += c.length
      }
      return out
    })
  )

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * The raw parameters of a request, or the error response that refuses it.
 */
export const readInput = (
  request: HttpServerRequest.HttpServerRequest,
  url: URL,
  maxBodyBytes: number
): Effect.Effect<Record<string, unknown>, HttpServerResponse> =>
  Effect.gen(function*() {
    if (request.method === "GET" || request.method === "DELETE") return queryRecord(url)
    const tooLarge = Responses.error("body_too_large", `The request body must be at most ${maxBodyBytes} bytes`)
    const declared = request.headers["content-length"]
    if (declared !== undefined && Number(declared) > maxBodyBytes) return yield* Effect.fail(tooLarge)
    const bytes = yield* readBody(request, maxBodyBytes).pipe(
      Effect.catchAll((error) =>
        // a web `Request` without a body (the in-process client's bodiless POST) has no stream
        error.reason === "Decode" && error.cause === undefined && /empty body/.test(error.description ?? "")
          ? Effect.succeed(new Uint8Array(0))
          : Effect.fail(Responses.error("body_invalid", "The request body could not be read"))
      )
    )
    if (bytes === undefined) return yield* Effect.fail(tooLarge)
    if (bytes.length === 0) return {}
    const contentType = request.headers["content-type"]
    if (contentType === undefined || !isJsonContentType(contentType)) {
      return yield* Effect.fail(
        Responses.error("content_type_invalid", "The request body must be JSON with Content-Type: application/json (UTF-8)")
      )
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(fatalUtf8.decode(bytes))
    } catch {
      return yield* Effect.fail(Responses.error("body_invalid", "The request body is not valid UTF-8 JSON"))
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return yield* Effect.fail(Responses.error("body_invalid", "The request body must be a JSON object"))
    }
    return { ...parsed }
  })
