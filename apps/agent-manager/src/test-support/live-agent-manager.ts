import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  type AgentManagerRoutes,
  agentManagerRoutes,
  type Client,
  createClient,
} from '@agentplane/contracts';
import {
  connectRedis,
  createPostgresTestDatabase,
  createTmpDir,
  deleteKeysWithPrefix,
  describeWithService,
  NO_LLM_KEYS,
  type SpawnedService,
  spawnService,
} from '@agentplane/testkit';
import { afterAll, beforeAll, describe } from 'vitest';
import { withSchema } from '../db/test-schema.js';

export type BackendVariant = 'embedded' | 'real';

export interface LiveAgentManagerOptions {
  variant: BackendVariant;
  env?: Record<string, string | undefined>;
  /** Default 2. */
  workers?: number;
}

export interface LiveAgentManager {
  svc: SpawnedService;
  baseUrl: string;
  client: Client<AgentManagerRoutes>;
  /** A client sending the admin key (the internal worker routes). */
  admin: Client<AgentManagerRoutes>;
  apiKey: string;
  filesRoot: string;
  /** AM_DATA_DIR: the embedded database, the RAG store's SQLite file */
  dataDir: string;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('../main.ts', import.meta.url));

/** The service for one suite: started before its tests, stopped after; call it for the live one. */
export function useLiveAgentManager(opts: LiveAgentManagerOptions): () => LiveAgentManager {
  let am: LiveAgentManager | undefined;
  beforeAll(async () => {
    am = await startLiveAgentManager(opts);
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
  });
  return () => {
    if (!am) {
      throw new Error('the service is not started (use it inside a test)');
    }
    return am;
  };
}

/**
 * Starts the real agent-manager process with its worker pool: `embedded` (PGlite, in-process
 * queue and log) or `real` (a fresh Postgres database from DATABASE_URL and Redis at REDIS_URL
 * under a key prefix of its own).
 */
export async function startLiveAgentManager(
  opts: LiveAgentManagerOptions,
): Promise<LiveAgentManager> {
  const tmp = await createTmpDir('am-live-');
  const apiKey = `test-key-${randomBytes(8).toString('hex')}`;
  const adminKey = `admin-key-${randomBytes(8).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [() => tmp.remove()];
  const env: Record<string, string | undefined> = {
    ...NO_LLM_KEYS,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    AM_DATA_DIR: tmp.path,
    AM_API_KEYS: `tests:${apiKey}`,
    AM_ADMIN_KEY: adminKey,
    AM_WORKERS: String(opts.workers ?? 2),
  };
  if (opts.variant === 'real') {
    const adminUrl = process.env.DATABASE_URL;
    const redisUrl = process.env.REDIS_URL;
    if (!adminUrl || !redisUrl) {
      throw new Error('the real variant needs DATABASE_URL and REDIS_URL');
    }
    const database = await createPostgresTestDatabase(adminUrl, withSchema.schema);
    cleanups.push(() => database.close());
    const prefix = `amtest-${randomBytes(4).toString('hex')}`;
    cleanups.push(async () => {
      const redis = await connectRedis(redisUrl);
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        await redis.quit();
      }
    });
    Object.assign(env, {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      AM_REDIS_PREFIX: prefix,
    });
  }
  Object.assign(env, opts.env);
  const svc = await spawnService({ entry: ENTRY, env, timeoutMs: 40_000 });
  const baseUrl = svc.baseUrl;
  return {
    svc,
    baseUrl,
    apiKey,
    admin: createClient(agentManagerRoutes, {
      baseUrl,
      headers: () => ({ 'x-admin-key': adminKey }),
    }),
    filesRoot: env.AM_FILES_ROOT ?? `${tmp.path}/files`,
    dataDir: tmp.path,
    client: createClient(agentManagerRoutes, {
      baseUrl,
      headers: () => ({ authorization: `Bearer ${apiKey}` }),
    }),
    async stop() {
      await svc.stop('SIGTERM');
      for (const cleanup of cleanups.reverse()) {
        await cleanup();
      }
    },
  };
}

/** Runs `fn` for the embedded path and, where DATABASE_URL and REDIS_URL are set, the real one. */
export function describeVariants(name: string, fn: (variant: BackendVariant) => void): void {
  describe(`${name} (embedded: PGlite, in-process queue and log)`, () => fn('embedded'));
  describeWithService('postgres', `${name} (real: Postgres, BullMQ, Redis Streams)`, () => {
    describeWithService('redis', 'with Redis', () => fn('real'));
  });
}
