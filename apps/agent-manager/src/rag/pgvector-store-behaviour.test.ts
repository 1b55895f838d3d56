import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgvectorStore } from './pgvector-store.js';
import { type Opened, VARIANTS } from './pgvector-test-db.js';
import type { ChunkFilter, ChunkInput, IngestJobRecord, VectorStore } from './store.js';
import { normalize } from './test-support/vectors.js';

describe.each(VARIANTS)('pgvector store behaviour: $name', ({ open }) => {
  let opened: Opened;
  let store: VectorStore;
  const vec = (seed: number) =>
    normalize(Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed * 7 + i)));
  const chunk = (id: string, content: string, extra: Partial<ChunkInput> = {}): ChunkInput => ({
    id,
    ordinal: 0,
    content,
    embedding: vec(id.length + content.length),
    metadata: {},
    ...extra,
  });
  const doc = (id: string) => ({
    id,
    collection: 'rag' as const,
    source: `${id}.md`,
    contentHash: `h-${id}`,
    metadata: {},
  });

  beforeAll(async () => {
    opened = await open();
    store = await openPgvectorStore({ db: opened.db, dim: 8, schema: 'rag_small' });
  }, 60_000);
  afterAll(() => opened?.close(), 60_000);

  it('replaces a document atomically, and a failing replace leaves the old chunks', async () => {
    await store.replaceDocument(doc('a'), [chunk('a:0', 'old zero'), chunk('a:1', 'old one')]);
    await store.replaceDocument(doc('b'), [chunk('b:0', 'bee')]);
    const before = await store.generation();
    const ids = async () =>
      (await store.textSearch('old new zero one', 10, { collection: 'rag', docId: 'a' }))
        .map((h) => h.id)
        .sort();
    // A constraint failure after the delete: b:0 belongs to another document.
    await expect(
      store.replaceDocument(doc('a'), [chunk('a:0', 'new zero'), chunk('b:0', 'x')]),
    ).rejects.toThrow();
    const wrongDim = { ...chunk('a:0', 'new'), embedding: new Float32Array(5) };
    await expect(store.replaceDocument(doc('a'), [wrongDim])).rejects.toThrow(/dimensions/);
    // Old chunks and their text rows stay, and no text row of the failed attempt is left.
    expect(await ids()).toEqual(['a:0', 'a:1']);
    expect(await store.textSearch('new', 10, { collection: 'rag' })).toEqual([]);
    expect(await store.countMatching({ collection: 'rag', docId: 'a' }, 10)).toBe(2);
    expect(await store.generation()).toBe(before);
    await store.replaceDocument(doc('a'), [chunk('a:9', 'new zero')]);
    expect(await ids()).toEqual(['a:9']);
    expect(await store.generation()).not.toBe(before);
    expect(await store.getDocument('a')).toMatchObject({
      chunks: 1,
      contentHash: 'h-a',
      source: 'a.md',
    });
  });

  it('never lets a stale job copy turn a recorded document state back to pending', async () => {
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
    // The ingest runner records a document's outcome once its replace has committed.
    await store.replaceDocument(doc('y'), [chunk('y:0', 'why')]);
    await store.updateJob({
      ...job,
      documents: [{ status: 'pending' }, { status: 'done', docId: 'y', chunks: 1 }],
    });
    const stored = await store.getJob('job1');
    expect(stored?.documents).toEqual([
      { status: 'pending' },
      { status: 'done', docId: 'y', chunks: 1 },
    ]);
    // An older copy of the record does not undo the recorded state.
    await store.updateJob({ ...job, docsDone: 1 });
    expect((await store.getJob('job1'))?.documents[1]).toEqual({
      status: 'done',
      docId: 'y',
      chunks: 1,
    });
    await store.createJob({ ...job, id: 'job0', status: 'queued', createdAt: 0 });
    expect(await store.unfinishedJobs()).toEqual(['job0', 'job1']);
    const failed = { status: 'failed' as const, error: { code: 'X', message: 'm' } };
    await store.updateJob({
      ...job,
      status: 'completed',
      docsDone: 2,
      documents: [failed, { status: 'pending' }],
    });
    expect(await store.getJob('job1')).toMatchObject({
      status: 'completed',
      docsDone: 2,
      documents: [failed, { status: 'done', docId: 'y', chunks: 1 }],
    });
    expect(await store.unfinishedJobs()).toEqual(['job0']);
    await expect(store.updateJob({ ...job, id: 'nope' })).rejects.toThrow(/not found/);
  });

  it('filters by typed metadata, dates, tags, scope, session and expiry', async () => {
    await store.replaceDocument({ ...doc('m'), date: '2024-05-01' }, [
      chunk('m:0', 'meta alpha', { metadata: { year: 2020, lang: 'en', draft: false } }),
      chunk('m:1', 'meta beta', { metadata: { year: '2020', lang: 'en' }, date: '2024-06-30' }),
      chunk('m:2', 'meta gamma', { metadata: { year: 2021, lang: 'de' }, date: '2024-07-01' }),
    ]);
    const q = vec(1);
    const ids = async (
      filter: Omit<ChunkFilter, 'collection'>,
      collection: ChunkFilter['collection'] = 'rag',
    ) => {
      const exact = (await store.exactSearch(q, 10, { collection, ...filter }))
        .map((h) => h.id)
        .sort();
      expect(
        (await store.annSearch(q, 10, { collection, ...filter })).map((h) => h.id).sort(),
      ).toEqual(exact);
      expect(await store.countMatching({ collection, ...filter }, 100)).toBe(exact.length);
      return exact;
    };
    expect(await ids({ docId: 'm', metadata: { year: 2020 } })).toEqual(['m:0']);
    expect(await ids({ docId: 'm', metadata: { year: '2020', lang: 'en' } })).toEqual(['m:1']);
    expect(await ids({ docId: 'm', metadata: { draft: false } })).toEqual(['m:0']);
    expect(await ids({ docId: 'm', dateFrom: '2024-05-01', dateTo: '2024-06-30' })).toEqual([
      'm:0',
      'm:1',
    ]);
    expect(await ids({ docId: 'm', dateFrom: '2024-07-01' })).toEqual(['m:2']);
    const hit = (
      await store.exactSearch(q, 1, { collection: 'rag', docId: 'm', dateFrom: '2024-07-01' })
    )[0];
    expect(hit).toMatchObject({
      docId: 'm',
      date: '2024-07-01',
      source: 'm.md',
      metadata: { year: 2021 },
    });
    expect(hit?.key).toBeTypeOf('number');

    await store.insertEntries([
      chunk('mem_1', 'memory one', { tags: ['x', 'y'], scope: 'session', session: 's1' }),
      chunk('mem_2', 'memory two', {
        tags: ['x'],
        scope: 'session',
        session: 's2',
        expiresAt: 1_000,
      }),
      chunk('mem_3', 'memory three', { scope: 'longterm', expiresAt: 5_000 }),
    ]);
    expect(await ids({ tags: ['x'] }, 'memory')).toEqual(['mem_1', 'mem_2']);
    expect(await ids({ tags: ['x', 'y'] }, 'memory')).toEqual(['mem_1']);
    expect(await ids({ scope: 'session', session: 's2' }, 'memory')).toEqual(['mem_2']);
    expect(await ids({ now: 1_000 }, 'memory')).toEqual(['mem_1', 'mem_3']);
    expect(await ids({ now: 999 }, 'memory')).toEqual(['mem_1', 'mem_2', 'mem_3']);
    expect(await store.countMatching({ collection: 'memory' }, 2)).toBe(2);
    const memoryHit = (await store.exactSearch(q, 1, { collection: 'memory', session: 's1' }))[0];
    expect(memoryHit).toMatchObject({ id: 'mem_1', docId: '', tags: ['x', 'y'] });
  });

  it('textSearch matches any word and never throws on hostile input', async () => {
    await store.replaceDocument(doc('t'), [
      chunk('t:0', 'The quick brown fox'),
      chunk('t:1', "O'Brien's fox: jumps!"),
    ]);
    const hits = await store.textSearch('fox zebra', 10, { collection: 'rag', docId: 't' });
    expect(hits.map((h) => h.id).sort()).toEqual(['t:0', 't:1']);
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect((await store.textSearch("o'brien's", 10, { collection: 'rag' }))[0]?.id).toBe('t:1');
    const hostile = [
      '',
      '   ',
      "'",
      '"',
      '&|!():*',
      'fox & | !',
      "fox:* ' OR 1=1 --",
      '\\',
      '<->',
      '\u0000fox',
      '((((',
      'a'.repeat(10_000),
    ];
    for (const text of hostile) {
      await expect(
        store.textSearch(text, 5, { collection: 'rag' }),
        JSON.stringify(text),
      ).resolves.toBeInstanceOf(Array);
    }
    expect(await store.textSearch('&|!():*', 5, { collection: 'rag' })).toEqual([]);
  });

  it('changes the generation on every content write and only then', async () => {
    let last = await store.generation();
    const changed = async (expected: boolean) => {
      const now = await store.generation();
      expect(now !== last, `generation ${last} → ${now}`).toBe(expected);
      last = now;
    };
    await store.insertEntries([chunk('mem_g', 'gen', { expiresAt: 10 })]);
    await changed(true);
    await store.setMeta('embedder', 'e5');
    await store.cacheEmbeddings(new Map([['h1', vec(3)]]));
    await store.exactSearch(vec(1), 3, { collection: 'memory' });
    await changed(false);
    expect(await store.purgeExpired(11)).toBeGreaterThan(0);
    await changed(true);
    expect(await store.purgeExpired(11)).toBe(0);
    await changed(false);
    expect(await store.deleteEntry('mem_1')).toBe(true);
    await changed(true);
    expect(await store.deleteEntry('mem_1')).toBe(false);
    expect(await store.deleteDocument('t')).toBe(true);
    await changed(true);
    expect(await store.deleteDocument('t')).toBe(false);
    await changed(false);
    await expect(store.setMeta('generation', '0')).rejects.toThrow();
  });

  it('round-trips cached embeddings and meta values', async () => {
    const v = vec(42);
    await store.cacheEmbeddings(new Map([['k1', v]]));
    await store.cacheEmbeddings(new Map([['k1', vec(43)]]));
    const found = await store.cachedEmbeddings(['k1', 'absent']);
    expect([...found.keys()]).toEqual(['k1']);
    expect(found.get('k1')).toEqual(v);
    expect((await store.cachedEmbeddings([])).size).toBe(0);
    await store.setMeta('embedder', 'bge');
    expect(await store.getMeta('embedder')).toBe('bge');
    expect(await store.getMeta('nothing')).toBeUndefined();
  });
});
