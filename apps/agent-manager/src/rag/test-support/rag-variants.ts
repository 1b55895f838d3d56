import { join } from 'node:path';
import { openDatabase } from '@agentplane/backends/open-database';
import {
  type LiveAgentManager,
  startLiveAgentManager,
} from '../../test-support/live-agent-manager.js';
import { openPgvectorStore } from '../pgvector-store.js';
import { openSqliteStore } from '../sqlite-store.js';
import type { VectorStore } from '../store.js';
import { servePgvector } from './serve-pgvector.js';

/**
 * sqlite: the embedded service (its RAG store is the SQLite file); pgvector: a service whose
 * RAG store is a pgvector PGlite served over the Postgres wire (pglite-socket, reached with the
 * `pg` driver), since this machine's Postgres has no pgvector, on Postgres and Redis (BullMQ
 * ingest queue) where DATABASE_URL and REDIS_URL are set; real: Postgres and Redis, RAG store
 * auto (sqlite here).
 */
export type RagVariant = 'sqlite' | 'pgvector' | 'real';

export interface StartedRag {
  am: LiveAgentManager;
  /** the same store, opened by the test: exact search as ground truth, direct counts */
  store: VectorStore;
  close: () => Promise<void>;
}

export async function startRagVariant(
  variant: RagVariant,
  env: Record<string, string> = {},
): Promise<StartedRag> {
  if (variant === 'pgvector') {
    const pg = await servePgvector();
    // With Postgres and Redis at hand (CI), the service's own backends are the real ones too:
    // the ingest queue is BullMQ and progress goes over Redis Streams.
    const real = process.env.DATABASE_URL !== undefined && process.env.REDIS_URL !== undefined;
    const am = await startLiveAgentManager({
      variant: real ? 'real' : 'embedded',
      env: { ...env, AM_RAG_STORE: 'pgvector', AM_RAG_DATABASE_URL: pg.url },
    });
    const database = await openDatabase<unknown>({
      databaseUrl: pg.url,
      dataDir: am.dataDir,
      poolSize: 1,
      onConnectionError: () => {},
    });
    const store = await openPgvectorStore({ db: database.db as never, dim: 384 });
    return {
      am,
      store,
      close: async () => {
        await store.close();
        await database.db.destroy();
        await pg.stop();
      },
    };
  }
  const am = await startLiveAgentManager({
    variant: variant === 'real' ? 'real' : 'embedded',
    env,
  });
  const store = await openSqliteStore({ path: join(am.dataDir, 'rag.sqlite'), dim: 384 });
  return { am, store, close: () => store.close() };
}
