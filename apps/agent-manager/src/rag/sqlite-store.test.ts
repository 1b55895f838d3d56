import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import type { ChunkInput, DocumentInput, IngestJobRecord } from './store.js';
import { prng } from './test-support/corpus.js';
import { normalize } from './test-support/vectors.js';

const DIM = 16;

/** Points around a few random centres: the shape real embeddings have, and HNSW's hard case. */
function clustered(count: number, dim: number, seed: number, clusters = 20): Float32Array[] {
  const r = prng(seed);
  const centres = Array.from({ length: clusters }, () =>
    normalize(Float32Array.from({ length: dim }, () => r() - 0.5)),
  );
  return Array.from({ length: count }, (_, i) => {
    const c = centres[i % clusters] as Float32Array;
    return normalize(c.map((x) => x + (r() - 0.5) * 0.3));
  });
}

function doc(id: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { id, collection: 'rag', source: `file://${id}`, contentHash: id, metadata: {}, ...extra };
}

function chunk(id: string, embedding: Float32Array, extra: Partial<ChunkInput> = {}): ChunkInput {
  return { id, ordinal: 0, content: `content of ${id}`, embedding, metadata: {}, ...extra };
}

let tmp: TmpDir;
let path: string;
const open: SqliteStore[] = [];
const openStore = async (dim = DIM) => {
  const store = await openSqliteStore({ path, dim });
  open.push(store);
  return store;
};

beforeEach(async () => {
  tmp = await createTmpDir('sqlite-store-');
  path = join(tmp.path, 'rag.db');
});
afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close().catch(() => {});
  }
  await tmp.remove();
});

describe('replaceDocument', () => {
  it('is atomic: a failing insert leaves the old chunks and their text rows', async () => {
    const store = await openStore();
    const [a, b] = clustered(2, DIM, 1);
    await store.replaceDocument(doc('d1'), [
      chunk('d1:0', a as Float32Array, { metadata: { tenant: 'acme' } }),
    ]);
    const generation = await store.generation();

    const bad = [
      chunk('d1:0', b as Float32Array, { content: 'new', metadata: { tenant: 'other' } }),
      chunk('d1:1', new Float32Array(DIM - 1)),
    ];
    await expect(store.replaceDocument(doc('d1'), bad)).rejects.toThrow(/dims/);

    const hits = await store.exactSearch(a as Float32Array, 10, { collection: 'rag' });
    expect(hits.map((h) => [h.id, h.content])).toEqual([['d1:0', 'content of d1:0']]);
    expect(await store.textSearch('new', 10, { collection: 'rag' })).toEqual([]);
    const text = await store.textSearch('content', 10, { collection: 'rag' });
    expect(text.map((h) => h.id)).toEqual(['d1:0']);
    expect(await store.countMatching({ collection: 'rag', metadata: { tenant: 'acme' } }, 10)).toBe(
      1,
    );
    expect(
      await store.countMatching({ collection: 'rag', metadata: { tenant: 'other' } }, 10),
    ).toBe(0);
    expect(await store.generation()).toBe(generation);

    await store.replaceDocument(doc('d1'), [chunk('d1:0', b as Float32Array)]);
    expect((await store.getDocument('d1'))?.chunks).toBe(1);
  });

  it('never lets a stale job copy turn a recorded document state back to pending', async () => {
    const store = await openStore();
    const job: IngestJobRecord = {
      id: 'job1',
      status: 'processing',
      request: {
        documents: [{ source: 'x' }, { source: 'y' }],
        options: { chunk_size: 100, overlap: 0 },
      },
      docsTotal: 2,
      docsDone: 0,
      docsFailed: 0,
      chunksDone: 0,
      embedCacheHits: 0,
      documents: [{ status: 'pending' }, { status: 'pending' }],
      createdAt: 1,
      updatedAt: 1,
    };
    await store.createJob(job);
    const done = { status: 'done' as const, docId: 'd1', chunks: 2 };
    const failed = { status: 'failed' as const, error: { code: 'X', message: 'm' } };
    await store.updateJob({ ...job, documents: [done, failed] });

    // A stale copy (both still pending) must not undo the recorded outcomes.
    await store.updateJob({ ...job, docsDone: 1 });
    expect(await store.getJob('job1')).toMatchObject({ docsDone: 1, documents: [done, failed] });
    expect(await store.unfinishedJobs()).toEqual(['job1']);
    await store.updateJob({ ...job, status: 'completed', docsDone: 2, documents: [done, done] });
    expect(await store.getJob('job1')).toMatchObject({
      status: 'completed',
      documents: [done, done],
    });
    expect(await store.unfinishedJobs()).toEqual([]);
    await expect(store.updateJob({ ...job, id: 'nope' })).rejects.toThrow(/not found/);
  });

  it('replaces chunks, postings and text rows together', async () => {
    const store = await openStore();
    const [a, b] = clustered(2, DIM, 2);
    const meta = { metadata: { tenant: 'acme' } };
    await store.replaceDocument(doc('d1'), [
      chunk('d1:0', a as Float32Array, { ...meta, content: 'alpha' }),
    ]);
    await store.replaceDocument(doc('d1'), [chunk('d1:0', b as Float32Array, { content: 'beta' })]);
    expect(await store.countMatching({ collection: 'rag', metadata: { tenant: 'acme' } }, 10)).toBe(
      0,
    );
    expect(await store.textSearch('alpha', 10, { collection: 'rag' })).toEqual([]);
    expect((await store.textSearch('beta', 10, { collection: 'rag' }))[0]?.source).toBe(
      'file://d1',
    );
    expect(await store.deleteDocument('d1')).toBe(true);
    expect(await store.deleteDocument('d1')).toBe(false);
    expect(await store.countMatching({ collection: 'rag' }, 10)).toBe(0);
  });
});

