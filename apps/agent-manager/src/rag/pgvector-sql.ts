import { type RawBuilder, sql } from 'kysely';
import type { ChunkFilter, ChunkInput, Hit, Metadata, Ranked } from './store.js';

/**
 * pgvector's text format. Nine significant digits round-trip any float32 exactly and keep the
 * literal about half as long as `String(x)` of the widened double.
 */
export function vectorLiteral(vector: Float32Array): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) {
    out += (i === 0 ? '' : ',') + (vector[i] as number).toPrecision(9);
  }
  return `${out}]`;
}

export function parseVector(text: string): Float32Array {
  const body = text.trim().slice(1, -1);
  if (body === '') {
    return new Float32Array(0);
  }
  return Float32Array.from(body.split(','), Number);
}

/** Table names qualified by the store's schema. */
export type Tables = (
  name: 'docs' | 'chunks' | 'embed_cache' | 'meta' | 'ingest_jobs',
) => RawBuilder<unknown>;

export function tablesIn(schema: string): Tables {
  return (name) => sql`${sql.id(schema, name)}`;
}

/** The WHERE clause for a filter over `chunks` aliased `c`; every part must hold. */
export function filterSql(filter: ChunkFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`c.collection = ${filter.collection}`];
  if (filter.metadata && Object.keys(filter.metadata).length > 0) {
    // Containment keeps JSON types, so {"year": 2020} does not match {"year": "2020"}.
    parts.push(sql`c.metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
  }
  if (filter.tags && filter.tags.length > 0) {
    parts.push(sql`c.tags @> ${filter.tags}::text[]`);
  }
  if (filter.docId !== undefined) {
    parts.push(sql`c.doc_id = ${filter.docId}`);
  }
  if (filter.scope !== undefined) {
    parts.push(sql`c.scope = ${filter.scope}`);
  }
  if (filter.session !== undefined) {
    parts.push(sql`c.session = ${filter.session}`);
  }
  if (filter.dateFrom !== undefined) {
    parts.push(sql`c.date >= ${filter.dateFrom}::date`);
  }
  if (filter.dateTo !== undefined) {
    parts.push(sql`c.date <= ${filter.dateTo}::date`);
  }
  if (filter.now !== undefined) {
    parts.push(sql`(c.expires_at IS NULL OR c.expires_at > ${filter.now})`);
  }
  return sql.join(parts, sql` AND `);
}

/**
 * An OR query of the text's words, so any-word matches rank like BM25 would rather than
 * requiring every word. Words are cut to letters and digits, so nothing the user types can
 * reach the tsquery parser as syntax; undefined when no word is left.
 */
export function orTsquery(text: string): string | undefined {
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 0),
  );
  // A bound on pathological inputs (a pasted document as the query).
  const kept = [...words].slice(0, 64);
  return kept.length === 0 ? undefined : kept.join(' | ');
}

const HIT_COLUMNS = sql`c.key, c.id, c.doc_id, c.content, c.metadata, c.date::text AS date, c.tags,
  c.scope, c.session`;

/**
 * Nearest rows by cosine distance over the filtered rows. The outer query re-sorts, which
 * `hnsw.iterative_scan = relaxed_order` needs (its results may come slightly out of order),
 * and attaches the document's source.
 */
export function vectorQuery(t: Tables, query: Float32Array, k: number, filter: ChunkFilter) {
  return sql<HitRow>`
    WITH nearest AS MATERIALIZED (
      SELECT ${HIT_COLUMNS}, c.embedding <=> ${vectorLiteral(query)}::vector AS distance
      FROM ${t('chunks')} c WHERE ${filterSql(filter)}
      ORDER BY distance LIMIT ${k}
    )
    SELECT n.*, 1 - n.distance AS score, d.source FROM nearest n
    LEFT JOIN ${t('docs')} d ON d.id = n.doc_id
    ORDER BY n.distance, n.key`;
}

export function textQuery(t: Tables, tsquery: string, k: number, filter: ChunkFilter) {
  return sql<HitRow>`
    WITH matched AS MATERIALIZED (
      SELECT ${HIT_COLUMNS}, ts_rank_cd(c.tsv, q) AS score
      FROM ${t('chunks')} c, to_tsquery('simple', ${tsquery}) q
      WHERE c.tsv @@ q AND ${filterSql(filter)}
      ORDER BY score DESC, c.key LIMIT ${k}
    )
    SELECT m.*, d.source FROM matched m
    LEFT JOIN ${t('docs')} d ON d.id = m.doc_id
    ORDER BY m.score DESC, m.key`;
}

/** Rows by key, for a ranking whose rows were not read with it. */
export function rowsByKey(t: Tables, keys: readonly number[]) {
  return sql<HitRow>`
    SELECT ${HIT_COLUMNS}, 0 AS score, d.source FROM ${t('chunks')} c
    LEFT JOIN ${t('docs')} d ON d.id = c.doc_id
    WHERE c.key = ANY(${keys.map(String)}::bigint[])`;
}

export const asRanked = (hits: readonly Hit[]): Ranked[] =>
  hits.map((hit) => ({ key: hit.key, score: hit.score, hit }));

/** A ranking's rows in its order, with its scores; `fetch` reads those it does not carry. */
export async function hydrateRanked(
  ranked: readonly Ranked[],
  fetch: (keys: number[]) => Promise<HitRow[]>,
): Promise<Hit[]> {
  const missing = ranked.filter((r) => r.hit === undefined).map((r) => r.key);
  const read = new Map(
    missing.length === 0 ? [] : (await fetch(missing)).map((row) => [Number(row.key), toHit(row)]),
  );
  return ranked.flatMap((r) => {
    const hit = r.hit ?? read.get(r.key);
    return hit ? [{ ...hit, score: r.score }] : [];
  });
}

export interface HitRow {
  key: string | number;
  id: string;
  doc_id: string | null;
  content: string;
  metadata: Metadata;
  date: string | null;
  tags: string[] | null;
  scope: string | null;
  session: string | null;
  score: number | string;
  source: string | null;
}

export function toHit(row: HitRow): Hit {
  return {
    key: Number(row.key),
    id: row.id,
    // Memory entries belong to no document.
    docId: row.doc_id ?? '',
    content: row.content,
    score: Number(row.score),
    metadata: row.metadata,
    ...(row.date === null ? {} : { date: row.date }),
    ...(row.tags === null ? {} : { tags: row.tags }),
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.session === null ? {} : { session: row.session }),
    ...(row.source === null ? {} : { source: row.source }),
  };
}

/** Rows per INSERT: 14 parameters a row stays far below Postgres's 65,535-parameter limit. */
export const INSERT_BATCH = 500;

/** A multi-row INSERT of chunks; `docId` null for memory entries. */
export function insertChunks(
  t: Tables,
  collection: string,
  docId: string | null,
  chunks: readonly ChunkInput[],
  defaultDate?: string,
) {
  const rows = chunks.map(
    (c) => sql`(${c.id}, ${collection}, ${docId}, ${c.ordinal}, ${c.content},
      ${vectorLiteral(c.embedding)}::vector, ${JSON.stringify(c.metadata)}::jsonb,
      ${c.date ?? defaultDate ?? null}::date, ${c.tags ?? null}::text[], ${c.scope ?? null},
      ${c.session ?? null}, ${c.expiresAt ?? null}::bigint)`,
  );
  return sql`INSERT INTO ${t('chunks')}
    (id, collection, doc_id, ordinal, content, embedding, metadata, date, tags, scope, session, expires_at)
    VALUES ${sql.join(rows)}`;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
