import type { SQLInputValue } from 'node:sqlite';
import { termsFor } from './sqlite-filter.js';
import { ftsTable, type SqliteDb, vecBlob } from './sqlite-schema.js';
import type { ChunkInput, Hit, Metadata, Ranked, StoredDocument } from './store.js';

/**
 * Row writes that keep `chunks`, its postings (`chunk_terms`) and its FTS rows in step. Callers
 * run them inside `SqliteDb.write`, so a throw part-way rolls all three back together.
 */

export function insertChunkRows(
  s: SqliteDb,
  dim: number,
  collection: string,
  docId: string | null,
  chunks: readonly ChunkInput[],
  defaultDate?: string,
): void {
  const insert = s.stmt(
    `INSERT INTO chunks (id, collection, doc_id, ordinal, date, scope, session, expires_at,
       embedding, metadata, tags, content)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rowid`,
  );
  const fts = s.stmt(`INSERT INTO ${ftsTable(collection)} (rowid, content) VALUES (?, ?)`);
  const term = s.stmt('INSERT OR IGNORE INTO chunk_terms (term, row) VALUES (?, ?)');
  for (const c of chunks) {
    if (c.embedding.length !== dim) {
      throw new Error(`chunk ${c.id}: embedding has ${c.embedding.length} dims, store has ${dim}`);
    }
    const row = insert.get(
      c.id,
      collection,
      docId,
      BigInt(c.ordinal),
      c.date ?? defaultDate ?? null,
      c.scope ?? null,
      c.session ?? null,
      c.expiresAt === undefined ? null : BigInt(Math.floor(c.expiresAt)),
      vecBlob(c.embedding),
      JSON.stringify(c.metadata),
      c.tags === undefined ? null : JSON.stringify(c.tags),
      c.content,
    ) as { rowid: number };
    const rowid = BigInt(row.rowid);
    fts.run(rowid, c.content);
    for (const t of termsFor(collection, c.metadata, c.tags)) {
      term.run(t, rowid);
    }
  }
}

/**
 * Deletes the chunk rows matching `where` (over `chunks`, unaliased) with their postings and FTS
 * rows; returns how many. Postings are found again from each row's own metadata and tags, which
 * saves a second index on chunk_terms(row).
 */
export function deleteChunkRows(s: SqliteDb, where: string, params: SQLInputValue[]): number {
  const rows = s
    .stmt(`SELECT rowid, collection, metadata, tags FROM chunks WHERE ${where}`)
    .all(...params) as {
    rowid: number;
    collection: string;
    metadata: string;
    tags: string | null;
  }[];
  const delTerm = s.stmt('DELETE FROM chunk_terms WHERE term = ? AND row = ?');
  const delRow = s.stmt('DELETE FROM chunks WHERE rowid = ?');
  for (const r of rows) {
    const rowid = BigInt(r.rowid);
    const tags = r.tags === null ? undefined : (JSON.parse(r.tags) as string[]);
    for (const t of termsFor(r.collection, JSON.parse(r.metadata) as Metadata, tags)) {
      delTerm.run(t, rowid);
    }
    s.stmt(`DELETE FROM ${ftsTable(r.collection)} WHERE rowid = ?`).run(rowid);
    delRow.run(rowid);
  }
  return rows.length;
}

interface HitRow {
  key: number;
  id: string;
  doc_id: string | null;
  content: string;
  metadata: string;
  date: string | null;
  tags: string | null;
  scope: string | null;
  session: string | null;
  source: string | null;
}

/**
 * Full hits for ranked keys, in the given order; keys whose rows are gone are skipped. Ranking
 * queries return only (rowid, score): carrying content through a sort of thousands of rows to
 * keep ten costs more than ten point lookups.
 */
export function hydrateHits(s: SqliteDb, ranked: readonly Ranked[]): Hit[] {
  if (ranked.length === 0) {
    return [];
  }
  // One statement for the whole ranking: a prepared get per row cost ~14 µs each.
  const rows = s
    .stmt(
      `SELECT c.rowid AS key, c.id, c.doc_id, c.content, c.metadata, c.date, c.tags, c.scope,
              c.session, d.source
       FROM chunks c LEFT JOIN docs d ON d.id = c.doc_id
       WHERE c.rowid IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ranked.map((r) => r.key))) as unknown as HitRow[];
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return ranked.flatMap(({ key, score }) => {
    const row = byKey.get(key);
    return row ? [toHit(row, score)] : [];
  });
}

function toHit(row: HitRow, score: number): Hit {
  return {
    key: row.key,
    id: row.id,
    // Memory entries belong to no document (same convention as pgvector-store).
    docId: row.doc_id ?? '',
    content: row.content,
    score,
    metadata: JSON.parse(row.metadata) as Metadata,
    ...(row.date === null ? {} : { date: row.date }),
    ...(row.tags === null ? {} : { tags: JSON.parse(row.tags) as string[] }),
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.session === null ? {} : { session: row.session }),
    ...(row.source === null ? {} : { source: row.source }),
  };
}

export const DOC_COLUMNS =
  'id, collection, source, content_hash, metadata, date, chunks, updated_at';

export interface DocRow {
  id: string;
  collection: StoredDocument['collection'];
  source: string;
  content_hash: string;
  metadata: string;
  date: string | null;
  chunks: number;
  updated_at: number;
}

export function toDocument(row: DocRow): StoredDocument {
  return {
    id: row.id,
    collection: row.collection,
    source: row.source,
    contentHash: row.content_hash,
    metadata: JSON.parse(row.metadata) as Metadata,
    ...(row.date === null ? {} : { date: row.date }),
    chunks: row.chunks,
    updatedAt: row.updated_at,
  };
}
