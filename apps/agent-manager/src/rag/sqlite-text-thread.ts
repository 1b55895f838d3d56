import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDb } from './sqlite-schema.js';
import { textRank } from './sqlite-search.js';
import { createTermStats } from './sqlite-term-stats.js';
import type { ChunkFilter, Ranked } from './store.js';

/** What the querying thread asks: one full-text ranking. */
export interface TextAsk {
  id: number;
  text: string;
  k: number;
  filter: ChunkFilter;
}

export type TextReply =
  | { id: number; ranked: Ranked[] }
  | { id: number; error: { message: string; stack?: string | undefined } };

/**
 * The full-text ranker's thread (`rag-text-thread.ts` runs this; sqlite-text-ranker.ts starts
 * it): its own read connection to the store file, so a hybrid query's FTS5 ranking runs beside
 * the vector ranking on the querying thread instead of after it.
 */
export function serveTextThread(): void {
  const port = parentPort;
  if (port === null) {
    throw new Error('serveTextThread runs in a worker thread');
  }
  const { path, dim } = workerData as { path: string; dim: number };
  const s = openSqliteDb(path, dim);
  // This connection never writes: every commit is another connection's, and data_version sees it.
  const terms = createTermStats(s, () =>
    String((s.stmt('PRAGMA data_version').get() as { data_version: number }).data_version),
  );
  port.on('message', (ask: TextAsk) => {
    let reply: TextReply;
    try {
      reply = { id: ask.id, ranked: textRank(s, terms, ask.text, ask.k, ask.filter) };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply = { id: ask.id, error: { message: e.message, stack: e.stack } };
    }
    port.postMessage(reply);
  });
}
