/**
 * Timing helpers shared by the benchmark sections: medians, a bounded load driver, and a
 * runner that interleaves contenders across repeats so drift on a noisy machine is shared.
 */
import { performance } from "node:perf_hooks"

/** The median of a non-empty list (mean of the middle two when even). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const hi = sorted[mid]
  const lo = sorted[mid - 1]
  if (hi === undefined) return Number.NaN
  return sorted.length % 2 === 1 || lo === undefined ? hi : (lo + hi) / 2
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export const now = (): number => performance.now()

/**
 * Runs `task` exactly `total` times with at most `concurrency` in flight (one worker loop per
 * slot); resolves with the elapsed milliseconds. Rejects with the first failure.
 */
export const drive = async (total: number, concurrency: number, task: () => Promise<unknown>): Promise<number> => {
  let started = 0
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++
      await task()
    }
  }
  const t0 = now()
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
  return now() - t0
}

/** A contender in a timed comparison: runs `n` operations, resolves with the elapsed ms. */
export interface Contender<N extends string = string> {
  readonly name: N
  readonly run: (n: number) => Promise<number>
}

/**
 * Warms every contender up, then times `repeats` rounds of `n` operations each, rotating the
 * order every round. Returns the median elapsed ms per contender, keyed by name.
 */
export const compare = async <N extends string>(
  contenders: ReadonlyArray<Contender<N>>,
  options: { readonly warmup: number; readonly n: number; readonly repeats: number }
): Promise<Map<N, number>> => {
  for (const c of contenders) await c.run(options.warmup)
  const samples = new Map<N, Array<number>>(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < options.repeats; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]
      if (c === undefined) continue
      const elapsed = await c.run(options.n)
      samples.get(c.name)?.push(elapsed)
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]))
}

/** Finite, or a thrown error naming what was not. */
export const finite = (name: string, value: number): number => {
  if (!Number.isFinite(value)) throw new Error(`${name} is not a finite number (${value})`)
  return value
}
