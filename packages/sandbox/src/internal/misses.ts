/**
 * What the contract answers when the router finds no route: 405 `method_not_allowed` with
 * `Allow` when the path is a route under another method, 404 `resource_missing` when it names an
 * object the router could not take as an id, else 404 `route_missing`. A per-path method table
 * derived from core's rows (and the sandbox-only routes); consulted only on a miss, so a routed
 * request never pays for it.
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Responses from "./responses.js"

/** A route template (`/v1/payments/:id`) and its method. */
export interface Template {
  readonly method: string
  readonly path: string
}

interface Pattern {
  readonly segments: ReadonlyArray<string>
  /** Where the `:id` segment is, if the path has one. */
  readonly idAt: number
  readonly methods: Array<string>
}

export const make = (templates: ReadonlyArray<Template>) => {
  const byPath = new Map<string, Pattern>()
  for (const t of templates) {
    const found = byPath.get(t.path)
    if (found !== undefined) {
      found.methods.push(t.method)
      continue
    }
    const segments = t.path.split("/")
    byPath.set(t.path, { segments, idAt: segments.findIndex((s) => s.startsWith(":")), methods: [t.method] })
  }
  const patterns = [...byPath.values()]
  const fits = (pattern: Pattern, segments: ReadonlyArray<string>): boolean =>
    pattern.segments.length === segments.length &&
    segments.every((s, i) => (i === pattern.idAt ? s !== "" : s === pattern.segments[i]))

  /** The answer to `method pathname` (the path as sent, not normalised). */
  return (method: string, pathname: string): HttpServerResponse.HttpServerResponse => {
    const segments = pathname.split("/")
    const allow: Array<string> = []
    let named = false
    for (const pattern of patterns) {
      if (!fits(pattern, segments)) continue
      if (pattern.methods.includes(method)) named = pattern.idAt !== -1
      else allow.push(...pattern.methods)
    }
    if (named) return Responses.error("resource_missing", "No such object")
    if (allow.length === 0) return Responses.error("route_missing", `Unknown route: ${method} ${pathname.slice(0, 200)}`)
    const header = allow.join(", ")
    return Responses.error("method_not_allowed", `${method} is not allowed here; allowed: ${header}`, { headers: { Allow: header } })
  }
}
