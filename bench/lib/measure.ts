/** Summary statistics of repeated timings, in milliseconds. */
export interface Timing {
  median: number
  p95: number
  samples: number
}

/** The value at quantile q (0–1) of sorted numbers, by nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** Summarizes raw samples. */
export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), samples: sorted.length }
}

/** Times `fn` `reps` times after `warmup` untimed runs. */
export async function measure(fn: () => unknown, options: { warmup: number; reps: number }): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < options.reps; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return summarize(samples)
}
