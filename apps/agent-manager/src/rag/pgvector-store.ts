import { sql } from 'kysely';
import { pgvectorJobs } from './pgvector-jobs.js';
import { DOC_COLUMNS, type DocRow, pgvectorScan, toDocument } from './pgvector-scan.js';
import { type AnyDb, migratePgvectorSchema } from './pgvector-schema.js';
import {
  asRanked,
  batches,
  filterSql,
  hydrateRanked,
  INSERT_BATCH,
  insertChunks,
  orTsquery,
  parseVector,
  rowsByKey,
  type Tables,
  tablesIn,
  textQuery,
  toHit,
  vectorLiteral,
  vectorQuery,
} from './pgvector-sql.js';
import type { ChunkFilter, ChunkInput, Hit, VectorStore } from './store.js';

export { pgvectorAvailable } from './pgvector-schema.js';

export interface PgvectorStoreOptions {
  /** Not owned: `close()` leaves it open. */
  db: AnyDb;
  dim: number;
  /** default 'agent_manager_rag' */
  schema?: string;
  /** HNSW candidate list per query; default 100 */
  efSearch?: number;
}

function checkDim(dim: number, vectors: Iterable<Float32Array>): void {
  for (const vector of vectors) {
    if (vector.length !== dim) {
      throw new Error(`embedding has ${vector.length} dimensions, the store ${dim}`);
    }
  }
}

/**
 * The production RAG store: Postgres with pgvector ≥ 0.8, HNSW for broad queries, an exact
 * path for selective filters, tsvector full text. Migrates its schema on open.
 *
 * ```ts
 * const store = await openPgvectorStore({ db, dim: 384 });
 * const hits = await store.annSearch(query, 10, { collection: 'rag', metadata: { tenant: 't1' } });
 * ```
 */
