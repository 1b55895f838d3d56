import { describeWithService, percentile } from '@agentplane/testkit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HNSW_INDEX, versionAtLeast } from './pgvector-schema.js';
import { tablesIn, vectorQuery } from './pgvector-sql.js';
import { openPgvectorStore, pgvectorAvailable } from './pgvector-store.js';
import { type Opened, VARIANTS } from './pgvector-test-db.js';
import type { ChunkFilter, ChunkInput, VectorStore } from './store.js';
import { bruteForce, clusters } from './test-support/vectors.js';

const DIM = 384;
const N = 2_000;
const QUERIES = 40;

const data = clusters(DIM, 40, 0.6, 7);
const rows: ChunkInput[] = Array.from({ length: N }, (_, i) => ({
  id: `doc${Math.floor(i / 100)}:${i % 100}`,
  ordinal: i % 100,
  content: `row ${i} cluster text`,
  embedding: data.sample(),
  // tenant is independent of the clusters, each value ~5% of rows: the hard filtered case.
  metadata: { tenant: `t${Math.floor(data.random() * 20)}`, year: 2015 + (i % 10) },
}));
const queries = Array.from({ length: QUERIES }, () => data.sample());

function recall(found: readonly { id: string }[], truth: readonly { id: string }[]): number {
  const want = new Set(truth.map((hit) => hit.id));
  return found.filter((hit) => want.has(hit.id)).length / Math.max(1, want.size);
}

async function timed<T>(fn: () => Promise<T>, into: number[]): Promise<T> {
  const start = performance.now();
  const result = await fn();
  into.push(performance.now() - start);
  return result;
}

