import { DOC_COLUMNS, type DocRow, toDocument } from './sqlite-rows.js';
import type { SqliteDb } from './sqlite-schema.js';
import { type Metadata, type StoredChunk, type VectorStore, withinChunkBudget } from './store.js';

const CHUNK_COLUMNS =
  'id, doc_id, ordinal, content, metadata, date, tags, scope, session, expires_at';

interface ChunkRow {
  id: string;
  doc_id: string | null;
  ordinal: number;
  content: string;
  metadata: string;
  date: string | null;
  tags: string | null;
  scope: string | null;
  session: string | null;
  expires_at: number | null;
}

/** Keyset-paged reads of the whole store (documents, memory entries) for a re-index. */
export function sqliteScan(s: SqliteDb): Pick<VectorStore, 'scanDocuments' | 'scanEntries'> {
  // Two statement texts rather than `? IS NULL OR id > ?`, which would keep SQLite from
  // seeking the id index.
  const after = (afterId: string | undefined) =>
    afterId === undefined
      ? { sql: 'TRUE', params: [] as string[] }
      : { sql: 'id > ?', params: [afterId] };

  return {
    async scanDocuments(afterId, maxChunks) {
      // Each document holds at least one chunk as a rule, so `maxChunks` documents is enough.
      const from = after(afterId);
      const rows = s
        .stmt(`SELECT ${DOC_COLUMNS} FROM docs WHERE ${from.sql} ORDER BY id LIMIT ?`)
        .all(...from.params, BigInt(Math.max(1, maxChunks))) as unknown as DocRow[];
      const docs = withinChunkBudget(rows.map(toDocument), maxChunks);
      if (docs.length === 0) {
        return [];
      }
      const chunks = s
        .stmt(
          `SELECT ${CHUNK_COLUMNS} FROM chunks
           WHERE doc_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id, ordinal`,
        )
        .all(JSON.stringify(docs.map((d) => d.id))) as unknown as ChunkRow[];
      const byDoc = new Map(docs.map((d) => [d.id, [] as StoredChunk[]]));
      for (const row of chunks) {
        byDoc.get(row.doc_id ?? '')?.push(toStoredChunk(row));
      }
      return docs.map((doc) => ({ doc, chunks: byDoc.get(doc.id) ?? [] }));
    },

    async scanEntries(afterId, limit) {
      const from = after(afterId);
      const rows = s
        .stmt(
          `SELECT ${CHUNK_COLUMNS} FROM chunks
           WHERE doc_id IS NULL AND ${from.sql} ORDER BY id LIMIT ?`,
        )
        .all(...from.params, BigInt(Math.max(1, limit))) as unknown as ChunkRow[];
      return rows.map(toStoredChunk);
    },
  };
}

function toStoredChunk(row: ChunkRow): StoredChunk {
  return {
    id: row.id,
    ordinal: row.ordinal,
    content: row.content,
    metadata: JSON.parse(row.metadata) as Metadata,
    ...(row.date === null ? {} : { date: row.date }),
    ...(row.tags === null ? {} : { tags: JSON.parse(row.tags) as string[] }),
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.session === null ? {} : { session: row.session }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
}
