import { createLogger } from '@agentplane/http-kit';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { EmbedderChangedError, openRag } from './open-rag.js';

let tmp: TmpDir;
beforeEach(async () => {
  tmp = await createTmpDir('open-rag-');
});
afterEach(() => tmp.remove());

const logger = createLogger({ name: 'open-rag-test', level: 'silent' });
const configWith = (env: Record<string, string>) =>
  loadConfig({ AM_DATA_DIR: tmp.path, AM_RAG_STORE: 'sqlite', ...env });

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

it('refuses a store built for another dimension', async () => {
  const first = await openRag(configWith({}), logger, 'api');
  await first.close();
  await expect(openRag(configWith({ AM_EMBED_DIM: '256' }), logger, 'api')).rejects.toThrow(/dim/);
  // The same dimension opens again.
  const again = await openRag(configWith({}), logger, 'api');
  await again.close();
});
