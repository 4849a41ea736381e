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

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]!.length === size) return chunks[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.length
  }
  return out
}

/** Collects chunks: at most `max` bytes kept, and whether to stop reading (more than 16× `max` seen). */
const collector = (max: number) => {
  const chunks: Array<Uint8Array> = []
  let size = 0
  return {
    push: (chunk: Uint8Array): boolean => {
      if (size + chunk.length <= max) chunks.push(chunk)
      size += chunk.length
      return size > max * 16
    },
    /** The body, or `undefined` when it is larger than `max`. */
    result: (): Uint8Array | undefined => (size > max ? undefined : concat(chunks, size))
  }
}

/**
 * The Node server's request (an `http.IncomingMessage`), seen by shape: no `node:stream` import,
 * so the in-process sandbox still runs wherever Effect runs.
 */
interface EventReadable {
  on(event: string, listener: (arg: Uint8Array) => void): unknown
  removeListener(event: string, listener: (arg: Uint8Array) => void): unknown
  destroy(): unknown
  readonly readableEnded: boolean
}

const isEventReadable = (u: unknown): u is EventReadable =>
  typeof u === "object" && u !== null && "on" in u && typeof u.on === "function" &&
  "removeListener" in u && typeof u.removeListener === "function" && "destroy" in u && typeof u.destroy === "function" &&
  "readableEnded" in u && typeof u.readableEnded === "boolean"

const isWebRequest = (u: unknown): u is Request => typeof Request === "function" && u instanceof Request

/** Reads a Node request with its events (what `Stream` over it costs is most of a small POST's time). */
const readEvents = (source: EventReadable, max: number): Effect.Effect<Uint8Array | undefined, "unreadable"> =>
  Effect.async((resume) => {
    const body = collector(max)
    const cleanup = () => {
      source.removeListener("data", onData)
      source.removeListener("end", onEnd)
      source.removeListener("error", onError)
      source.removeListener("close", onError)
    }
    const onData = (chunk: Uint8Array) => {
      if (body.push(chunk)) {
        // far too large: stop reading, as the client is not going to stop sending
        cleanup()
        source.destroy()
        resume(Effect.succeed(undefined))
      }
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed(body.result()))
    }
    const onError = () => {
      cleanup()
      resume(Effect.fail("unreadable"))
    }
    if (source.readableEnded) return resume(Effect.fail("unreadable"))
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onError)
    source.on("close", onError)
    return Effect.sync(cleanup)
  })

/** Reads a web `Request`'s body with its reader (a bodiless request is an empty body). */
const readWeb = (source: Request, max: number): Effect.Effect<Uint8Array | undefined, "unreadable"> =>
  source.body === null ? Effect.succeed(new Uint8Array(0)) : Effect.tryPromise({
    try: async () => {
      const reader = source.body!.getReader()
      const body = collector(max)
      while (true) {
        const next = await reader.read()
        if (next.done) break
        if (body.push(next.value)) {
          await reader.cancel()
          return undefined
        }
      }
      return body.result()
    },
    catch: () => "unreadable" as const
  })

/** Any other request: through its `Stream`. */
const readStream = (request: HttpServerRequest.HttpServerRequest, max: number): Effect.Effect<Uint8Array | undefined, "unreadable"> =>
  Effect.suspend(() => {
    const body = collector(max)
    let tooLarge = false
    return request.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          tooLarge = body.push(chunk)
          return !tooLarge
        })
      ),
      Effect.map(() => (tooLarge ? undefined : body.result())),
      Effect.catchAll((error) =>
        // a web `Request` without a body has no stream
        error.reason === "Decode" && error.cause === undefined && /empty body/.test(error.description ?? "")
          ? Effect.succeed(new Uint8Array(0))
          : Effect.fail("unreadable" as const)
      )
    )
  })

/** Reads at most `max` bytes (and drains up to 16× more so the client can read the 413). */
const readBody = (request: HttpServerRequest.HttpServerRequest, max: number): Effect.Effect<Uint8Array | undefined, "unreadable"> => {
  const source = request.source
  if (isWebRequest(source)) return readWeb(source, max)
  if (isEventReadable(source)) return readEvents(source, max)
  return readStream(request, max)
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true })

const bodyUnreadable = () => Responses.error("body_invalid", "The request body could not be read")

/** The parameters in a body already read (at most `maxBodyBytes`), or the error response that refuses it. */
const parseBody = (
  request: HttpServerRequest.HttpServerRequest,
  bytes: Uint8Array | undefined,
  tooLarge: () => HttpServerResponse
): Effect.Effect<Record<string, unknown>, HttpServerResponse> => {
  if (bytes === undefined) return Effect.fail(tooLarge())
  if (bytes.length === 0) return Effect.succeed({})
  const contentType = request.headers["content-type"]
  if (contentType === undefined || !isJsonContentType(contentType)) {
    return Effect.fail(
      Responses.error("content_type_invalid", "The request body must be JSON with Content-Type: application/json (UTF-8)")
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(fatalUtf8.decode(bytes))
  } catch {
    return Effect.fail(Responses.error("body_invalid", "The request body is not valid UTF-8 JSON"))
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return Effect.fail(Responses.error("body_invalid", "The request body must be a JSON object"))
  }
  return Effect.succeed({ ...parsed })
}

/**
 * The raw parameters of a request, or the error response that refuses it. `url` is needed only
 * for GET and DELETE (their parameters are the query); `null` for a body request.
 */
export const readInput = (
  request: HttpServerRequest.HttpServerRequest,
  url: URL | null,
  maxBodyBytes: number
): Effect.Effect<Record<string, unknown>, HttpServerResponse> => {
  if (request.method === "GET" || request.method === "DELETE") {
    const parsed = url ?? parseUrl(request.url)
    return Effect.succeed(parsed === undefined ? {} : queryRecord(parsed))
  }
  // built only when needed: an error response encodes its body with a Schema
  const tooLarge = () => Responses.error("body_too_large", `The request body must be at most ${maxBodyBytes} bytes`)
  const declared = request.headers["content-length"]
  if (declared !== undefined && Number(declared) > maxBodyBytes) return Effect.fail(tooLarge())
  return Effect.matchEffect(readBody(request, maxBodyBytes), {
    onFailure: () => Effect.fail(bodyUnreadable()),
    onSuccess: (bytes) => parseBody(request, bytes, tooLarge)
  })
}
