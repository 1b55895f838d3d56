import type { SqliteDb } from './sqlite-schema.js';

/** A query word in more than this share of a collection's rows is dropped from the MATCH. */
const COMMON_SHARE = 0.1;
/** Below this many rows every word is kept: pruning would only cost a lookup. */
const MIN_ROWS = 1000;
/**
 * Rows a query's kept words may match in all (the sum of their document frequencies), rarest
 * words first: bounds a query's bm25() work at ~1 ms however large the collection grows. Rows
 * matching only the dropped, more frequent words would rank below these anyway.
 */
const MATCH_BUDGET = 2000;
const CAPPED = MATCH_BUDGET + 1;
const EXACT_TTL_MS = 60_000;
const EXACT_MAX = 10_000;

/**
 * Drops the common words of a full-text query, as a stop-word list would, but measured on the
 * collection itself. FTS5's bm25() costs ~0.5 µs per matched row: one word found in half of
 * 100k rows made a query 30 ms, for a word whose bm25 weight is near zero anyway. Document
 * frequencies come from fts5vocab (which walks the word's posting list, so they are cached until
 * the store's content changes).
 */
export function createTermStats(s: SqliteDb, generation: () => string) {
  let seenGeneration = '';
  const df = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  // Full counts of words past CAPPED by `${fts} ${word}`, kept across generations for
  // EXACT_TTL_MS: they only pick the rarest of common words, where a minute's drift is harmless.
  const exactly = new Map<string, { n: number; at: number }>();

  const fresh = () => {
    const now = generation();
    if (now !== seenGeneration) {
      seenGeneration = now;
      df.clear();
      totals.clear();
    }
  };

  /**
   * Rows each word matches, counted up to CAPPED only: past it a word is never kept beside
   * another, and counting stops early (fts5vocab walks a word's whole posting list: ~5–20 ms for
   * a word in half of 100k rows, paid again after every commit). `exact` counts in full.
   */
  const frequencies = (fts: string, words: readonly string[], exact = false) => {
    let known = df.get(fts);
    if (!known) {
      known = new Map();
      df.set(fts, known);
    }
    const capped = s.stmt(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${fts} WHERE ${fts} MATCH ? LIMIT ${CAPPED})`,
    );
    const full = s.stmt(`SELECT doc FROM ${fts}_vocab WHERE term = ?`);
    for (const word of words) {
      const seen = known.get(word);
      if (seen === undefined) {
        known.set(word, (capped.get(`"${word}"`) as { n: number }).n);
      } else if (exact && seen >= CAPPED) {
        const key = `${fts} ${word}`;
        let counted = exactly.get(key);
        if (counted === undefined || Date.now() - counted.at > EXACT_TTL_MS) {
          if (exactly.size >= EXACT_MAX) {
            exactly.clear();
          }
          const row = full.get(word) as { doc: number } | undefined;
          counted = { n: Math.max(CAPPED, row?.doc ?? 0), at: Date.now() };
          exactly.set(key, counted);
        }
        known.set(word, counted.n);
      }
    }
    return known;
  };

  const total = (fts: string): number => {
    let n = totals.get(fts);
    if (n === undefined) {
      n = (s.stmt(`SELECT count(*) AS n FROM ${fts}`).get() as { n: number }).n;
      totals.set(fts, n);
    }
    return n;
  };

  return {
    /** The words worth matching: the selective ones, else the rarest few. */
    selective(fts: string, words: readonly string[]): string[] {
      if (words.length <= 1) {
        return [...words];
      }
      fresh();
      const rows = total(fts);
      if (rows < MIN_ROWS) {
        return [...words];
      }
      let counts = frequencies(fts, words);
      if (words.every((w) => (counts.get(w) ?? 0) >= CAPPED)) {
        // Only common words: the rarest one is matched, so it must be known exactly.
        counts = frequencies(fts, words, true);
      }
      const limit = rows * COMMON_SHARE;
      const kept = new Set<string>();
      let matched = 0;
      for (const word of [...words].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0))) {
        const n = counts.get(word) ?? 0;
        // A word that matches nothing is kept (it costs nothing); the rarest word found is
        // always kept, so a query of common words alone still has results.
        if (n === 0 || matched === 0 || (n <= limit && matched + n <= MATCH_BUDGET)) {
          kept.add(word);
          matched += n;
        }
      }
      return words.filter((w) => kept.has(w));
    },
  };
}
export type TermStats = ReturnType<typeof createTermStats>;
