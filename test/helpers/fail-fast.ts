/** For tests and the benchmark: a statechart failure is thrown where it cannot be missed. */
export function failFast(err: unknown): never {
  throw err instanceof Error ? err : new Error(String(err));
}
