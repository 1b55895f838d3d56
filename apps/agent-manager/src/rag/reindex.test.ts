import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@agentplane/http-kit';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from './embedder.js';
import { peekPgvectorStore, reindexPgvectorStore } from './pgvector-reindex.js';
import { openPgvectorStore } from './pgvector-store.js';
import { inProcess, type Opened } from './pgvector-test-db.js';
import { copyReembedded, dimOfTag } from './reindex.js';
import { peekSqliteStore, reindexSqliteStore } from './sqlite-reindex.js';
import { openSqliteStore } from './sqlite-store.js';
import type { VectorStore } from './store.js';
import { failingAfter, fillMany, fillStore, readAll } from './test-support/reindex-fixture.js';

const logger = createLogger({ name: 'reindex-test', level: 'silent' });
const oldEmbedder = createLocalEmbedder(32);
const newEmbedder = createLocalEmbedder(64);

/** What a re-index must keep: everything but the expired memory entry. */
async function expectCopied(store: VectorStore, before: Awaited<ReturnType<typeof readAll>>) {
  const after = await readAll(store);
  expect(after.docs).toEqual(before.docs);
  expect(after.entries).toEqual(before.entries.filter((e) => e.id !== 'mem_expired'));
  expect(store.dim).toBe(64);
  expect(await store.getMeta('embedder')).toBe('local-hash-v1/64');
  const [query] = await newEmbedder.embed(['why does the moon make tides']);
  const hits = await store.exactSearch(query as Float32Array, 1, { collection: 'rag' });
  expect(hits[0]).toMatchObject({
    docId: 'doc_tides',
    metadata: { tenant: 'acme', year: 2024, public: true },
    date: '2024-03-01',
    source: 'file://doc_tides.md',
  });
  const [memQuery] = await newEmbedder.embed(['answers in French']);
  const memHits = await store.exactSearch(memQuery as Float32Array, 1, {
    collection: 'memory',
    tags: ['prefs'],
  });
  expect(memHits[0]).toMatchObject({ id: 'mem_a', tags: ['prefs', 'lang'], scope: 'longterm' });
  // Unfinished jobs are carried over to be resumed; finished ones stay behind.
  expect(await store.unfinishedJobs()).toEqual(['job_queued']);
  expect(await store.getJob('job_queued')).toMatchObject({ status: 'queued', request: {} });
  expect(await store.getJob('job_done')).toBeUndefined();
}

it('dimOfTag reads the dimension after the last slash', () => {
  expect(dimOfTag('openai:org/model-x/1536')).toBe(1536);
  expect(() => dimOfTag('local-hash-v1')).toThrow(/names no dimension/);
});

describe('sqlite', () => {
  let tmp: TmpDir;
  let path: string;
  beforeEach(async () => {
    tmp = await createTmpDir('reindex-');
    path = join(tmp.path, 'rag.sqlite');
  });
  afterEach(() => tmp.remove());

  const fill = async (extra?: (store: VectorStore) => Promise<void>) => {
    const store = await openSqliteStore({ path, dim: 32 });
    await fillStore(store, oldEmbedder);
    await extra?.(store);
    // An HNSW side index on disk, which the re-index must drop: it holds 32-dim vectors.
    store.startIndexing();
    await expect.poll(() => store.indexStats().lag).toBe(0);
    const before = await readAll(store);
    await store.close();
    expect(existsSync(`${path}.hnsw`)).toBe(true);
    return before;
  };

  it('re-embeds everything into a new file and swaps it in', async () => {
    const before = await fill();
    expect(peekSqliteStore(path)).toEqual({ embedder: 'local-hash-v1/32', chunks: 7 });
    // What a crash in an earlier attempt leaves behind is discarded.
    writeFileSync(`${path}.reindex`, 'not a database');

    const stats = await reindexSqliteStore({ path, fromDim: 32, embedder: newEmbedder, logger });
    expect(stats).toEqual({ documents: 3, chunks: 6, expired: 1, jobs: 1 });
    expect(readdirSync(tmp.path).sort()).toEqual(['rag.sqlite']);

    const store = await openSqliteStore({ path, dim: 64 });
    try {
      await expectCopied(store, before);
      // The side index is rebuilt from the new vectors.
      const [query] = await newEmbedder.embed(['sourdough with wild yeast']);
      const ann = await store.annSearch(query as Float32Array, 1, { collection: 'rag' });
      expect(ann[0]?.docId).toBe('doc_bread');
    } finally {
      await store.close();
    }
  });

  it('an embedder failing midway leaves the old file as it was', async () => {
    const before = await fill((store) => fillMany(store, oldEmbedder, 30, 50));
    // 1,507 chunks: two pages of ≤ 1,000; the first page's 4 embed calls succeed and commit.
    const broken = failingAfter(newEmbedder, 4);
    await expect(
      reindexSqliteStore({ path, fromDim: 32, embedder: broken, logger }),
    ).rejects.toThrow('embedding API unavailable (test)');
    expect(readdirSync(tmp.path).sort()).toEqual(['rag.sqlite', 'rag.sqlite.hnsw']);

    const store = await openSqliteStore({ path, dim: 32 });
    try {
      expect(await readAll(store)).toEqual(before);
      expect(await store.getMeta('embedder')).toBe('local-hash-v1/32');
      const [query] = await oldEmbedder.embed(['why does the moon make tides']);
      const hits = await store.annSearch(query as Float32Array, 1, { collection: 'rag' });
      expect(hits[0]?.docId).toBe('doc_tides');
    } finally {
      await store.close();
    }
  });

  it('refuses to swap while another connection holds the file', async () => {
    await fill();
    const holder = await openSqliteStore({ path, dim: 32 });
    try {
      await expect(
        reindexSqliteStore({ path, fromDim: 32, embedder: newEmbedder, logger }),
      ).rejects.toThrow(/another process has it open/);
      expect(existsSync(`${path}.reindex`)).toBe(false);
      expect(await holder.getMeta('embedder')).toBe('local-hash-v1/32');
    } finally {
      await holder.close();
    }
  }, 20_000);
});