describe('filters', () => {
  it('restrict by typed metadata, date range, tags, scope/session and expiry', async () => {
    const store = await openStore();
    const vs = clustered(8, DIM, 3);
    const v = (i: number) => vs[i] as Float32Array;
    await store.replaceDocument(doc('d1', { date: '2024-03-01' }), [
      chunk('s', v(0), { metadata: { tenant: 'acme', n: '1' } }),
      chunk('n', v(1), { metadata: { tenant: 1, n: 1 }, date: '2024-01-31' }),
      chunk('b', v(2), { metadata: { tenant: true }, date: '2024-02-01' }),
    ]);
    await store.insertEntries([
      chunk('m1', v(3), { tags: ['x', 'y'], scope: 'session', session: 's1' }),
      chunk('m2', v(4), { tags: ['x'], scope: 'session', session: 's2', expiresAt: 1000 }),
      chunk('m3', v(5), { tags: ['y'], scope: 'longterm', expiresAt: 3000 }),
    ]);

    const ids = async (filter: Parameters<SqliteStore['exactSearch']>[2]) => {
      const exact = (await store.exactSearch(v(0), 10, filter)).map((h) => h.id).sort();
      const counted = await store.countMatching(filter, 100);
      expect(counted).toBe(exact.length);
      return exact;
    };
    expect(await ids({ collection: 'rag', metadata: { tenant: 'acme' } })).toEqual(['s']);
    expect(await ids({ collection: 'rag', metadata: { tenant: 1 } })).toEqual(['n']);
    expect(await ids({ collection: 'rag', metadata: { tenant: true } })).toEqual(['b']);
    expect(await ids({ collection: 'rag', metadata: { tenant: 1, n: '1' } })).toEqual([]);
    expect(await ids({ collection: 'memory', metadata: { tenant: 'acme' } })).toEqual([]);
    // The document's date is the default for chunks that have none.
    expect(await ids({ collection: 'rag', dateFrom: '2024-02-01' })).toEqual(['b', 's']);
    expect(await ids({ collection: 'rag', dateFrom: '2024-01-31', dateTo: '2024-02-01' })).toEqual([
      'b',
      'n',
    ]);
    expect(await ids({ collection: 'memory', tags: ['x'] })).toEqual(['m1', 'm2']);
    expect(await ids({ collection: 'memory', tags: ['x', 'y'] })).toEqual(['m1']);
    expect(await ids({ collection: 'memory', scope: 'session', session: 's2' })).toEqual(['m2']);
    expect(await ids({ collection: 'memory', now: 1000 })).toEqual(['m1', 'm3']);
    expect(await ids({ collection: 'memory', now: 3000, tags: ['y'] })).toEqual(['m1']);
    expect(await ids({ collection: 'rag', docId: 'd2' })).toEqual([]);
    expect(await store.countMatching({ collection: 'memory' }, 2)).toBe(2);

    const text = await store.textSearch('content', 10, { collection: 'memory', tags: ['y'] });
    expect(text.map((h) => h.id).sort()).toEqual(['m1', 'm3']);
    expect(text[0]?.docId).toBe('');
    const scoped = await store.textSearch('content', 10, {
      collection: 'memory',
      scope: 'session',
      now: 1000,
    });
    expect(scoped.map((h) => h.id)).toEqual(['m1']);
    expect(
      await store.textSearch('content', 10, { collection: 'rag', dateTo: '2024-01-31' }),
    ).toHaveLength(1);

    await store.annSearch(v(0), 10, { collection: 'rag' });
    await expect.poll(() => store.indexStats().lag).toBe(0);
    const ann = await store.annSearch(v(0), 10, { collection: 'memory', tags: ['x'], now: 1000 });
    expect(ann.map((h) => h.id)).toEqual(['m1']);

    expect(await store.purgeExpired(1000)).toBe(1);
    expect(await store.deleteEntry('m1')).toBe(true);
    expect(await store.deleteEntry('s')).toBe(false);
    expect(await ids({ collection: 'memory' })).toEqual(['m3']);
  });
});

