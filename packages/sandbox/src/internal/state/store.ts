/**
 * How the objects of one type are kept and listed: in creation order (ids are monotonic and
 * `created` comes from the Clock), one page newest first, with the contract's cursor rules.
 */
import { DEFAULT_LIMIT, type Metadata } from "@paymentflow/core/Fields"
import type { Page } from "@paymentflow/core/List"
import * as Effect from "effect/Effect"
import { Failure } from "../failure.js"

export interface Sortable {
  readonly id: string
  readonly created: number
}

/** Metadata as stored: keys whose value is `""` are not kept. */
export const compact = (m: Metadata | undefined): Metadata =>
  m === undefined ? {} : Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""))

/** Newest first: `created` desc, then `id` desc. */
export const newestFirst = (a: Sortable, b: Sortable): number =>
  a.created !== b.created ? b.created - a.created : a.id < b.id ? 1 : a.id > b.id ? -1 : 0

const invalidCursor = () =>
  new Failure({ code: "invalid_cursor", message: "is not the id of an object in this list", field: "starting_after" })

/**
 * The objects of one type, kept in creation order (creation order is "oldest first" unless the
 * Clock was set back: then `inOrder` turns false and listing sorts, as it always did).
 */
export interface Ordered<A extends Sortable> {
  readonly byId: Map<string, A>
  readonly ids: Array<string>
  readonly position: Map<string, number>
  inOrder: boolean
}

export const ordered = <A extends Sortable>(): Ordered<A> => ({ byId: new Map(), ids: [], position: new Map(), inOrder: true })

/** Adds a new object (after the newest) or replaces an existing one (keeps its place). */
export const put = <A extends Sortable>(o: Ordered<A>, a: A): void => {
  if (!o.byId.has(a.id)) {
    const last = o.ids.length === 0 ? undefined : o.byId.get(o.ids[o.ids.length - 1]!)
    if (last !== undefined && newestFirst(last, a) < 0) o.inOrder = false
    o.position.set(a.id, o.ids.length)
    o.ids.push(a.id)
  }
  o.byId.set(a.id, a)
}

/**
 * Removes the objects whose id is in `ids` (a key's reset, `POST /v1/sandbox/reset`), keeping the
 * others in their order; returns how many went.
 */
export const remove = <A extends Sortable>(o: Ordered<A>, ids: ReadonlySet<string>): number => {
  let removed = 0
  for (const id of ids) if (o.byId.delete(id)) removed++
  if (removed === 0) return 0
  const kept = o.ids.filter((id) => o.byId.has(id))
  o.ids.length = 0
  o.position.clear()
  for (const id of kept) {
    o.position.set(id, o.ids.length)
    o.ids.push(id)
  }
  return removed
}

/** Every object, newest first. */
export const newestFirstAll = <A extends Sortable>(o: Ordered<A>): Array<A> => Array.from(o.byId.values()).sort(newestFirst)

/**
 * One page, newest first. `view` maps a stored record to the listed object (`undefined`: not
 * listed, e.g. a deleted customer); `matches` is the list's filter (`undefined`: none) and
 * `count`, when known, the number of objects listed without a filter. A page costs the objects it
 * walks (from the cursor backwards), plus one pass to count when a filter is set — no sort.
 */
export const page = <R extends Sortable, A extends Sortable>(
  o: Ordered<R>,
  view: (r: R) => A | undefined,
  matches: ((a: A) => boolean) | undefined,
  limit: number | undefined,
  startingAfter: string | undefined,
  count: number | undefined
): Effect.Effect<Page<A>, Failure> => {
  const size = limit ?? DEFAULT_LIMIT
  const listed = (r: R | undefined): A | undefined => {
    const a = r === undefined ? undefined : view(r)
    return a !== undefined && (matches === undefined || matches(a)) ? a : undefined
  }
  if (!o.inOrder) {
    // the Clock went backwards at some point: sort, as before
    const matching: Array<A> = []
    for (const r of o.byId.values()) {
      const a = listed(r)
      if (a !== undefined) matching.push(a)
    }
    matching.sort(newestFirst)
    let rest = matching
    if (startingAfter !== undefined) {
      const cursor = o.byId.get(startingAfter)
      if (cursor === undefined) return Effect.fail(invalidCursor())
      rest = matching.filter((a) => newestFirst(cursor, a) < 0)
    }
    return Effect.succeed({ object: "list", data: rest.slice(0, size), hasMore: rest.length > size, totalCount: matching.length })
  }
  let from = o.ids.length - 1
  if (startingAfter !== undefined) {
    const at = o.position.get(startingAfter)
    if (at === undefined) return Effect.fail(invalidCursor())
    from = at - 1
  }
  const data: Array<A> = []
  let hasMore = false
  for (let i = from; i >= 0; i--) {
    const a = listed(o.byId.get(o.ids[i]!))
    if (a === undefined) continue
    if (data.length === size) {
      hasMore = true
      break
    }
    data.push(a)
  }
  let totalCount = count
  if (totalCount === undefined || matches !== undefined) {
    totalCount = 0
    for (const r of o.byId.values()) if (listed(r) !== undefined) totalCount++
  }
  return Effect.succeed({ object: "list", data, hasMore, totalCount })
}