export async function openPgvectorStore(opts: PgvectorStoreOptions): Promise<VectorStore> {
  const { db, dim } = opts;
  const schema = opts.schema ?? 'agent_manager_rag';
  const efSearch = opts.efSearch ?? 100;
  if (!Number.isInteger(efSearch) || efSearch < 1 || efSearch > 1000) {
    throw new Error(`efSearch must be an integer in 1..1000, got ${efSearch}`);
  }
  await migratePgvectorSchema(db, schema, dim);
  const t: Tables = tablesIn(schema);

  // Every content-changing write bumps this in its own transaction, so the generation moves
  // exactly when (and only once) the change is committed, whichever process made it.
  const bump = (trx: AnyDb) =>
    sql`UPDATE ${t('meta')} SET value = (value::bigint + 1)::text WHERE key = 'generation'`.execute(
      trx,
    );

  const putCache = async (trx: AnyDb, entries: ReadonlyMap<string, Float32Array> | undefined) => {
    for (const batch of batches([...(entries ?? [])], INSERT_BATCH)) {
      const values = batch.map(([hash, vec]) => sql`(${hash}, ${vectorLiteral(vec)}::vector)`);
      await sql`INSERT INTO ${t('embed_cache')} (hash, vec) VALUES ${sql.join(values)}
        ON CONFLICT (hash) DO NOTHING`.execute(trx);
    }
  };

  const insertAll = async (
    trx: AnyDb,
    collection: string,
    docId: string | null,
    chunks: readonly ChunkInput[],
    defaultDate?: string,
  ) => {
    for (const batch of batches(chunks, INSERT_BATCH)) {
      await insertChunks(t, collection, docId, batch, defaultDate).execute(trx);
    }
  };

  const search = (settings: [string, string][], query: ReturnType<typeof vectorQuery>) =>
    db.transaction().execute(async (trx) => {
      // set_config(…, true) is SET LOCAL with bindable values, all in one round trip.
      const calls = settings.map(([name, value]) => sql`set_config(${name}, ${value}, true)`);
      await sql`SELECT ${sql.join(calls)}`.execute(trx);
      const { rows } = await query.execute(trx);
      return rows.map(toHit);
    });

  const replaceDocuments: VectorStore['replaceDocuments'] = async (items, cache) => {
    checkDim(
      dim,
      items.flatMap(({ chunks }) => chunks.map((c) => c.embedding)),
    );
    checkDim(dim, cache?.values() ?? []);
    await db.transaction().execute(async (trx) => {
      for (const { doc, chunks } of items) {
        await sql`DELETE FROM ${t('chunks')} WHERE doc_id = ${doc.id}`.execute(trx);
        await insertAll(trx, doc.collection, doc.id, chunks, doc.date);
        await sql`
          INSERT INTO ${t('docs')} (id, collection, source, content_hash, metadata, date, chunks,
            updated_at)
          VALUES (${doc.id}, ${doc.collection}, ${doc.source}, ${doc.contentHash},
            ${JSON.stringify(doc.metadata)}::jsonb, ${doc.date ?? null}::date, ${chunks.length},
            ${Date.now()})
          ON CONFLICT (id) DO UPDATE SET collection = excluded.collection,
            source = excluded.source, content_hash = excluded.content_hash,
            metadata = excluded.metadata, date = excluded.date, chunks = excluded.chunks,
            updated_at = excluded.updated_at`.execute(trx);
      }
      await putCache(trx, cache);
      await bump(trx);
    });
  };

  const store: VectorStore = {
    kind: 'pgvector',
    dim,

    async replaceDocument(doc, chunks) {
      await replaceDocuments([{ doc, chunks }]);
    },

    replaceDocuments,

    async getDocument(id) {
      const { rows } = await sql<DocRow>`
        SELECT ${DOC_COLUMNS} FROM ${t('docs')} WHERE id = ${id}`.execute(db);
      return rows[0] && toDocument(rows[0]);
    },

    deleteDocument(id) {
      return db.transaction().execute(async (trx) => {
        await sql`DELETE FROM ${t('chunks')} WHERE doc_id = ${id}`.execute(trx);
        const deleted = await sql`DELETE FROM ${t('docs')} WHERE id = ${id}`.execute(trx);
        if (deleted.numAffectedRows === 0n) {
          return false;
        }
        await bump(trx);
        return true;
      });
    },

    async insertEntries(entries) {
      checkDim(
        dim,
        entries.map((e) => e.embedding),
      );
      if (entries.length === 0) {
        return;
      }
      await db.transaction().execute(async (trx) => {
        await insertAll(trx, 'memory', null, entries);
        await bump(trx);
      });
    },

    deleteEntry(id) {
      return db.transaction().execute(async (trx) => {
        const deleted = await sql`
          DELETE FROM ${t('chunks')} WHERE id = ${id} AND collection = 'memory'`.execute(trx);
        if (deleted.numAffectedRows === 0n) {
          return false;
        }
        await bump(trx);
        return true;
      });
    },

    purgeExpired(now) {
      return db.transaction().execute(async (trx) => {
        const deleted = await sql`
          DELETE FROM ${t('chunks')}
          WHERE collection = 'memory' AND expires_at <= ${now}`.execute(trx);
        const count = Number(deleted.numAffectedRows ?? 0n);
        if (count > 0) {
          await bump(trx);
        }
        return count;
      });
    },

    exactSearch(query, k, filter) {
      checkDim(dim, [query]);
      // With index scans off the planner cannot pick HNSW, yet bitmap scans on the filter
      // indexes stay available, so a selective filter is still cheap.
      return search([['enable_indexscan', 'off']], vectorQuery(t, query, k, filter));
    },

    annSearch(query, k, filter) {
      checkDim(dim, [query]);
      // relaxed_order keeps scanning the graph until k rows pass the filter (or
      // hnsw.max_scan_tuples is reached); without it a 5%-selective filter kept 20% recall.
      return search(
        [
          ['hnsw.ef_search', String(efSearch)],
          ['hnsw.iterative_scan', 'relaxed_order'],
        ],
        vectorQuery(t, query, k, filter),
      );
    },

    async textSearch(text, k, filter): Promise<Hit[]> {
      const tsquery = orTsquery(text);
      if (tsquery === undefined || k < 1) {
        return [];
      }
      const { rows } = await textQuery(t, tsquery, k, filter).execute(db);
      return rows.map(toHit);
    },

    // Rows come back whole from the ranking statement: hydrate only re-reads missing ones.
    exactRank: async (query, k, filter) => asRanked(await store.exactSearch(query, k, filter)),
    annRank: async (query, k, filter) => asRanked(await store.annSearch(query, k, filter)),
    textRank: async (text, k, filter) => asRanked(await store.textSearch(text, k, filter)),
    hydrate: (ranked) =>
      hydrateRanked(ranked, async (keys) => (await rowsByKey(t, keys).execute(db)).rows),

    async countMatching(filter: ChunkFilter, cap: number) {
      const { rows } = await sql<{ n: string | number }>`
        SELECT count(*) AS n FROM (
          SELECT 1 FROM ${t('chunks')} c WHERE ${filterSql(filter)} LIMIT ${cap}
        ) s`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },

    async cachedEmbeddings(hashes) {
      const found = new Map<string, Float32Array>();
      if (hashes.length === 0) {
        return found;
      }
      const { rows } = await sql<{ hash: string; vec: string }>`
        SELECT hash, vec::text AS vec FROM ${t('embed_cache')}
        WHERE hash = ANY(${[...hashes]}::text[])`.execute(db);
      for (const row of rows) {
        found.set(row.hash, parseVector(row.vec));
      }
      return found;
    },

    async cacheEmbeddings(entries) {
      checkDim(dim, entries.values());
      await putCache(db, entries);
    },

    async generation() {
      const { rows } = await sql<{ value: string }>`
        SELECT value FROM ${t('meta')} WHERE key = 'generation'`.execute(db);
      return rows[0]?.value ?? '0';
    },

    async getMeta(key) {
      const { rows } = await sql<{ value: string }>`
        SELECT value FROM ${t('meta')} WHERE key = ${key}`.execute(db);
      return rows[0]?.value;
    },

    async setMeta(key, value) {
      if (key === 'generation') {
        throw new Error("meta key 'generation' belongs to the store");
      }
      await sql`INSERT INTO ${t('meta')} (key, value) VALUES (${key}, ${value})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
    },

    ...pgvectorJobs(db, t),
    ...pgvectorScan(db, t),

    // The caller owns `db` (it is usually shared with the rest of the service).
    async close() {},
  };
  return store;
}
