import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLocalEmbedder } from '../embedder.js';
import { newIngestJob } from '../ingest-job-record.js';
import { openSqliteStore, type SqliteStore } from '../sqlite-store.js';
import type { IngestJobRecord } from '../store.js';
import { failIngestJob, runIngestJob } from './run-ingest-job.js';

let tmp: TmpDir;
let store: SqliteStore;
beforeEach(async () => {
  tmp = await createTmpDir('ingest-job-');
  store = await openSqliteStore({ path: join(tmp.path, 'rag.sqlite'), dim: 64 });
});
afterEach(async () => {
  await store.close();
  await tmp.remove();
});

const job = (sources: string[]): IngestJobRecord =>
  newIngestJob('job_1', {
    documents: sources.map((source, i) => ({ source, id: `d${i}` })),
    options: { chunk_size: 16, overlap: 2 },
  });

const text = (words: number) =>
  `data:text/plain,${Array.from({ length: words }, (_, i) => `word${i}`).join('%20')}`;

it('runs a job; a second run of the same job changes nothing', async () => {
  await store.createJob(job([text(40), 'data:application/octet-stream;base64,AAEC']));
  const events: string[] = [];
  const deps = {
    store,
    embedder: createLocalEmbedder(64),
    load: { fetch, maxBytes: 1 << 20, timeoutMs: 1000 },
    publish: (event: string) => events.push(event),
  };
  await runIngestJob('job_1', deps, new AbortController().signal);
  const done = await store.getJob('job_1');
  expect(done).toMatchObject({ status: 'completed', docsDone: 1, docsFailed: 1 });
  expect(done?.documents[1]).toMatchObject({
    status: 'failed',
    error: { code: 'UNSUPPORTED_FORMAT' },
  });
  expect(events.at(-1)).toBe('ingest.complete');
  const chunks = done?.chunksDone ?? 0;
  expect(chunks).toBeGreaterThan(1);
  expect(await store.countMatching({ collection: 'rag' }, 1000)).toBe(chunks);
  await runIngestJob('job_1', deps, new AbortController().signal);
  expect(await store.countMatching({ collection: 'rag' }, 1000)).toBe(chunks);
});

it('a job the queue gave up on ends failed, keeping what it did', async () => {
  const record = job([text(10), text(20)]);
  record.documents[0] = { status: 'done', docId: 'd0', chunks: 1 };
  await store.createJob(record);
  await failIngestJob(store, 'job_1', new Error('store unreachable'));
  expect(await store.getJob('job_1')).toMatchObject({
    status: 'failed',
    docsDone: 1,
    docsFailed: 1,
    documents: [
      { status: 'done' },
      { status: 'failed', error: { code: 'INGEST_FAILED', message: 'store unreachable' } },
    ],
  });
  expect(await store.unfinishedJobs()).toEqual([]);
});
