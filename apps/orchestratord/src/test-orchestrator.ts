import { randomBytes } from 'node:crypto';
import { createClient, orchestratordRoutes } from '@agentplane/contracts';
import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  type Logger,
  listen,
} from '@agentplane/http-kit';
import type { AnyKysely, PgSchema } from '@agentplane/testkit';
import { createMemoryRateLimiter, type RateLimiter } from './admission/rate-limiter.js';
import { createApp } from './app.js';
import { buildPools } from './build-pools.js';
import { loadConfig } from './config.js';
import { MIGRATION_NAMES, migrate } from './db/migrations.js';
import { type Database, DB_SCHEMA } from './db/schema.js';
import { createOrchestrator, type Orchestrator } from './orchestrator.js';

// Shared set-up of the orchestratord integration tests: the real app, the real drivers, a
// test database, a client per key.

export const ORCH_PG_SCHEMA: PgSchema = { key: ['orchestratord', ...MIGRATION_NAMES], migrate };
export const TEST_ADMIN_KEY = 'admin-key-for-tests-0123456789';

export interface TestOrchestratorOptions {
  /** The test database's root Kysely (migrated with ORCH_PG_SCHEMA). */
  db: AnyKysely;
  /** Config variables (ORCH_DRIVER, DOCKER_HOST, ORCH_ENGINE_IMAGE, ORCH_DATA_DIR…). */
  env: Record<string, string>;
  limiter?: RateLimiter;
  logger?: Logger;
}

export interface TestOrchestrator {
  baseUrl: string;
  orchestrator: Orchestrator;
  admin: ReturnType<typeof orchestratorClient>;
  platform(key: string): ReturnType<typeof orchestratorClient>;
  close(): Promise<void>;
}

export function orchestratorClient(baseUrl: string, headers: Record<string, string>) {
  return createClient(orchestratordRoutes, { baseUrl, headers: () => headers });
}

export async function startTestOrchestrator(
  opts: TestOrchestratorOptions,
): Promise<TestOrchestrator> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
    ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
    ORCH_FLEET_ID: `t-${randomBytes(6).toString('hex')}`,
    ORCH_IDLE_S: '0',
    ...opts.env,
  });
  const logger =
    opts.logger ?? createLogger({ name: 'orchestratord-test', level: config.LOG_LEVEL });
  const shutdown = createShutdownRegistry({ logger, graceMs: 5000 });
  const orchestrator = createOrchestrator({
    config,
    db: (opts.db as AnyKysely).withSchema(
      DB_SCHEMA,
    ) as unknown as import('kysely').Kysely<Database>,
    pools: buildPools(config, logger),
    limiter: opts.limiter ?? createMemoryRateLimiter(),
    logger,
    masterKey: config.ORCH_MASTER_KEY as Buffer,
    env: {},
  });
  await orchestrator.start();
  const app = createApp({
    logger,
    metrics: createMetrics(),
    shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    version: 'test',
    backends: {},
    adminKey: TEST_ADMIN_KEY,
    orchestrator,
  });
  const server = await listen(app, { port: 0 });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    baseUrl,
    orchestrator,
    admin: orchestratorClient(baseUrl, { 'x-admin-key': TEST_ADMIN_KEY }),
    platform: (key) => orchestratorClient(baseUrl, { 'x-platform-key': key }),
    async close() {
      await server.close();
      await orchestrator.close();
    },
  };
}

/** Destroys every engine of the test's fleet (containers, volumes, dirs), whatever state it is in. */
export async function destroyAll(o: Orchestrator): Promise<void> {
  for (const row of await o.repo.all()) {
    await o.lifecycle.destroy(row.product_id, row.user_id, 'api').catch(() => {});
  }
  await o.reconcile();
}
