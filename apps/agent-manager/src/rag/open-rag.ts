import { join } from 'node:path';
import { openDatabase } from '@agentplane/backends/open-database';
import type { Logger } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import { type Embedder, selectEmbedder } from './embedder.js';
import { openPgvectorStore, pgvectorAvailable } from './pgvector-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { VectorStore } from './store.js';

export interface OpenedRag {
  store: VectorStore;
  /** where the store is: its file, or its database and schema (for messages) */
  where: string;
  embedder: Embedder;
  /** rows the ANN index has not taken (sqlite's side index; pgvector indexes on write) */
  indexStats: () => { indexed: number; lag: number };
  close: () => Promise<void>;
}

const EMBEDDER_KEY = 'embedder';

export class EmbedderChangedError extends Error {
  override readonly name = 'EmbedderChangedError';
}

/**
 * The RAG store and embedder, chosen once at start from the config: pgvector when asked for or
 * (auto) when the database has it, else the SQLite file under AM_DATA_DIR. The store remembers
 * which embedder filled it; a start with another one (or another dimension) is refused, since
 * its vectors would be compared with incomparable ones (a store opened with another dimension
 * refuses on its own).
 */
export async function openRag(
  config: Config,
  logger: Logger,
  role: 'api' | 'worker',
): Promise<OpenedRag> {
  const embedder = await resolveDim(
    selectEmbedder({
      AM_EMBED_MODEL: config.AM_EMBED_MODEL,
      AM_EMBED_DIM: config.AM_EMBED_DIM,
      OPENAI_API_KEY: process.env.OPENAI_API_KEY,
      OPENAI_BASE_URL: process.env.OPENAI_BASE_URL,
    }),
  );
  const opened = await openStore(config, logger, embedder.dim, role);
  const want = `${embedder.id}/${embedder.dim}`;
  const had = await opened.store.getMeta(EMBEDDER_KEY);
  if (had !== undefined && had !== want) {
    await opened.close();
    throw new EmbedderChangedError(
      `the RAG store (${opened.where}) was filled with embedder ${had} but this start uses ` +
        `${want}: their vectors cannot be compared. Set AM_EMBED_MODEL/AM_EMBED_DIM (and the ` +
        'OpenAI keys) back, or move that store away and ingest the documents again.',
    );
  }
  if (had === undefined) {
    await opened.store.setMeta(EMBEDDER_KEY, want);
  }
  return { ...opened, embedder };
}

async function resolveDim(embedder: Embedder): Promise<Embedder> {
  if (embedder.dim > 0) {
    return embedder;
  }
  // A remote model's dimension is learned from one call.
  await embedder.embed(['dimension probe']);
  return embedder;
}

async function openStore(
  config: Config,
  logger: Logger,
  dim: number,
  role: 'api' | 'worker',
): Promise<Omit<OpenedRag, 'embedder'>> {
  const url = config.AM_RAG_DATABASE_URL ?? config.DATABASE_URL;
  if (config.AM_RAG_STORE !== 'sqlite' && url !== undefined) {
    const database = await openDatabase<unknown>({
      databaseUrl: url,
      dataDir: config.AM_DATA_DIR,
      poolSize: 5,
      onConnectionError: (err) => logger.warn({ err }, 'RAG database connection lost'),
    });
    const available = await pgvectorAvailable(database.db as never);
    if (available.ok) {
      const store = await openPgvectorStore({ db: database.db as never, dim });
      return {
        store,
        where: `pgvector schema agent_manager_rag at ${new URL(url).host}`,
        indexStats: () => ({ indexed: 0, lag: 0 }),
        close: async () => {
          await store.close();
          await database.db.destroy();
        },
      };
    }
    await database.db.destroy();
    if (config.AM_RAG_STORE === 'pgvector') {
      throw new Error(`AM_RAG_STORE=pgvector: ${available.reason}`);
    }
    logger.info({ reason: available.reason }, 'RAG store: sqlite (the database has no pgvector)');
  } else if (config.AM_RAG_STORE === 'pgvector') {
    throw new Error('AM_RAG_STORE=pgvector needs AM_RAG_DATABASE_URL or DATABASE_URL');
  }
  const path = join(config.AM_DATA_DIR, 'rag.sqlite');
  const store = await openSqliteStore({ path, dim, logger });
  // The API answers the queries: its ANN index catches up from the start. Workers' tools open
  // theirs on first use.
  if (role === 'api') {
    store.startIndexing();
  }
  return { store, where: path, indexStats: () => store.indexStats(), close: () => store.close() };
}
