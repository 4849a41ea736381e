/**
 * `listAll`: every page of a list operation, fetched as the stream is pulled (memory stays at one
 * page), each page after the last id of the one before.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { PaymentFlowError } from "../Errors.js"
import type { RequestOptions as CallOptions } from "../PaymentFlow.js"
import type { AnyOperation } from "./operation.js"

const readPage = (result: unknown): { readonly items: ReadonlyArray<unknown>; readonly hasMore: boolean } => {
  if (typeof result === "object" && result !== null && "data" in result && Array.isArray(result.data)) {
    const items: ReadonlyArray<unknown> = result.data
    return { items, hasMore: "hasMore" in result && result.hasMore === true }
  }
  return { items: [], hasMore: false }
}

const readId = (item: unknown): unknown => typeof item === "object" && item !== null && "id" in item ? item.id : undefined

/** The `listAll` of a list operation: every page, fetched as the stream is pulled. */
export const makeListAll = (list: AnyOperation) =>
(params?: unknown, options?: CallOptions): Stream.Stream<unknown, PaymentFlowError> => {
  const base: Record<string, unknown> = typeof params === "object" && params !== null ? { ...params } : {}
  const first: unknown = base["startingAfter"]
  return Stream.paginateChunkEffect(first, (cursor) => {
    const page: Record<string, unknown> = { ...base }
    if (cursor === undefined) delete page["startingAfter"]
    else page["startingAfter"] = cursor
    return Effect.map(list(page, options), (result) => {
      const data = readPage(result)
      const last = data.items[data.items.length - 1]
      const next = data.hasMore && last !== undefined ? Option.some<unknown>(readId(last)) : Option.none()
      return [Chunk.unsafeFromArray(data.items), next] as const
    })
  })
}
