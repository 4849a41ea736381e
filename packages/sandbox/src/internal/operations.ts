/**
 * Which row of core's table a request names (`payments.create` for `POST /v1/payments`), derived
 * from the rows' methods and paths: what queued faults and the recorded requests are matched by.
 */
import * as Api from "@paymentflow/core/Api"

interface Pattern {
  readonly key: Api.EndpointKey
  readonly method: string
  readonly segments: ReadonlyArray<string>
}

const patterns: ReadonlyArray<Pattern> = Api.keys.map((key) => {
  const row = Api.endpoints[key]
  return { key, method: row.method, segments: row.path.split("/") }
})

/** The row a request's method and path (as sent, no query) name, if any. */
export const operationOf = (method: string, pathname: string): Api.EndpointKey | undefined => {
  const segments = pathname.split("/")
  for (const p of patterns) {
    if (p.method !== method || p.segments.length !== segments.length) continue
    if (p.segments.every((s, i) => (s.startsWith(":") ? segments[i] !== "" : s === segments[i]))) return p.key
  }
  return undefined
}
