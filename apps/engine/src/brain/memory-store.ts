import type { DatabaseSync } from 'node:sqlite';
import { newBrainId } from './brain-ids.js';
import { matchExpression, queryTerms, selectTerms } from './fts-query.js';
import { inTransaction } from './transaction.js';

export interface MemoryItem {
  id: string;
  kind: string;
  content: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

/** A write: without `id` a new item; with an existing `id` that item is replaced (re-indexed). */
export interface NewMemoryItem {
  id?: string;
  kind: string;
  content: string;
  tags?: string[];
}

export interface MemorySearchOptions {
  /** 1..50, default 10. */
  limit?: number;
  /** Only items of one of these kinds. */
  kinds?: string[];
  /** Only items carrying every one of these tags. */
  tags?: string[];
}

/** `score` is the negated bm25: higher is more relevant. */
export interface MemoryHit extends MemoryItem {
  score: number;
}

export interface MemoryStore {
  /** Writes every item in one transaction (all or nothing) and returns them as stored. */
  write(items: readonly NewMemoryItem[]): MemoryItem[];
  get(id: string): MemoryItem | undefined;
  /** Full-text search ranked by bm25; the query is plain words, never FTS5 syntax. */
  search(query: string, opts?: MemorySearchOptions): MemoryHit[];
  /** Removes the items (and their index entries); returns how many existed. */
  delete(ids: readonly string[]): number;
}

export const MEMORY_SEARCH_MAX_LIMIT = 50;
/**
 * At most this many matches are ranked per search (the newest ones when a query's rarest term
 * alone is this common). Ranking costs ~1.6 µs a row (limits.md §7), so this bounds a search to a
 * few ms however common its words are.
 */
const CANDIDATE_CAP = 2_000;

/**
 * The brain's long-term memory with FTS5 search.
 *
 * ```ts
 * const memory = createMemoryStore(brain.db);
 * memory.write([{ kind: 'fact', content: 'Prefers metric units', tags: ['profile'] }]);
 * memory.search('units', { limit: 5, tags: ['profile'] });
 * ```
 */
export function createMemoryStore(db: DatabaseSync, now: () => number = Date.now): MemoryStore {
  const q = {
    upsert: db.prepare(
      `INSERT INTO memory_items (id, kind, content, tags, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, content = excluded.content,
         tags = excluded.tags, updated_at = excluded.updated_at
       RETURNING created_at`,
    ),
    get: db.prepare('SELECT * FROM memory_items WHERE id = ?'),
    delete: db.prepare('DELETE FROM memory_items WHERE id = ?'),
    docCount: db.prepare('SELECT doc FROM memory_fts_vocab WHERE term = ?'),
    // CROSS JOIN pins the FTS table as the outer loop, so filters apply while walking matches
    // (newest first) and the LIMIT caps how many rows get ranked.
    search: db.prepare(
      `SELECT m.*, c.score FROM (
         SELECT f.rowid AS seq, -bm25(memory_fts) AS score
         FROM memory_fts f CROSS JOIN memory_items i ON i.seq = f.rowid
         WHERE memory_fts MATCH ?
           AND (? IS NULL OR i.kind IN (SELECT value FROM json_each(?)))
           AND NOT EXISTS (SELECT 1 FROM json_each(?) want
                           WHERE want.value NOT IN (SELECT value FROM json_each(i.tags)))
         ORDER BY f.rowid DESC LIMIT ?
       ) c JOIN memory_items m ON m.seq = c.seq
       ORDER BY c.score DESC, m.seq DESC LIMIT ?`,
    ),
  };

  const toItem = (row: Record<string, unknown>): MemoryItem => ({
    id: String(row.id),
    kind: String(row.kind),
    content: String(row.content),
    tags: JSON.parse(String(row.tags)) as string[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  });

  const docCount = (term: string) => Number(q.docCount.get(term)?.doc ?? 0);

  return {
    write: (items) =>
      inTransaction(db, () => {
        const at = now();
        return items.map((item) => {
          const id = item.id ?? newBrainId('memory', at);
          const tags = item.tags ?? [];
          const row = q.upsert.get(id, item.kind, item.content, JSON.stringify(tags), at, at);
          const createdAt = Number(row?.created_at);
          return { id, kind: item.kind, content: item.content, tags, createdAt, updatedAt: at };
        });
      }),
    get: (id) => {
      const row = q.get.get(id);
      return row && toItem(row);
    },
    search: (query, opts = {}) => {
      const terms = selectTerms(queryTerms(query), docCount, CANDIDATE_CAP);
      if (terms.length === 0) {
        return [];
      }
      const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 10), 1), MEMORY_SEARCH_MAX_LIMIT);
      const kinds = opts.kinds?.length ? JSON.stringify(opts.kinds) : null;
      const tags = JSON.stringify(opts.tags ?? []);
      const rows = q.search.all(matchExpression(terms), kinds, kinds, tags, CANDIDATE_CAP, limit);
      return rows.map((row) => ({ ...toItem(row), score: Number(row.score) }));
    },
    delete: (ids) =>
      inTransaction(db, () => ids.reduce((n, id) => n + Number(q.delete.run(id).changes), 0)),
  };
}
