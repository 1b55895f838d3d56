import { randomBytes } from 'node:crypto';
import { createClient, orchestratordRoutes } from '@agentplane/contracts';
import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  type Logger,
  listen,
} from '@agentplane/http-kit';
import {
  type AnyKysely,
  createTmpDir,
  type PgSchema,
  pgliteVariant,
  postgresVariant,
  probeDocker,
  requireService,
  type SkippableContext,
} from '@agentplane/testkit';
import { afterAll } from 'vitest';
import { createMemoryRateLimiter, type RateLimiter } from './admission/rate-limiter.js';
import { createApp } from './app.js';
import { buildPools } from './build-pools.js';
import { loadConfig } from './config.js';
import { MIGRATION_NAMES, migrate } from './db/migrations.js';
import { type Database, DB_SCHEMA } from './db/schema.js';
import { buildEngineBundle, buildEngineImage } from './drivers/driver-test-support.js';
import type { TransitionPublisher } from './fleet/transition-publisher.js';
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
  /** Which database `db` is (PGlite: no leader election). */
  dbKind: 'postgres' | 'pglite';
  limiter?: RateLimiter;
  logger?: Logger;
  publisher?: TransitionPublisher;
}

export interface TestOrchestrator {
  baseUrl: string;
  /** ORCH_DATA_DIR (the process driver keeps each engine's dir under `engines/`). */
  dataDir: string;
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
    dbKind: opts.dbKind,
    pools: await buildPools(config, logger),
    limiter: opts.limiter ?? createMemoryRateLimiter(),
    logger,
    masterKey: config.ORCH_MASTER_KEY as Buffer,
    env: {},
    ...(opts.publisher === undefined ? {} : { publisher: opts.publisher }),
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
    dataDir: config.ORCH_DATA_DIR,
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
  await o.warmPool.stop();
  for (const row of await o.repo.all()) {
    await o.lifecycle.destroy(row.product_id, row.user_id, 'api').catch(() => {});
  }
  await o.reconcile();
}

export interface FleetOptions {
  /** [ORCH_PORT_MIN, ORCH_PORT_MAX]: each test file its own range, so files can run at once. */
  ports: readonly [number, number];
  env?: Record<string, string>;
  logger?: Logger;
  publisher?: TransitionPublisher;
}

/**
 * Starts an orchestrator on a fresh database and data dir; its `close` destroys every engine
 * it made, then closes the server, the database and the dir.
 */
async function startFleet(
  db: { db: AnyKysely; close(): Promise<void> },
  dbKind: 'postgres' | 'pglite',
  env: Record<string, string>,
  opts: FleetOptions,
  prefix: string,
): Promise<TestOrchestrator> {
  const tmp = await createTmpDir(prefix);
  const orch = await startTestOrchestrator({
    db: db.db,
    dbKind,
    env: {
      ORCH_DATA_DIR: tmp.path,
      ORCH_PORT_MIN: String(opts.ports[0]),
      ORCH_PORT_MAX: String(opts.ports[1]),
      ...env,
      ...opts.env,
    },
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.publisher === undefined ? {} : { publisher: opts.publisher }),
  });
  return {
    ...orch,
    async close() {
      await destroyAll(orch.orchestrator);
      await orch.close();
      await db.close();
      await tmp.remove();
    },
  };
}

/** The zero-config fleet: the process driver on PGlite, running the engine bundle. */
export async function startProcessFleet(opts: FleetOptions): Promise<TestOrchestrator> {
  const probe = await pgliteVariant.open(ORCH_PG_SCHEMA);
  if (!probe.available) {
    throw new Error('PGlite is always available');
  }
  const command = JSON.stringify([process.execPath, await buildEngineBundle()]);
  return startFleet(
    probe.value,
    'pglite',
    { ORCH_DRIVER: 'process', ORCH_ENGINE_COMMAND: command },
    opts,
    'orch-process-',
  );
}

/**
 * The production fleet: the docker driver through DOCKER_HOST (Podman here) on Postgres, with
 * the engine image. Skips (or fails under CI) when either service is absent.
 */
export async function startDockerFleet(
  ctx: SkippableContext,
  opts: FleetOptions,
): Promise<TestOrchestrator> {
  const dockerHost = process.env.DOCKER_HOST;
  const docker = requireService(await probeDocker(dockerHost), ctx);
  await docker.ping();
  const db = requireService(
    await postgresVariant(process.env.DATABASE_URL).open(ORCH_PG_SCHEMA),
    ctx,
  );
  const env = {
    ORCH_DRIVER: 'docker',
    DOCKER_HOST: dockerHost ?? '',
    ORCH_ENGINE_IMAGE: await buildEngineImage(),
  };
  return startFleet(db, 'postgres', env, opts, 'orch-docker-');
}

/** Registers a product with the admin key and returns a client holding its platform key. */
export async function registerProduct(
  orch: TestOrchestrator,
  slug: string,
  policy: { max_engines?: number; rate_limit_rpm?: number; auto_provision?: boolean } = {},
): Promise<{
  api: ReturnType<TestOrchestrator['platform']>;
  platformKey: string;
  productId: string;
}> {
  const res = await orch.admin.registerProduct({ body: { slug, display_name: slug, policy } });
  if (res.status !== 201) {
    throw new Error(`register ${slug}: ${res.status}`);
  }
  return {
    api: orch.platform(res.body.platform_key),
    platformKey: res.body.platform_key,
    productId: res.body.product_id,
  };
}

/** One fleet flavour for tests that run once per driver. */
export interface FleetVariant {
  name: string;
  start: (ctx: SkippableContext, opts: FleetOptions) => Promise<TestOrchestrator>;
  ports: readonly [number, number];
}

/**
 * The two fleets the lifecycle acceptance runs on: the process driver on PGlite (the zero-config
 * path) and the docker driver on Postgres (Podman's Docker API, the engine image); each gets one
 * of the two port ranges.
 */
export function driverVariants(
  processPorts: readonly [number, number],
  dockerPorts: readonly [number, number],
): FleetVariant[] {
  return [
    {
      name: 'process driver on PGlite',
      start: (_ctx, opts) => startProcessFleet(opts),
      ports: processPorts,
    },
    { name: 'docker driver on Postgres', start: startDockerFleet, ports: dockerPorts },
  ];
}

/**
 * Clean-ups of one test file, run in reverse order after its tests: `const cleanup =
 * cleanupAfterAll()` at module level, then `cleanup(() => thing.close())` as things are made.
 */
export function cleanupAfterAll(): (fn: () => Promise<void>) => void {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanups.reverse()) {
      await fn();
    }
  });
  return (fn) => {
    cleanups.push(fn);
  };
}

/**
 * A fresh Postgres database with orchestratord's schema and a temp dir, both removed after the
 * file's tests. Skips (fails under CI) without DATABASE_URL's server.
 */
export async function postgresAndDir(
  ctx: SkippableContext,
  cleanup: (fn: () => Promise<void>) => void,
  prefix: string,
) {
  const db = requireService(
    await postgresVariant(process.env.DATABASE_URL).open(ORCH_PG_SCHEMA),
    ctx,
  );
  cleanup(() => db.close());
  const dir = await createTmpDir(prefix);
  cleanup(() => dir.remove());
  return { db, dir };
}
