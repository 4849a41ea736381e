/**
 * A sliding window per API key (one minute by default): the times of the requests it let through.
 */

export interface Status {
  readonly limit: number
  readonly remaining: number
  /** Seconds until the oldest counted request leaves the window (0 when none is counted). */
  readonly reset: number
}

export const make = (limit: number, WINDOW_MS = 60_000) => {
  const windows = new Map<string, Array<number>>()

  const prune = (key: string, now: number): Array<number> => {
    const times = windows.get(key) ?? []
    let drop = 0
    while (drop < times.length && times[drop]! <= now - WINDOW_MS) drop++
    if (drop > 0) times.splice(0, drop)
    return times
  }

  const status = (times: ReadonlyArray<number>, now: number): Status => ({
    limit,
    remaining: Math.max(0, limit - times.length),
    reset: times.length === 0 ? 0 : Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000))
  })

  return {
    /** Counts the request if the window has room; otherwise says when to retry (seconds). */
    take: (key: string, now: number): { readonly allowed: true } | { readonly allowed: false; readonly retryAfter: number } => {
      const times = prune(key, now)
      if (times.length >= limit) {
        return { allowed: false, retryAfter: Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000)) }
      }
      times.push(now)
      if (!windows.has(key)) {
        // bounded memory: forget the windows that have emptied when many keys were seen
        if (windows.size >= 10_000) {
          for (const [k, v] of windows) if (v.length === 0 || v[v.length - 1]! <= now - WINDOW_MS) windows.delete(k)
        }
        windows.set(key, times)
      }
      return { allowed: true }
    },
    /** Empties the window of a key (the control endpoint `POST /v1/sandbox/reset`). */
    forget: (key: string): void => {
      windows.delete(key)
    },
    /** The window of a key, without counting anything. */
    peek: (key: string | undefined, now: number): Status => status(key === undefined ? [] : prune(key, now), now)
  }
}

export type RateLimiter = ReturnType<typeof make>
