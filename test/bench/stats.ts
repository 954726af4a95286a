/** One row of the benchmark table. */
export interface Row {
  readonly name: string;
  readonly value: string;
}

export function median(xs: readonly number[]): number {
  return pct([...xs].sort((a, b) => a - b), 50);
}

/** Nearest-rank percentile of an already sorted list. */
export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}
