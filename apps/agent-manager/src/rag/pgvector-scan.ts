import { sql } from 'kysely';
import type { AnyDb } from './pgvector-schema.js';
import type { Tables } from './pgvector-sql.js';
import {
  type Metadata,
  type StoredChunk,
  type StoredDocument,
  type VectorStore,
  withinChunkBudget,
} from './store.js';

export interface DocRow {
  id: string;
  collection: StoredDocument['collection'];
  source: string;
  content_hash: string;
  metadata: Metadata;
  date: string | null;
  chunks: number;
  updated_at: string | number;
}

interface ChunkRow {
  id: string;
  doc_id: string | null;
  ordinal: number;
  content: string;
  metadata: Metadata;
  date: string | null;
  tags: string[] | null;
  scope: string | null;
  session: string | null;
  expires_at: string | number | null;
}

export const DOC_COLUMNS = sql`id, collection, source, content_hash, metadata, date::text AS date,
  chunks, updated_at`;

const CHUNK_COLUMNS = sql`id, doc_id, ordinal, content, metadata, date::text AS date, tags, scope,
  session, expires_at`;

/**
 * Keyset-paged reads of the whole store (documents, memory entries) for a re-index. Ids compare
 * in the database's collation, the same one for `>` and ORDER BY, so pages neither skip nor repeat.
 */
export function pgvectorScan(
  db: AnyDb,
  t: Tables,
): Pick<VectorStore, 'scanDocuments' | 'scanEntries'> {
  const after = (afterId: string | undefined) =>
    afterId === undefined ? sql`TRUE` : sql`id > ${afterId}`;

  return {
    async scanDocuments(afterId, maxChunks) {
      // Each document holds at least one chunk as a rule, so `maxChunks` documents is enough.
      const { rows } = await sql<DocRow>`
        SELECT ${DOC_COLUMNS} FROM ${t('docs')} WHERE ${after(afterId)} ORDER BY id LIMIT ${Math.max(1, maxChunks)}`.execute(
        db,
      );
      const docs = withinChunkBudget(rows.map(toDocument), maxChunks);
      if (docs.length === 0) {
        return [];
      }
      const chunks = await sql<ChunkRow>`
        SELECT ${CHUNK_COLUMNS} FROM ${t('chunks')}
        WHERE doc_id = ANY(${docs.map((d) => d.id)}::text[]) ORDER BY doc_id, ordinal`.execute(db);
      const byDoc = new Map(docs.map((d) => [d.id, [] as StoredChunk[]]));
      for (const row of chunks.rows) {
        byDoc.get(row.doc_id ?? '')?.push(toStoredChunk(row));
      }
      return docs.map((doc) => ({ doc, chunks: byDoc.get(doc.id) ?? [] }));
    },

    async scanEntries(afterId, limit) {
      const { rows } = await sql<ChunkRow>`
        SELECT ${CHUNK_COLUMNS} FROM ${t('chunks')}
        WHERE doc_id IS NULL AND ${after(afterId)} ORDER BY id LIMIT ${Math.max(1, limit)}`.execute(
        db,
      );
      return rows.map(toStoredChunk);
    },
  };
}

export function toDocument(row: DocRow): StoredDocument {
  return {
    id: row.id,
    collection: row.collection,
    source: row.source,
    contentHash: row.content_hash,
    metadata: row.metadata,
    ...(row.date === null ? {} : { date: row.date }),
    chunks: row.chunks,
    updatedAt: Number(row.updated_at),
  };
}

function toStoredChunk(row: ChunkRow): StoredChunk {
  return {
    id: row.id,
    ordinal: row.ordinal,
    content: row.content,
    metadata: row.metadata,
    ...(row.date === null ? {} : { date: row.date }),
    ...(row.tags === null ? {} : { tags: row.tags }),
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.session === null ? {} : { session: row.session }),
    ...(row.expires_at === null ? {} : { expiresAt: Number(row.expires_at) }),
  };
}
