import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import { clusters } from './test-support/vectors.js';

let tmp: TmpDir;
const open: SqliteStore[] = [];
beforeEach(async () => {
  tmp = await createTmpDir('sqlite-indexing-');
});
afterEach(async () => {
  for (const store of open.splice(0)) {
    await store.close();
  }
  await tmp.remove();
});

const openStore = async () => {
  const store = await openSqliteStore({ path: join(tmp.path, 'rag.sqlite'), dim: 16 });
  open.push(store);
  return store;
};

async function ingest(store: SqliteStore, from: number, n: number) {
  const points = clusters(16, 5, 0.2, from + 1);
  for (let i = from; i < from + n; i += 1) {
    await store.replaceDocument(
      { id: `d${i}`, collection: 'rag', source: `s${i}`, contentHash: `h${i}`, metadata: {} },
      [
        {
          id: `d${i}:0`,
          ordinal: 0,
          content: `row ${i}`,
          embedding: points.sample(),
          metadata: {},
        },
      ],
    );
  }
}

it('startIndexing catches up without a search, also with rows another process adds later', async () => {
  const api = await openStore();
  const worker = await openStore();
  await ingest(worker, 0, 300);
  api.startIndexing();
  await expect.poll(() => api.indexStats(), { timeout: 20_000 }).toEqual({ indexed: 300, lag: 0 });
  await ingest(worker, 300, 50);
  await expect.poll(() => api.indexStats(), { timeout: 20_000 }).toEqual({ indexed: 350, lag: 0 });
});

it('while rows keep arriving the graph waits (queries search them exactly), until they pause or the tail reaches deferRows', async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const worker = await openStore();
  const api = await openSqliteStore({
    path: join(tmp.path, 'rag.sqlite'),
    dim: 16,
    // Writes 50 ms apart count as streaming: only a stall of 3 s would let catch-up in.
    hnsw: { deferRows: 100, quietMs: 3000 },
  });
  open.push(api);
  api.startIndexing();
  // Its first look, at an empty store.
  await sleep(20);
  let next = 0;
  // Two and a half seconds of a slow stream: more than two of startIndexing's polls.
  for (const stop = Date.now() + 2500; Date.now() < stop; next += 1) {
    await ingest(worker, next, 1);
    await sleep(50);
  }
  expect(api.indexStats()).toEqual({ indexed: 0, lag: next });
  // Deferred rows are found all the same: the tail is searched exactly (a search asks for a
  // catch-up too, and is refused it as well).
  const probe = clusters(16, 5, 0.2, 7).sample();
  expect(await api.annSearch(probe, 5, { collection: 'rag' })).toHaveLength(5);
  expect(api.indexStats().indexed).toBe(0);

  // A tail past deferRows is indexed down to it while the stream goes on.
  await ingest(worker, next, 150);
  next += 150;
  const streamed = next;
  for (const stop = Date.now() + 20_000; Date.now() < stop && api.indexStats().indexed === 0; ) {
    await ingest(worker, next, 1);
    next += 1;
    await sleep(50);
  }
  expect(api.indexStats().indexed).toBeGreaterThanOrEqual(streamed - 100);

  // Once the writes pause, the rest is indexed.
  await expect.poll(() => api.indexStats(), { timeout: 20_000 }).toEqual({ indexed: next, lag: 0 });
});