describe.each(VARIANTS)('pgvector store: $name', ({ name, open }) => {
  let opened: Opened;
  let store: VectorStore;

  beforeAll(async () => {
    opened = await open();
    expect(await pgvectorAvailable(opened.db)).toMatchObject({ ok: true });
    store = await openPgvectorStore({ db: opened.db, dim: DIM });
    // Filling a live HNSW graph on PGlite is several times slower than building it once.
    await sql`DROP INDEX agent_manager_rag.${sql.id(HNSW_INDEX)}`.execute(opened.db);
    const start = performance.now();
    for (let d = 0; d < N / 100; d++) {
      const chunks = rows.slice(d * 100, d * 100 + 100);
      const doc = {
        id: `doc${d}`,
        collection: 'rag' as const,
        source: `s${d}.md`,
        contentHash: 'h',
        metadata: {},
      };
      await store.replaceDocument(doc, chunks);
    }
    const loaded = performance.now();
    // Reopening is idempotent and recreates the dropped index.
    store = await openPgvectorStore({ db: opened.db, dim: DIM });
    const indexed = performance.now();
    // PGlite runs no autovacuum: without statistics the planner guesses 10 rows and sorts.
    await sql`ANALYZE agent_manager_rag.chunks`.execute(opened.db);
    const memory = rows.slice(0, 200).map((row) => ({ ...row, id: `mem_${row.id}` }));
    const live = performance.now();
    await store.insertEntries(memory);
    const liveRate = (memory.length / (performance.now() - live)) * 1000;
    process.stderr.write(
      `[${name}] ${N} rows: ${((N / (loaded - start)) * 1000).toFixed(0)} rows/s in 100-row replaces, HNSW build ${(indexed - loaded).toFixed(0)} ms, ${liveRate.toFixed(0)} rows/s into the live index (one 200-row insertEntries)\n`,
    );
  }, 180_000);

  afterAll(() => opened?.close(), 60_000);

  it('pgvectorAvailable reports the version and reopening with another dim is refused', async () => {
    const available = await pgvectorAvailable(opened.db);
    expect(available.ok && versionAtLeast(available.version)).toBe(true);
    await expect(openPgvectorStore({ db: opened.db, dim: 3 })).rejects.toThrow(/vector\(384\)/);
  });

  it('exactSearch is exact and annSearch keeps recall@10 ≥ 0.95, filtered or not', async () => {
    const filters: ChunkFilter[] = [
      { collection: 'rag' },
      { collection: 'rag', metadata: { tenant: 't3' } },
    ];
    const times = { exact: [] as number[], ann: [] as number[], text: [] as number[] };
    for (const filter of filters) {
      const admitted = rows.filter(
        (r) => !filter.metadata || r.metadata.tenant === filter.metadata.tenant,
      );
      if (filter.metadata) {
        expect(admitted.length).toBeGreaterThan(N * 0.03);
        expect(admitted.length).toBeLessThan(N * 0.08);
      }
      let sum = 0;
      for (const query of queries) {
        const exact = await timed(() => store.exactSearch(query, 10, filter), times.exact);
        expect(exact.map((hit) => hit.id)).toEqual(bruteForce(admitted, query, 10));
        const ann = await timed(() => store.annSearch(query, 10, filter), times.ann);
        sum += recall(ann, exact);
        expect(ann[0]?.score).toBeCloseTo(exact[0]?.score ?? 0, 4);
      }
      process.stderr.write(
        `[${name}] recall@10 ${JSON.stringify(filter)}: ${sum / queries.length}\n`,
      );
      expect(sum / queries.length, JSON.stringify(filter)).toBeGreaterThanOrEqual(0.95);
      await timed(() => store.textSearch('row cluster 17', 10, filter), times.text);
    }
    for (let i = 0; i < QUERIES; i++) {
      await timed(() => store.textSearch(`row ${i} text`, 10, { collection: 'rag' }), times.text);
    }
    const p50 = (xs: number[]) => percentile(xs, 50).toFixed(2);
    process.stderr.write(
      `[${name}] p50 ms: exact ${p50(times.exact)}, ann ${p50(times.ann)}, text ${p50(times.text)}\n`,
    );
  });

  // The same SQL annSearch runs, under the settings given, in one transaction.
  const underSettings = <T>(settings: [string, string][], run: (trx: Kysely<any>) => Promise<T>) =>
    opened.db.transaction().execute(async (trx) => {
      for (const [key, value] of settings) {
        await sql`SELECT set_config(${key}, ${value}, true)`.execute(trx);
      }
      return run(trx);
    });
  const query = (q: Float32Array, filter: ChunkFilter) =>
    vectorQuery(tablesIn('agent_manager_rag'), q, 10, filter);

  it('annSearch walks the HNSW index and exactSearch does not', async () => {
    const plan = (settings: [string, string][]) =>
      underSettings(settings, async (trx) => {
        const q = query(queries[0] as Float32Array, { collection: 'rag' });
        const { rows: lines } = await sql<Record<string, string>>`EXPLAIN ${q}`.execute(trx);
        return lines.map((line) => Object.values(line)[0]).join('\n');
      });
    expect(await plan([['hnsw.iterative_scan', 'relaxed_order']])).toContain(HNSW_INDEX);
    expect(await plan([['enable_indexscan', 'off']])).not.toContain(HNSW_INDEX);
  });

  // At 5% of 2,000 rows the planner rightly prefers the metadata index and an exact sort, so
  // annSearch above never walked the graph for the filtered case; here the graph is forced.
  it('the HNSW path alone keeps filtered recall with iterative scan and loses it without', async () => {
    const filter: ChunkFilter = { collection: 'rag', metadata: { tenant: 't3' } };
    // Before the transaction: the store would wait for the connection the transaction holds.
    const truth = await Promise.all(queries.map((q) => store.exactSearch(q, 10, filter)));
    const forced = (iterative: string) =>
      underSettings(
        [
          ['enable_seqscan', 'off'],
          ['enable_bitmapscan', 'off'],
          ['hnsw.ef_search', '100'],
          ['hnsw.iterative_scan', iterative],
        ],
        async (trx) => {
          let sum = 0;
          for (const [i, q] of queries.entries()) {
            const { rows: hits } = await query(q, filter).execute(trx);
            sum += recall(hits, truth[i] ?? []);
          }
          return sum / queries.length;
        },
      );
    const withScan = await forced('relaxed_order');
    const without = await forced('off');
    process.stderr.write(
      `[${name}] forced-HNSW filtered recall@10: iterative ${withScan}, off ${without}\n`,
    );
    expect(withScan).toBeGreaterThanOrEqual(0.95);
    expect(without).toBeLessThan(0.5);
  });
});

describeWithService('postgres', 'pgvectorAvailable on the real Postgres', () => {
  it('says whether pgvector ≥ 0.8 is there, and the store refuses to open without it', async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      const available = await pgvectorAvailable(db);
      process.stderr.write(`[real postgres] pgvectorAvailable: ${JSON.stringify(available)}\n`);
      if (available.ok) {
        expect(versionAtLeast(available.version)).toBe(true);
      } else {
        expect(available.reason).toMatch(/pgvector ≥ 0\.8 is required/);
        await expect(openPgvectorStore({ db, dim: 4, schema: 'pgvector_probe' })).rejects.toThrow(
          /pgvector ≥ 0\.8 is required/,
        );
        const { rows } =
          await sql`SELECT 1 FROM pg_namespace WHERE nspname = 'pgvector_probe'`.execute(db);
        expect(rows).toEqual([]);
      }
    } finally {
      await db.destroy();
    }
  });
});
