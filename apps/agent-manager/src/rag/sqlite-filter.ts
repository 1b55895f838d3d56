import type { SQLInputValue } from 'node:sqlite';
import type { ChunkFilter, Collection, Metadata } from './store.js';

/**
 * A posting term for one metadata pair. JSON keeps the value's type ('acme' ≠ 1 ≠ true) and
 * makes the key/value boundary unambiguous whatever characters either holds.
 */
export function metaTerm(collection: string, key: string, value: Metadata[string]): string {
  return `${collection}|m|${JSON.stringify([key, value])}`;
}

/** A posting term for one tag; the prefix is fixed, so the tag is the whole remainder. */
export function tagTerm(collection: string, tag: string): string {
  return `${collection}|t|${tag}`;
}

/** Every posting term a chunk row gets (deduplicated: the table's key is (term, row)). */
export function termsFor(
  collection: string,
  metadata: Metadata,
  tags: readonly string[] | undefined,
): string[] {
  const terms = new Set<string>();
  for (const [key, value] of Object.entries(metadata)) {
    terms.add(metaTerm(collection, key, value));
  }
  for (const tag of tags ?? []) {
    terms.add(tagTerm(collection, tag));
  }
  return [...terms];
}

/**
 * A filter compiled to SQL over `chunks c`. `candidates`, when present, is a rowid set
 * (`SELECT row …`) from the postings that every admitted row is in; `where` holds the column
 * conditions. Callers either drive a scan from the candidates or test membership in them.
 */
export interface FilterSql {
  candidates?: { sql: string; params: SQLInputValue[] };
  where: string;
  params: SQLInputValue[];
  /** `where` checks the collection and nothing else */
  collectionOnly: boolean;
}

export function compileFilter(filter: ChunkFilter): FilterSql {
  const c: Collection = filter.collection;
  const terms: string[] = [];
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    terms.push(metaTerm(c, key, value));
  }
  for (const tag of new Set(filter.tags ?? [])) {
    terms.push(tagTerm(c, tag));
  }

  const conds = ['c.collection = ?'];
  const params: SQLInputValue[] = [c];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) {
      conds.push(`${column} = ?`);
      params.push(value);
    }
  };
  eq('c.doc_id', filter.docId);
  eq('c.scope', filter.scope);
  eq('c.session', filter.session);
  if (filter.dateFrom !== undefined) {
    conds.push('c.date >= ?');
    params.push(filter.dateFrom);
  }
  if (filter.dateTo !== undefined) {
    conds.push('c.date <= ?');
    params.push(filter.dateTo);
  }
  if (filter.now !== undefined) {
    conds.push('(c.expires_at IS NULL OR c.expires_at > ?)');
    params.push(BigInt(Math.floor(filter.now)));
  }

  const out: FilterSql = { where: conds.join(' AND '), params, collectionOnly: conds.length === 1 };
  if (terms.length > 0) {
    out.candidates = {
      sql: terms.map(() => 'SELECT row FROM chunk_terms WHERE term = ?').join(' INTERSECT '),
      params: terms,
    };
  }
  return out;
}

/**
 * `FROM … WHERE …` over the admitted rows, aliased `c`. With postings, the scan is driven from
 * the (usually small) candidate set; CROSS JOIN pins that order, because without statistics
 * SQLite would rather walk the (collection, date) index over the whole collection.
 */
export function admittedFrom(f: FilterSql): { sql: string; params: SQLInputValue[] } {
  if (f.candidates) {
    return {
      sql: `FROM (${f.candidates.sql}) t CROSS JOIN chunks c ON c.rowid = t.row WHERE ${f.where}`,
      params: [...f.candidates.params, ...f.params],
    };
  }
  return { sql: `FROM chunks c WHERE ${f.where}`, params: [...f.params] };
}

/**
 * One boolean expression over `c` that is true exactly for admitted rows. How postings are
 * tested depends on how many rows the caller will test: 'in' builds the candidate set once
 * (right for thousands of rows), 'exists' probes it per row (right for the ~100 rows of an ANN
 * over-fetch, where building a 50%-of-the-table set would cost ms). `+c.rowid`: a test, never
 * an access path, so the planner keeps driving from the caller's rows.
 */
export function admittedExpr(
  f: FilterSql,
  postings: 'in' | 'exists',
): { sql: string; params: SQLInputValue[] } {
  if (!f.candidates) {
    return { sql: `(${f.where})`, params: [...f.params] };
  }
  const test =
    postings === 'in'
      ? `+c.rowid IN (${f.candidates.sql})`
      : f.candidates.params
          .map(() => 'EXISTS (SELECT 1 FROM chunk_terms WHERE term = ? AND row = c.rowid)')
          .join(' AND ');
  return { sql: `(${f.where} AND ${test})`, params: [...f.params, ...f.candidates.params] };
}

// Letters, digits and combining marks: what FTS5's unicode61 tokenizer keeps inside a token.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// A bound on OR terms keeps a pasted essay from becoming a thousand-way FTS5 union.
const MAX_QUERY_WORDS = 32;

/** The distinct words of user text (at most MAX_QUERY_WORDS), lowercased. */
export function queryWords(text: string): string[] {
  const words = new Set<string>();
  for (const m of text.matchAll(WORD)) {
    words.add(m[0].toLowerCase());
    if (words.size >= MAX_QUERY_WORDS) {
      break;
    }
  }
  return [...words];
}

/**
 * Words as an FTS5 query that cannot be a syntax error: each word becomes a quoted string (no
 * word holds a quote, since words are letters/digits only), ORed together. Undefined when no
 * word is left.
 */
export function ftsMatch(words: readonly string[]): string | undefined {
  return words.length === 0 ? undefined : words.map((w) => `"${w}"`).join(' OR ');
}