describe('annSearch', () => {
  const N = 2000;
  // `part` is independent of the cluster (i % 20), like a tenant is of a topic.
  const loadDocs = async (store: SqliteStore, vs: Float32Array[], prefix = 'd') => {
    for (let d = 0; d < vs.length / 100; d++) {
      const chunks = vs
        .slice(d * 100, (d + 1) * 100)
        .map((e, i) =>
          chunk(`${prefix}${d}:${i}`, e, { ordinal: i, metadata: { part: i % 3 === 0 ? 1 : 0 } }),
        );
      await store.replaceDocument(doc(`${prefix}${d}`), chunks);
    }
  };
  const caughtUp = async (store: SqliteStore, q: Float32Array) => {
    await store.annSearch(q, 1, { collection: 'rag' });
    await expect.poll(() => store.indexStats().lag, { timeout: 20_000 }).toBe(0);
  };

  it('recalls ≥ 0.95 of the exact top-10 on clustered vectors, filtered or not', async () => {
    const store = await openStore();
    const vs = clustered(N, DIM, 4);
    await loadDocs(store, vs);
    const queries = clustered(50, DIM, 5);
    await caughtUp(store, queries[0] as Float32Array);
    expect(store.indexStats()).toEqual({ indexed: N, lag: 0 });

    for (const filter of [
      { collection: 'rag' as const },
      { collection: 'rag' as const, metadata: { part: 1 } },
    ]) {
      let found = 0;
      for (const q of queries) {
        const exact = new Set((await store.exactSearch(q, 10, filter)).map((h) => h.key));
        const ann = await store.annSearch(q, 10, filter);
        expect(ann.length).toBe(10);
        found += ann.filter((h) => exact.has(h.key)).length;
      }
      expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('finds rows not yet in the graph, and never returns deleted ones', async () => {
    const store = await openStore();
    const vs = clustered(N + 10, DIM, 6);
    await loadDocs(store, vs.slice(0, N));
    await caughtUp(store, vs[0] as Float32Array);

    // The newest rows are deleted, then new rows are added: with a reused rowid the new rows
    // would hide behind the watermark and be served with the deleted rows' vectors.
    const last = vs[N - 1] as Float32Array;
    expect(await store.deleteDocument(`d${N / 100 - 1}`)).toBe(true);
    const tail = vs.slice(N, N + 10);
    await store.replaceDocument(
      doc('tail'),
      tail.map((e, i) => chunk(`tail:${i}`, e, { ordinal: i })),
    );
    expect(store.indexStats().lag).toBe(10);

    for (const [i, q] of tail.entries()) {
      const hits = await store.annSearch(q, 5, { collection: 'rag' });
      expect(hits[0]?.id).toBe(`tail:${i}`);
      expect(hits[0]?.score).toBeCloseTo(1, 5);
    }
    const gone = await store.annSearch(last, 200, { collection: 'rag' });
    expect(gone.some((h) => h.docId === `d${N / 100 - 1}`)).toBe(false);
    expect(gone.every((h) => h.score <= (gone[0]?.score ?? 1))).toBe(true);

    await expect.poll(() => store.indexStats().lag).toBe(0);
    // A second process deletes; the first must notice on its next search, not serve the row.
    const other = await openStore();
    const victim = (await store.annSearch(vs[5] as Float32Array, 1, { collection: 'rag' }))[0];
    expect(victim?.id).toBe('d0:5');
    await other.deleteDocument('d0');
    const before = store.indexStats().indexed;
    const after = await store.annSearch(vs[5] as Float32Array, 50, { collection: 'rag' });
    expect(after.some((h) => h.docId === 'd0')).toBe(false);
    // Found missing, so dropped from the graph too (lazily: only rows a search came across).
    expect(store.indexStats().indexed).toBeLessThan(before);
  });

  it('reloads the persisted index on reopen instead of rebuilding', async () => {
    const first = await openStore();
    const vs = clustered(N, DIM, 7);
    await loadDocs(first, vs);
    await caughtUp(first, vs[0] as Float32Array);
    await first.close();

    const second = await openStore();
    expect(second.indexStats()).toEqual({ indexed: 0, lag: N });
    // No await between the search and the stats: a rebuild would still show the whole lag.
    const hits = await second.annSearch(vs[3] as Float32Array, 1, { collection: 'rag' });
    expect(second.indexStats()).toEqual({ indexed: N, lag: 0 });
    expect(hits[0]?.id).toBe('d0:3');
  });
});

describe('textSearch', () => {
  it('never throws on hostile input', async () => {
    const store = await openStore();
    const [a] = clustered(1, DIM, 8);
    await store.replaceDocument(doc('d1'), [
      chunk('d1:0', a as Float32Array, {
        content: 'Naïve café NEAR the straße, 東京 and AND-OR "quoted"',
      }),
    ]);
    const hostile = [
      '"',
      '*',
      'NEAR(',
      '-',
      '- foo',
      'a OR',
      'AND',
      '^',
      ':',
      '(',
      ')',
      '"*"',
      '\u0000',
      '🙂',
      '',
      '   ',
      'NOT x',
      'col:foo',
      '{a b}:c',
    ];
    for (const text of hostile) {
      await expect(store.textSearch(text, 5, { collection: 'rag' })).resolves.toBeInstanceOf(Array);
    }
    expect(await store.textSearch('"*"', 5, { collection: 'rag' })).toEqual([]);
    const hit = async (text: string) =>
      (await store.textSearch(text, 5, { collection: 'rag' }))[0]?.id;
    expect(await hit('NEAR(')).toBe('d1:0');
    expect(await hit('naive')).toBe('d1:0');
    expect(await hit('東京')).toBe('d1:0');
    expect(await hit('"quoted')).toBe('d1:0');
    expect(await hit('zzz OR straße')).toBe('d1:0');
    const [only] = await store.textSearch('café', 5, { collection: 'rag' });
    expect(only?.score).toBeGreaterThan(0);
  });
});

describe('generation', () => {
  it('changes when this or another connection commits', async () => {
    const a = await openStore();
    const b = await openStore();
    const g0 = await a.generation();
    expect(await a.generation()).toBe(g0);
    await b.setMeta('k', 'v');
    const g1 = await a.generation();
    expect(g1).not.toBe(g0);
    expect(await a.getMeta('k')).toBe('v');
    await a.insertEntries([chunk('m', clustered(1, DIM, 9)[0] as Float32Array)]);
    const g2 = await a.generation();
    expect(g2).not.toBe(g1);
    // A write that changes nothing (the periodic purge with nothing expired) keeps it, in this
    // connection and in others.
    expect(await a.purgeExpired(Date.now())).toBe(0);
    expect(await b.purgeExpired(Date.now())).toBe(0);
    expect(await a.generation()).toBe(g2);
  });

  it('keeps the embedding cache and refuses a different dim', async () => {
    const a = await openStore();
    const v = clustered(1, DIM, 10)[0] as Float32Array;
    await a.cacheEmbeddings(new Map([['h1', v]]));
    const got = await a.cachedEmbeddings(['h1', 'h2']);
    expect([...got.keys()]).toEqual(['h1']);
    expect(got.get('h1')).toEqual(v);
    await expect(openSqliteStore({ path, dim: DIM + 1 })).rejects.toThrow(/dim/);
  });
});

describe('exactSearch with the vector cache', () => {
  it('returns what SQL exact returns, after replaces, deletes and rows added later', async () => {
    const cached = await openStore();
    const sql = await openSqliteStore({ path, dim: DIM, vectorCache: false });
    open.push(sql);
    // Past 1,024 rows: a run of consecutive rows crosses the cache's pages.
    const vs = clustered(2600, DIM, 11);
    const load = async (store: SqliteStore, prefix: string, from: number, to: number) => {
      for (let d = from; d < to; d += 50) {
        await store.replaceDocument(
          doc(`${prefix}${d}`, { date: `2024-0${1 + (d % 9)}-01` }),
          vs
            .slice(d, d + 50)
            .map((e, i) =>
              chunk(`${prefix}${d}:${i}`, e, { ordinal: i, metadata: { tenant: `t${i % 4}` } }),
            ),
        );
      }
    };
    const queries = clustered(8, DIM, 12);
    const filters = [
      { collection: 'rag' as const },
      { collection: 'rag' as const, metadata: { tenant: 't1' } },
      { collection: 'rag' as const, metadata: { tenant: 't2' }, dateFrom: '2024-03-01' },
      { collection: 'rag' as const, docId: 'd100' },
    ];
    const same = async () => {
      for (const q of queries) {
        for (const filter of filters) {
          // A count lists the rows (kept for the search) when they are few: the same count.
          for (const cap of [5, 100_000]) {
            expect(await cached.countMatching(filter, cap)).toBe(
              await sql.countMatching(filter, cap),
            );
          }
          const want = await sql.exactSearch(q, 7, filter);
          const got = await cached.exactSearch(q, 7, filter);
          // The same rows in the same order; scores agree to float32 rounding (SIMD sums).
          expect(got.map(({ score, ...hit }) => hit)).toEqual(want.map(({ score, ...hit }) => hit));
          for (const [i, hit] of got.entries()) {
            expect(hit.score).toBeCloseTo(want[i]?.score as number, 5);
          }
        }
      }
    };
    await load(cached, 'd', 0, 1200);
    await same();
    // Replaced and deleted rows (written by either connection) must not come back from the cache.
    await load(sql, 'd', 0, 600);
    expect(await cached.deleteDocument('d150')).toBe(true);
    await same();
    // Rows written after the cache was filled, by another connection (a list kept before is
    // stale then).
    await cached.countMatching({ collection: 'rag' }, 100_000);
    await load(sql, 'n', 1200, 2600);
    await same();
    expect(
      (await cached.exactSearch(vs[2599] as Float32Array, 1, { collection: 'rag' }))[0]?.id,
    ).toBe('n2550:49');
  });
});
