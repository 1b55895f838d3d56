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
