/**
 * The documents the sandbox serves about its API: `GET /openapi.json` and its reference page
 * `GET /docs`, each in the request's API version. A request is served as every route serves it:
 * `PaymentFlow-Version` names an announced version, or, without the header, the account's default
 * version (`defaultVersion`); a version it does not announce is the contract's `version_unknown`.
 * Each document is derived from the rows read through that version's plan, once per version and
 * registry (memoized for the process: sandboxes on the same registry share them).
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as OpenApi from "@effect/platform/OpenApi"
import * as Api from "@paymentflow/core/Api"
import { HEADERS } from "@paymentflow/core/Headers"
import * as Versions from "@paymentflow/core/Versions"
import * as Effect from "effect/Effect"
import { api, documentOf } from "../HttpApi.js"
import type { Config } from "./config.js"
import * as DocsPage from "./docsPage.js"
import type { RawHandler } from "./route.js"
import { versionUnknown } from "./route.js"

/** One version's documents, each rendered on first request. */
interface Rendered {
  spec?: OpenApi.OpenAPISpec
  json?: string
  html?: string
}

const memo = new WeakMap<Versions.Registry, Map<string, Rendered>>()

const renderedOf = (versions: Versions.Registry, version: string): Rendered => {
  let byVersion = memo.get(versions)
  if (byVersion === undefined) memo.set(versions, byVersion = new Map())
  let rendered = byVersion.get(version)
  if (rendered === undefined) byVersion.set(version, rendered = {})
  return rendered
}

const specOf = (versions: Versions.Registry, version: string, rendered: Rendered): OpenApi.OpenAPISpec =>
  rendered.spec ??= documentOf(api, Api.all, "user", versions, version)

/** The sandbox's document routes, for one instance's versions and default version. */
export interface Documents {
  /** `GET /openapi.json`: the user's API (client rows) as the request's version has it. */
  readonly openApi: RawHandler
  /** `GET /docs`: the reference page rendered from the same document. */
  readonly docs: RawHandler
}

/** The document routes of a sandbox configured with `config`. */
export const make = (config: Pick<Config, "versions" | "defaultVersion">): Documents => {
  const announced = new Set(Versions.supported(config.versions))
  /** The request's version, or `undefined` when it names none announced. */
  const versionOf: (headers: Readonly<Record<string, string | undefined>>) => string | undefined = (headers) => {
    const asked = headers[HEADERS.version.key]
    if (asked === undefined) return config.defaultVersion
    return announced.has(asked) ? asked : undefined
  }
  // caches between the sandbox and a reader keep one copy per version
  const vary = { Vary: HEADERS.version.name }
  const serve = (
    render: (version: string, rendered: Rendered) => string,
    contentType: string,
    headers: Readonly<Record<string, string>>
  ): RawHandler =>
  ({ request }) =>
    Effect.sync(() => {
      const version = versionOf(request.headers)
      if (version === undefined) return versionUnknown(config.versions)
      return HttpServerResponse.text(render(version, renderedOf(config.versions, version)), {
        contentType,
        headers: { ...vary, ...headers }
      })
    })
  return {
    openApi: serve(
      (version, rendered) => rendered.json ??= JSON.stringify(specOf(config.versions, version, rendered), null, 2),
      "application/json",
      {}
    ),
    docs: serve(
      (version, rendered) => rendered.html ??= DocsPage.render(specOf(config.versions, version, rendered)),
      "text/html; charset=utf-8",
      { "Content-Security-Policy": DocsPage.CONTENT_SECURITY_POLICY }
    )
  }
}
