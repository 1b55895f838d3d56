/** Terms past this add little to ranking and multiply the work of an OR query. */
const MAX_TERMS = 16;
/** Longer "words" are pasted blobs (hashes, base64), not something to search for. */
const MAX_TERM_CHARS = 64;

/**
 * The words of a user's query, normalized the way the index's `unicode61 remove_diacritics 2`
 * tokenizer normalizes text (lower case, no accents), deduplicated, in order.
 *
 * Only letters, digits and combining marks survive, so FTS5 syntax in the input (`"`, `*`, `-`,
 * `:`, `^`, parentheses, `NEAR(`) is just a separator here; keywords such as AND/OR/NOT become
 * plain words once quoted by `matchExpression`.
 */
export function queryTerms(query: string): string[] {
  const words =
    query
      .normalize('NFKD')
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const terms = new Set<string>();
  for (const word of words) {
    const term = word.replace(/\p{M}/gu, '').slice(0, MAX_TERM_CHARS);
    if (term !== '') {
      terms.add(term);
    }
    if (terms.size === MAX_TERMS) {
      break;
    }
  }
  return [...terms];
}

/** An FTS5 MATCH expression: each term a quoted string, any of them may match (bm25 ranks). */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}

/**
 * The terms worth matching, rarest first. An OR query costs about the sum of its terms' document
 * counts, and ranking cost grows with it (limits.md §7: p50 2 ms, p99 110 ms for a term in 68k of
 * 100k rows). Very common terms also carry almost no bm25 weight, so we keep adding terms from the
 * rarest while the running document count stays within `budget`; the rarest is always kept.
 */
export function selectTerms(
  terms: readonly string[],
  docCount: (term: string) => number,
  budget: number,
): string[] {
  const counted = terms.map((term) => ({ term, docs: docCount(term) }));
  counted.sort((a, b) => a.docs - b.docs);
  const chosen: string[] = [];
  let total = 0;
  for (const { term, docs } of counted) {
    if (chosen.length > 0 && total + docs > budget) {
      break;
    }
    chosen.push(term);
    total += docs;
  }
  return chosen;
}
