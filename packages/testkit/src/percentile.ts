// No test-runner imports here: benchmarks use it too (`@agentplane/testkit/percentile`).

/**
 * The nearest-rank p-th percentile (p in 0..100) of `xs`, NaN when there are none. Every latency
 * figure in tests and benchmarks goes through this one, so a p99 means the same thing everywhere.
 */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
