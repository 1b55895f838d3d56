import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLocalEmbedder } from './embedder.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';

let tmp: TmpDir;
let store: SqliteStore;
beforeEach(async () => {
  tmp = await createTmpDir('term-stats-');
  store = await openSqliteStore({ path: join(tmp.path, 'rag.sqlite'), dim: 32 });
});
afterEach(async () => {
  await store.close();
  await tmp.remove();
});

const embedder = createLocalEmbedder(32);

async function addDocs(texts: string[]) {
  const vectors = await embedder.embed(texts);
  for (const [i, content] of texts.entries()) {
    await store.replaceDocument(
      { id: `d${i}`, collection: 'rag', source: `s${i}`, contentHash: `h${i}`, metadata: {} },
      [{ id: `d${i}:0`, ordinal: 0, content, embedding: vectors[i] as Float32Array, metadata: {} }],
    );
  }
}

it('drops words found in most rows from the MATCH, keeping results for rare and common words', async () => {
  const texts = Array.from({ length: 1200 }, (_, i) => `the common report number ${i}`);
  texts.push('the common unicornword report');
  await addDocs(texts);
  // "the", "common" and "report" are in every row: the rare word decides alone.
  const rare = await store.textSearch('the common unicornword', 5, { collection: 'rag' });
  expect(rare.map((h) => h.id)).toEqual(['d1200:0']);
  // Only common words: the rarest are still matched, so there are results.
  const common = await store.textSearch('the common report', 5, { collection: 'rag' });
  expect(common).toHaveLength(5);
  // A new row changes the statistics (they are cached per store generation).
  await addDocs([...texts.slice(0, 0), 'unicornword again']);
  const both = await store.textSearch('unicornword', 5, { collection: 'rag' });
  expect(both.map((h) => h.id).sort()).toEqual(['d0:0', 'd1200:0']);
});

it('matches the rarest word of a query made only of common ones, however common they are', async () => {
  // Both words are past the count at which counting stops (2,001 rows): the rarer one is found
  // by counting them in full.
  const texts = Array.from({ length: 2300 }, (_, i) =>
    i < 2100 ? `alpha beta ${i}` : `alpha ${i}`,
  );
  await addDocs(texts);
  const hits = await store.textSearch('alpha beta', 10, { collection: 'rag' });
  expect(hits).toHaveLength(10);
  for (const hit of hits) {
    expect(hit.content).toContain('beta');
  }
});
