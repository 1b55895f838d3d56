import { join } from 'node:path';
import { openDatabase } from '@agentplane/backends/open-database';
import type { Logger } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import { type Embedder, selectEmbedder } from './embedder.js';
import type { HnswOptions } from './hnsw-side-index.js';
import { peekPgvectorStore, reindexPgvectorStore } from './pgvector-reindex.js';
import type { AnyDb } from './pgvector-schema.js';
import { openPgvectorStore, pgvectorAvailable } from './pgvector-store.js';
import {
  dimOfTag,
  EMBEDDER_KEY,
  embedderTag,
  type ReindexStats,
  type StoreSummary,
} from './reindex.js';
import { peekSqliteStore, reindexSqliteStore } from './sqlite-reindex.js';
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

export class EmbedderChangedError extends Error {
  override readonly name = 'EmbedderChangedError';
}

const RAG_SCHEMA = 'agent_manager_rag';

/**
 * The RAG store and embedder, chosen once at start from the config: pgvector when asked for or
 * (auto) when the database has it, else the SQLite file under AM_DATA_DIR. The store remembers
 * which embedder filled it; a start with another one (or another dimension) is refused, since
 * its vectors would be compared with incomparable ones, unless AM_RAG_REINDEX asks the API's
 * start to re-embed the store first (workers, started after it, only check).
 */
export async function openRag(
  config: Config,
  logger: Logger,
  role: 'api' | 'worker',
  /** the sqlite store's full-text thread entry (rag-text-thread.ts), for the API */
  textThread?: URL,
): Promise<OpenedRag> {
  const embedder = await resolveDim(
    selectEmbedder({
      AM_EMBED_MODEL: config.AM_EMBED_MODEL,
      AM_EMBED_DIM: config.AM_EMBED_DIM,
      OPENAI_API_KEY: process.env.OPENAI_API_KEY,
      OPENAI_BASE_URL: process.env.OPENAI_BASE_URL,
    }),
  );
  const place = await locateStore(config, logger, textThread);
  let opened: Omit<OpenedRag, 'embedder'> | undefined;
  try {
    await matchEmbedder(place, embedder, { reindex: config.AM_RAG_REINDEX, role, logger });
    opened = await place.open(embedder.dim, role);
    if ((await opened.store.getMeta(EMBEDDER_KEY)) === undefined) {
      await opened.store.setMeta(EMBEDDER_KEY, embedderTag(embedder));
    }
    return { ...opened, embedder };
  } catch (err) {
    await (opened ? opened.close() : place.release());
    throw err;
  }
}

/** Where the store is, before it is opened at a dimension. */
interface StorePlace {
  where: string;
  peek(): Promise<StoreSummary | undefined>;
  /** Re-embeds the store with `embedder` beside it and swaps it in once complete. */
  reindex(fromDim: number, embedder: Embedder): Promise<ReindexStats>;
  open(dim: number, role: 'api' | 'worker'): Promise<Omit<OpenedRag, 'embedder'>>;
  /** Frees what locating took, when the store is not opened after all. */
  release(): Promise<void>;
}

