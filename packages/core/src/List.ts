/**
 * Cursor-paginated lists.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { req } from "./internal/wire.js"

/**
 * A page of objects, newest first.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const List = <S extends Schema.Schema.Any>(item: S) =>
  Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(item),
    hasMore: req("has_more", Schema.Boolean),
    totalCount: req("total_count", Schema.NonNegativeInt)
  })

/**
 * @since 0.1.0
 * @category Models
 */
export interface Page<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly hasMore: boolean
  readonly totalCount: number
}
