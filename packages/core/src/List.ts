/**
 * Cursor-paginated lists.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { req } from "./internal/wire.js"

/**
 * Marks the schemas made by {@link List}, so that a row whose success is a list is known as one
 * at run time (the clients give it a `listAll`) as its type is at compile time ({@link Page}).
 */
const ListAnnotationId: unique symbol = Symbol.for("@paymentflow/core/List")

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
  }).annotations({ [ListAnnotationId]: true })

/**
 * Whether a schema is a page made by {@link List} (annotations added later, such as an
 * `identifier`, keep the mark).
 *
 * @since 0.1.0
 * @category Guards
 */
export const isList = (schema: Schema.Schema.Any): boolean => schema.ast.annotations[ListAnnotationId] === true

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
