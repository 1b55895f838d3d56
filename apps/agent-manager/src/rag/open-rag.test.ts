import { readdirSync } from 'node:fs';
import { createLogger } from '@agentplane/http-kit';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLocalEmbedder } from './embedder.js';
import { EmbedderChangedError, openRag } from './open-rag.js';
import { fillStore, readAll } from './test-support/reindex-fixture.js';
import { servePgvector } from './test-support/serve-pgvector.js';

let tmp: TmpDir;
beforeEach(async () => {
  tmp = await createTmpDir('open-rag-');
});
afterEach(() => tmp.remove());

const logger = createLogger({ name: 'open-rag-test', level: 'silent' });
const configWith = (env: Record<string, string>) =>
  loadConfig({ AM_DATA_DIR: tmp.path, AM_RAG_STORE: 'sqlite', ...env });

/** A logger whose lines the test reads back. */
function capturing() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    name: 'open-rag-test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { log, lines };
}

it('remembers the embedder that filled the store and refuses another one at start', async () => {
  const first = await openRag(configWith({}), logger, 'api');
  expect(first.embedder).toMatchObject({ id: 'local-hash-v1', dim: 384 });
  await first.store.setMeta('embedder', 'openai:text-embedding-3-small/384');
  await first.close();
  await expect(openRag(configWith({}), logger, 'api')).rejects.toThrow(EmbedderChangedError);
  await expect(openRag(configWith({}), logger, 'api')).rejects.toThrow(
    /filled with embedder openai:text-embedding-3-small\/384 but this start uses local-hash-v1\/384/,
  );
});

it('refuses another dimension until AM_RAG_REINDEX re-embeds the store', async () => {
  const first = await openRag(configWith({ AM_EMBED_DIM: '256' }), logger, 'api');
  await fillStore(first.store, first.embedder);
  const before = await readAll(first.store);
  await first.close();

  const next = configWith({ AM_EMBED_DIM: '384' });
  const refused = openRag(next, logger, 'api');
  await expect(refused).rejects.toThrow(EmbedderChangedError);
  await expect(refused).rejects.toThrow(
    /local-hash-v1\/256 but this start uses local-hash-v1\/384.*Set AM_RAG_REINDEX=1 to re-embed the 7 chunks with the new embedder/,
  );
  // A worker never re-indexes: the API's start does, before it spawns them.
  await expect(
    openRag(configWith({ AM_EMBED_DIM: '384', AM_RAG_REINDEX: '1' }), logger, 'worker'),
  ).rejects.toThrow(/re-embeds at the API process's start/);

  const { log, lines } = capturing();
  const reindexed = await openRag({ ...next, AM_RAG_REINDEX: true }, log, 'api');
  try {
    expect(reindexed.store.dim).toBe(384);
    expect(await reindexed.store.getMeta('embedder')).toBe('local-hash-v1/384');
    const after = await readAll(reindexed.store);
    expect(after.docs).toEqual(before.docs);
    expect(after.entries).toEqual(before.entries.filter((e) => e.id !== 'mem_expired'));
    const [query] = await createLocalEmbedder(384).embed(['knead the dough overnight']);
    const hits = await reindexed.store.exactSearch(query as Float32Array, 1, {
      collection: 'rag',
    });
    expect(hits[0]).toMatchObject({ docId: 'doc_bread', metadata: { tenant: 'bakery' } });
  } finally {
    await reindexed.close();
  }
  expect(lines.find((l) => l.msg === 'RAG re-index done')).toMatchObject({
    documents: 3,
    chunks: 6,
    embedder: 'local-hash-v1/384',
    durationMs: expect.any(Number),
  });
  expect(readdirSync(tmp.path).filter((name) => name.includes('reindex'))).toEqual([]);

  // Later starts need no flag; with it left set there is nothing to do.
  const again = await openRag(next, logger, 'api');
  await again.close();
  const idle = capturing();
  const flagged = await openRag({ ...next, AM_RAG_REINDEX: true }, idle.log, 'api');
  await flagged.close();
  expect(idle.lines.map((l) => l.msg)).toEqual(['AM_RAG_REINDEX: nothing to re-index (unset it)']);
});

it('re-embeds a pgvector store through the same start', async () => {
  const pg = await servePgvector();
  try {
    const env = { AM_RAG_STORE: 'pgvector', AM_RAG_DATABASE_URL: pg.url };
    const first = await openRag(configWith({ ...env, AM_EMBED_DIM: '64' }), logger, 'api');
    await fillStore(first.store, first.embedder);
    const before = await readAll(first.store);
    await first.close();
    await expect(
      openRag(configWith({ ...env, AM_EMBED_DIM: '128' }), logger, 'api'),
    ).rejects.toThrow(/pgvector schema agent_manager_rag.*AM_RAG_REINDEX=1 .* 7 chunks/);

    const config = configWith({ ...env, AM_EMBED_DIM: '128', AM_RAG_REINDEX: 'true' });
    const reindexed = await openRag(config, logger, 'api');
    try {
      expect(reindexed.store.kind).toBe('pgvector');
      expect(await reindexed.store.getMeta('embedder')).toBe('local-hash-v1/128');
      expect((await readAll(reindexed.store)).docs).toEqual(before.docs);
    } finally {
      await reindexed.close();
    }
  } finally {
    await pg.stop();
  }
}, 60_000);