async function matchEmbedder(
  place: StorePlace,
  embedder: Embedder,
  opts: { reindex: boolean; role: 'api' | 'worker'; logger: Logger },
): Promise<void> {
  const { reindex, role, logger } = opts;
  const want = embedderTag(embedder);
  const held = await place.peek();
  const had = held?.embedder;
  if (had === undefined || had === want) {
    if (reindex && role === 'api') {
      logger.info({ embedder: want }, 'AM_RAG_REINDEX: nothing to re-index (unset it)');
    }
    return;
  }
  if (!reindex || role !== 'api') {
    const remedy = reindex
      ? "AM_RAG_REINDEX re-embeds at the API process's start, not a worker's: start the API first"
      : `Set AM_RAG_REINDEX=1 to re-embed the ${held?.chunks ?? 0} chunks with the new embedder ` +
        '(the old store stays in use until the new one is complete)';
    throw new EmbedderChangedError(
      `the RAG store (${place.where}) was filled with embedder ${had} but this start uses ` +
        `${want}: their vectors cannot be compared. ${remedy}, or set AM_EMBED_MODEL/` +
        'AM_EMBED_DIM (and the OpenAI keys) back.',
    );
  }
  const started = performance.now();
  logger.info({ where: place.where, from: had, to: want, chunks: held?.chunks }, 'RAG re-index');
  const stats = await place.reindex(dimOfTag(had), embedder).catch((err: unknown) => {
    throw new Error(
      `the RAG re-index to ${want} failed; the store (${place.where}) is unchanged and still ` +
        `holds ${had} vectors: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  const durationMs = Math.round(performance.now() - started);
  logger.info({ ...stats, durationMs, embedder: want }, 'RAG re-index done');
}

async function resolveDim(embedder: Embedder): Promise<Embedder> {
  if (embedder.dim > 0) {
    return embedder;
  }
  // A remote model's dimension is learned from one call.
  await embedder.embed(['dimension probe']);
  return embedder;
}

async function locateStore(
  config: Config,
  logger: Logger,
  textThread: URL | undefined,
): Promise<StorePlace> {
  const url = config.AM_RAG_DATABASE_URL ?? config.DATABASE_URL;
  if (config.AM_RAG_STORE !== 'sqlite' && url !== undefined) {
    const database = await openDatabase<unknown>({
      databaseUrl: url,
      dataDir: config.AM_DATA_DIR,
      poolSize: 5,
      onConnectionError: (err) => logger.warn({ err }, 'RAG database connection lost'),
    });
    const db = database.db as AnyDb;
    const available = await pgvectorAvailable(db);
    if (available.ok) {
      return pgvectorPlace(db, `pgvector schema ${RAG_SCHEMA} at ${new URL(url).host}`, logger);
    }
    await db.destroy();
    if (config.AM_RAG_STORE === 'pgvector') {
      throw new Error(`AM_RAG_STORE=pgvector: ${available.reason}`);
    }
    logger.info({ reason: available.reason }, 'RAG store: sqlite (the database has no pgvector)');
  } else if (config.AM_RAG_STORE === 'pgvector') {
    throw new Error('AM_RAG_STORE=pgvector needs AM_RAG_DATABASE_URL or DATABASE_URL');
  }
  return sqlitePlace(join(config.AM_DATA_DIR, 'rag.sqlite'), logger, textThread, {
    deferRows: config.AM_RAG_INDEX_DEFER_ROWS,
  });
}

function pgvectorPlace(db: AnyDb, where: string, logger: Logger): StorePlace {
  return {
    where,
    peek: () => peekPgvectorStore(db, RAG_SCHEMA),
    reindex: (fromDim, embedder) =>
      reindexPgvectorStore({ db, schema: RAG_SCHEMA, fromDim, embedder, logger }),
    async open(dim) {
      const store = await openPgvectorStore({ db, dim, schema: RAG_SCHEMA });
      return {
        store,
        where,
        indexStats: () => ({ indexed: 0, lag: 0 }),
        close: async () => {
          await store.close();
          await db.destroy();
        },
      };
    },
    release: () => db.destroy(),
  };
}

function sqlitePlace(
  path: string,
  logger: Logger,
  textThread: URL | undefined,
  hnsw: HnswOptions,
): StorePlace {
  return {
    where: path,
    peek: async () => peekSqliteStore(path),
    reindex: (fromDim, embedder) => reindexSqliteStore({ path, fromDim, embedder, logger }),
    async open(dim, role) {
      const store = await openSqliteStore({ path, dim, logger, textThread, hnsw });
      // The API answers the queries: its ANN index catches up from the start. Workers' tools
      // open theirs on first use.
      if (role === 'api') {
        store.startIndexing();
      }
      return {
        store,
        where: path,
        indexStats: () => store.indexStats(),
        close: () => store.close(),
      };
    },
    release: async () => {},
  };
}
