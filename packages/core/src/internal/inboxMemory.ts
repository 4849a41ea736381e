/**
 * The inbox's in-memory store (`WebhookInbox.memoryStore`): one Map in insertion order, so the
 * oldest ids are the first forgotten; expiry is checked on each read, on Effect's `Clock`.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { Claim, Store } from "../WebhookInbox.js"

let tokens = 0
const newToken = (): string => `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}.${(tokens++).toString(36)}`

/** @internal */
export const make = (options: { readonly capacity?: number | undefined }): Store => {
  const capacity = options.capacity ?? 100_000
  type Entry = { readonly state: "claimed"; readonly token: string; expires: number } | { readonly state: "done"; readonly expires: number }
  const entries = new Map<string, Entry>()
  const live = (id: string, now: number): Entry | undefined => {
    const entry = entries.get(id)
    if (entry !== undefined && entry.expires <= now) {
      entries.delete(id)
      return undefined
    }
    return entry
  }
  const put = (id: string, entry: Entry) => {
    entries.delete(id)
    entries.set(id, entry)
    while (entries.size > capacity) {
      const oldest = entries.keys().next()
      if (oldest.done) break
      entries.delete(oldest.value)
    }
  }
  return {
    claim: (id, lease) =>
      Effect.map(Clock.currentTimeMillis, (now): Claim => {
        const entry = live(id, now)
        if (entry === undefined) {
          const token = newToken()
          put(id, { state: "claimed", token, expires: now + Duration.toMillis(lease) })
          return { _tag: "Claimed", token }
        }
        return entry.state === "done" ? { _tag: "Done" } : { _tag: "Busy", retryAfter: Duration.millis(entry.expires - now) }
      }),
    renew: (id, token, lease) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = live(id, now)
        if (entry?.state === "claimed" && entry.token === token) entry.expires = now + Duration.toMillis(lease)
      }),
    complete: (id, _token, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => put(id, { state: "done", expires: now + Duration.toMillis(ttl) })),
    release: (id, token) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = live(id, now)
        if (entry?.state === "claimed" && entry.token === token) entries.delete(id)
      })
  }
}

