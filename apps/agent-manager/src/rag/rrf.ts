import type { Ranked } from './store.js';

/**
 * Reciprocal rank fusion (Cormack et al.): score = Σ 1 / (k + rank) over the lists a row is in.
 * k = 60 as in the paper; it needs no score calibration between cosine and bm25.
 */
export function fuseByRank<T extends Ranked>(
  lists: readonly (readonly T[])[],
  topK: number,
  k = 60,
): T[] {
  const fused = new Map<number, { hit: T; score: number }>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const entry = fused.get(hit.key);
      const add = 1 / (k + rank + 1);
      if (entry) {
        entry.score += add;
      } else {
        fused.set(hit.key, { hit, score: add });
      }
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.hit.key - b.hit.key)
    .slice(0, topK)
    .map(({ hit, score }) => ({ ...hit, score }));
}