describe('pgvector (PGlite)', () => {
  let opened: Opened;
  const schema = 'agent_manager_rag';
  beforeAll(async () => {
    opened = await inProcess();
  }, 60_000);
  afterAll(() => opened?.close(), 60_000);
  beforeEach(async () => {
    await sql`DROP SCHEMA IF EXISTS agent_manager_rag CASCADE`.execute(opened.db);
  });

  const fill = async (extra?: (store: VectorStore) => Promise<void>) => {
    const store = await openPgvectorStore({ db: opened.db, dim: 32 });
    await fillStore(store, oldEmbedder);
    await extra?.(store);
    return readAll(store);
  };

  it('re-embeds everything into a new schema and swaps it in', async () => {
    const before = await fill();
    expect(await peekPgvectorStore(opened.db, schema)).toEqual({
      embedder: 'local-hash-v1/32',
      chunks: 7,
    });
    await sql`CREATE SCHEMA agent_manager_rag_reindex`.execute(opened.db);
    const stats = await reindexPgvectorStore({
      db: opened.db,
      schema,
      fromDim: 32,
      embedder: newEmbedder,
      logger,
    });
    expect(stats).toEqual({ documents: 3, chunks: 6, expired: 1, jobs: 1 });

    const { rows: schemas } = await sql<{ nspname: string }>`
      SELECT nspname FROM pg_namespace WHERE nspname LIKE 'agent_manager_rag%'`.execute(opened.db);
    expect(schemas.map((r) => r.nspname)).toEqual([schema]);
    const { rows: indexes } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'chunks'
      ORDER BY indexname`.execute(opened.db);
    expect(indexes.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['chunks_embedding_hnsw', 'chunks_tsv', 'chunks_metadata']),
    );

    const store = await openPgvectorStore({ db: opened.db, dim: 64 });
    await expectCopied(store, before);
    const [query] = await newEmbedder.embed(['sourdough with wild yeast']);
    const ann = await store.annSearch(query as Float32Array, 1, { collection: 'rag' });
    expect(ann[0]?.docId).toBe('doc_bread');
    // New rows still get keys: the key sequence moved with the schema.
    await store.insertEntries([
      { id: 'mem_new', ordinal: 0, content: 'x', embedding: query as Float32Array, metadata: {} },
    ]);
    await expect(openPgvectorStore({ db: opened.db, dim: 32 })).rejects.toThrow(/vector\(64\)/);
  }, 60_000);

  it('an embedder failing midway leaves the old schema as it was', async () => {
    const before = await fill((store) => fillMany(store, oldEmbedder, 30, 50));
    await expect(
      reindexPgvectorStore({
        db: opened.db,
        schema,
        fromDim: 32,
        embedder: failingAfter(newEmbedder, 4),
        logger,
      }),
    ).rejects.toThrow('embedding API unavailable (test)');
    const { rows } = await sql`
      SELECT 1 FROM pg_namespace WHERE nspname = 'agent_manager_rag_reindex'`.execute(opened.db);
    expect(rows).toHaveLength(0);

    const store = await openPgvectorStore({ db: opened.db, dim: 32 });
    expect(await readAll(store)).toEqual(before);
    const [query] = await oldEmbedder.embed(['why does the moon make tides']);
    const hits = await store.exactSearch(query as Float32Array, 1, { collection: 'rag' });
    expect(hits[0]?.docId).toBe('doc_tides');
  }, 60_000);
});

it('copyReembedded logs progress and refuses a target of another dimension', async () => {
  const tmp = await createTmpDir('reindex-copy-');
  const lines: { done?: number; total?: number; msg: string }[] = [];
  const capture = { info: (obj: object, msg: string) => lines.push({ ...obj, msg }) };
  const from = await openSqliteStore({ path: join(tmp.path, 'a.sqlite'), dim: 32 });
  const to = await openSqliteStore({ path: join(tmp.path, 'b.sqlite'), dim: 64 });
  try {
    await fillMany(from, oldEmbedder, 120, 50);
    await expect(
      copyReembedded({ from, to, embedder: oldEmbedder, logger: capture }),
    ).rejects.toThrow(/64 dimensions, the embedder 32/);
    await copyReembedded({ from, to, embedder: newEmbedder, logger: capture });
    expect(lines).toEqual([{ done: 5000, total: 6000, msg: 'RAG re-index' }]);
  } finally {
    await from.close();
    await to.close();
    await tmp.remove();
  }
}, 30_000);
