/**
 * The API versions the server has announced and what changed in each, modelled on Stripe's
 * version-change modules: the server's code (the rows of `Api.ts`, the sandbox's handlers) is
 * written once, for the newest version; each older version is a short list of declared
 * {@link Change}s — how it differs from the version just newer than it — applied on top, of the
 * access rules and of the rendered responses and events. Adding a version is adding one
 * {@link Version} entry to a {@link Registry}; nothing reads a version string anywhere else.
 *
 * A request at version `V` is served through the changes of every version newer than `V`, then
 * `V`'s own: {@link plan} composes them once per version.
 *
 * @since 0.1.0
 */
import type { Access } from "./Endpoint.js"

/**
 * One declared difference between a version and the version just newer than it. Every hook is
 * optional. `access`, `response` and `event` receive the newer version's value (the newest
 * code's, for the newest version) and return this version's; `request` goes the other way, from
 * this version's request parameters to the newer version's. `key` is the row's `group.name`
 * (`payments.retrieve`); `params` the raw parameters (query or body), `body` a success response
 * and `data` an event's `data`, all as wire JSON (snake_case).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Change {
  /** What changed, for people (the contract's "what changed" column). */
  readonly description: string
  /** Who may call the endpoint under this version. */
  readonly access?: ((key: string, access: Access) => Access) | undefined
  /** This version's request parameters of `key` as the newer version takes them. */
  readonly request?: ((key: string, params: Record<string, unknown>) => Record<string, unknown>) | undefined
  /** The success body of `key` as this version renders it. */
  readonly response?: ((key: string, body: unknown) => unknown) | undefined
  /** An event's `data` as this version renders it (for webhook endpoints of this version). */
  readonly event?: ((type: string, data: unknown) => unknown) | undefined
}

/**
 * An announced version and how it differs from the version just newer than it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Version {
  /** The `PaymentFlow-Version` value. */
  readonly version: string
  /** The version's line in the contract's table. */
  readonly description: string
  /**
   * How this version differs from the next newer one (the newest version's: none, the rows say
   * it as it is).
   */
  readonly changes: ReadonlyArray<Change>
}

/**
 * Every announced version, newest first. The first is the one the code is written for.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Registry {
  readonly versions: readonly [Version, ...ReadonlyArray<Version>]
}

const PAYMENT_ROWS: ReadonlySet<string> = new Set([
  "payments.create",
  "payments.retrieve",
  "payments.confirm",
  "payments.cancel"
])

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The wire object without `field` (a copy; the object itself when it has no such field). */
const omitField = (body: unknown, field: string): unknown => {
  if (!isRecord(body) || !Object.prototype.hasOwnProperty.call(body, field)) return body
  const { [field]: _omitted, ...rest } = body
  return rest
}

/**
 * `2025-06-01`, the first version: as `2026-12-01` but payments carry no `client_secret`, a
 * publishable key may create payments, and retrieves or confirms one without any secret (the
 * `client_secret` parameter does not exist: sent, it is an unknown parameter).
 *
 * @since 0.1.0
 * @category Versions
 */
export const V2025_06_01: Version = {
  version: "2025-06-01",
  description: "the first version",
  changes: [
    {
      description: "payments carry no client_secret",
      response: (key, body) => (PAYMENT_ROWS.has(key) ? omitField(body, "client_secret") : body)
    },
    {
      description: "publishable keys create payments, and retrieve or confirm one without a client_secret",
      access: (key, access) => (key === "payments.create" || (typeof access === "object" && access.publishable === "with_client_secret")
        ? "publishable"
        : access)
    }
  ]
}

/**
 * `2026-12-01`: payments carry `client_secret`; publishable keys can no longer create payments,
 * and retrieve or confirm one only with its `client_secret`. The newest version: the rows say it
 * as it is, so it declares no change.
 *
 * @since 0.1.0
 * @category Versions
 */
export const V2026_12_01: Version = {
  version: "2026-12-01",
  description:
    "payments carry client_secret; publishable keys can no longer create payments, and retrieve or confirm one only with its client_secret",
  changes: []
}

/**
 * The versions the PaymentFlow API has announced, newest first.
 *
 * @since 0.1.0
 * @category Versions
 */
export const registry: Registry = { versions: [V2026_12_01, V2025_06_01] }

/**
 * A registry with one more (older) version, added after the oldest: how a test or a later
 * release declares a version without touching any handler.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const withOlder = (base: Registry, version: Version): Registry => ({ versions: [...base.versions, version] })

/**
 * The `PaymentFlow-Version` values a registry serves, newest first.
 *
 * @since 0.1.0
 * @category Utils
 */
export const supported = (r: Registry): ReadonlyArray<string> => r.versions.map((v) => v.version)

/**
 * How one version is served: its access rule, its request parameters as the newest code takes
 * them, and its renderings of a success body and of an event's `data`; `undefined` where the
 * version takes or renders the newest code's value unchanged.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Plan {
  readonly version: string
  readonly access: (key: string, access: Access) => Access
  readonly request: ((key: string, params: Record<string, unknown>) => Record<string, unknown>) | undefined
  readonly response: ((key: string, body: unknown) => unknown) | undefined
  readonly event: ((type: string, data: unknown) => unknown) | undefined
}

const compose = <A>(
  fs: ReadonlyArray<(name: string, value: A) => A>
): ((name: string, value: A) => A) | undefined =>
  fs.length === 0 ? undefined : (name, value) => fs.reduce((acc, f) => f(name, acc), value)

/**
 * The plan of `version`, or `undefined` when the registry does not serve it: every change from
 * the newest version down to `version`, in that order (requests in the reverse order, from
 * `version` up to the newest).
 *
 * @since 0.1.0
 * @category Utils
 */
export const plan = (r: Registry, version: string): Plan | undefined => {
  const at = r.versions.findIndex((v) => v.version === version)
  if (at === -1) return undefined
  const changes = r.versions.slice(0, at + 1).flatMap((v) => v.changes)
  const pick = <K extends "access" | "request" | "response" | "event">(hook: K) =>
    changes.flatMap((c) => {
      const f = c[hook]
      return f === undefined ? [] : [f]
    })
  return {
    version,
    access: compose(pick("access")) ?? ((_key, access) => access),
    request: compose(pick("request").reverse()),
    response: compose(pick("response")),
    event: compose(pick("event"))
  }
}
