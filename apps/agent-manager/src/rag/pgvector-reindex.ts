import { sql } from 'kysely';
import type { Embedder } from './embedder.js';
import {
  type AnyDb,
  HNSW_INDEX,
  migratePgvectorSchema,
  replacePgvectorSchema,
} from './pgvector-schema.js';
import { tablesIn } from './pgvector-sql.js';
import { openPgvectorStore } from './pgvector-store.js';
import { copyReembedded, EMBEDDER_KEY, type ReindexStats, type StoreSummary } from './reindex.js';

/** The schema's recorded embedder and row count; undefined when there is no store there yet. */
export async function peekPgvectorStore(
  db: AnyDb,
  schema: string,
): Promise<StoreSummary | undefined> {
  const { rows } = await sql<{ chunks: string | null; meta: string | null }>`
    SELECT to_regclass(${`"${schema}".chunks`})::text AS chunks,
      to_regclass(${`"${schema}".meta`})::text AS meta`.execute(db);
  if (!rows[0]?.chunks || !rows[0].meta) {
    return undefined;
  }
  const t = tablesIn(schema);
  const meta = await sql<{ value: string }>`
    SELECT value FROM ${t('meta')} WHERE key = ${EMBEDDER_KEY}`.execute(db);
  const count = await sql<{ n: string | number }>`
    SELECT count(*) AS n FROM ${t('chunks')}`.execute(db);
  return { embedder: meta.rows[0]?.value, chunks: Number(count.rows[0]?.n ?? 0) };
}

export interface ReindexPgvectorOptions {
  db: AnyDb;
  /** the store's schema, e.g. agent_manager_rag */
  schema: string;
  /** the dimension its vectors have */
  fromDim: number;
  embedder: Embedder;
  logger: Parameters<typeof copyReembedded>[0]['logger'];
}

/**
 * Re-embeds the store in `schema` with `embedder`: builds `<schema>_reindex` beside it (dropping
 * a leftover first) and swaps it in with one transaction only once complete, so a failure midway
 * leaves the old schema intact and usable with the old embedder. Nothing may write to the old
 * schema meanwhile: such writes would be lost at the swap.
 */
export async function reindexPgvectorStore(opts: ReindexPgvectorOptions): Promise<ReindexStats> {
  const { db, schema, embedder } = opts;
  const next = `${schema}_reindex`;
  const dropNext = () => sql`DROP SCHEMA IF EXISTS ${sql.id(next)} CASCADE`.execute(db);
  await dropNext();
  try {
    const from = await openPgvectorStore({ db, dim: opts.fromDim, schema });
    const to = await openPgvectorStore({ db, dim: embedder.dim, schema: next });
    // Filling a live HNSW graph measured several times slower than building it once at the end.
    await sql`DROP INDEX ${sql.id(next, HNSW_INDEX)}`.execute(db);
    const stats = await copyReembedded({ from, to, embedder, logger: opts.logger });
    await migratePgvectorSchema(db, next, embedder.dim);
    await replacePgvectorSchema(db, schema, next);
    return stats;
  } catch (err) {
    // The leftover would be dropped by the next attempt anyway; this only frees the space early,
    // so its own failure (the connection that just failed, say) must not hide `err`.
    await dropNext().catch(() => {});
    throw err;
  }
}
