import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import { startTextRanker, type TextRanker } from './sqlite-text-ranker.js';
import { corpusDoc } from './test-support/corpus.js';

const DIM = 8;
const ENTRY = new URL('../rag-text-thread.ts', import.meta.url);
const TSX = ['--import', import.meta.resolve('tsx')];

let tmp: TmpDir;
let store: SqliteStore;
const rankers: TextRanker[] = [];

beforeEach(async () => {
  tmp = await createTmpDir('text-ranker-');
  store = await openSqliteStore({ path: join(tmp.path, 'rag.db'), dim: DIM });
  for (let d = 0; d < 20; d += 1) {
    const { text, tenant } = corpusDoc(d, 200);
    await store.replaceDocument(
      {
        id: `d${d}`,
        collection: 'rag',
        source: `file://d${d}`,
        contentHash: `h${d}`,
        metadata: {},
      },
      text.match(/(\S+\s+){0,29}\S+/g)?.map((content, i) => ({
        id: `d${d}:${i}`,
        ordinal: i,
        content,
        embedding: new Float32Array(DIM).fill(1),
        metadata: { tenant },
      })) ?? [],
    );
  }
});
afterEach(async () => {
  for (const r of rankers.splice(0)) {
    await r.close();
  }
  await store.close();
  await tmp.remove();
});

const ranker = (entry: URL, onError?: (err: Error) => void) => {
  const r = startTextRanker({
    entry,
    path: join(tmp.path, 'rag.db'),
    dim: DIM,
    execArgv: TSX,
    // Marks the answers that did not come from the thread.
    fallback: () => [{ key: -1, score: 0 }],
    ...(onError ? { onError } : {}),
  });
  rankers.push(r);
  return r;
};

describe('the full-text thread', () => {
  it('ranks as the same ranking in process does, filters included', async () => {
    const r = ranker(ENTRY);
    const words = corpusDoc(3, 200).text.split(' ').slice(0, 4).join(' ');
    for (const filter of [
      { collection: 'rag' as const },
      { collection: 'rag' as const, metadata: { tenant: corpusDoc(3, 200).tenant } },
      { collection: 'rag' as const, docId: 'd3' },
    ]) {
      const want = await store.textRank(words, 10, filter);
      expect(want.length).toBeGreaterThan(0);
      expect(await r.rank(words, 10, filter)).toEqual(want);
    }
    // Rows committed after the thread started are seen: its connection reads the live file.
    await store.deleteDocument('d3');
    expect(await r.rank(words, 10, { collection: 'rag', docId: 'd3' })).toEqual([]);
  });

  it('answers in process once the thread is gone, and says so once', async () => {
    const errors: Error[] = [];
    const r = ranker(new URL('data:text/javascript,throw new Error("no thread")'), (err) =>
      errors.push(err),
    );
    const first = r.rank('anything', 5, { collection: 'rag' });
    await expect(first).rejects.toThrow(/no thread/);
    expect(await r.rank('anything', 5, { collection: 'rag' })).toEqual([{ key: -1, score: 0 }]);
    expect(errors).toHaveLength(1);
  });
});
