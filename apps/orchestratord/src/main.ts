import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  describeBackends,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { Redis } from 'ioredis';
import { createMemoryRateLimiter, createRedisRateLimiter } from './admission/rate-limiter.js';
import { createApp } from './app.js';
import { buildPools } from './build-pools.js';
import { describeOrchestratorBackends, loadConfig } from './config.js';
import { openFleetDb } from './db/open-db.js';
import { resolveSecrets } from './dev-secrets.js';
import { buildTransitionPublisher } from './fleet/transition-publisher.js';
import { createOrchestrator } from './orchestrator.js';
import { sleepProcessEnginesOnExit } from './sleep-on-exit.js';

const VERSION = '1.0.0';

const config = loadConfigOrExit('orchestratord', () => loadConfig(process.env));
const logger = createLogger({ name: 'orchestratord', level: config.LOG_LEVEL });
const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
const backends = { ...describeBackends(config), ...describeOrchestratorBackends(config) };

const { adminKey, masterKey } = resolveSecrets(config, logger);

const fleetDb = await openFleetDb({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.ORCH_DATA_DIR,
  // Sits beside this entry: .ts under tsx, .js bundled.
  pgliteInit: {
    entry: new URL(
      import.meta.url.endsWith('.ts') ? './pglite-init.ts' : './pglite-init.js',
      import.meta.url,
    ),
  },
  onConnectionError: (error) => logger.warn({ err: error }, 'a database connection was lost'),
});
const limiter =
  config.REDIS_URL === undefined
    ? createMemoryRateLimiter()
    : createRedisRateLimiter(
        new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 }),
        'orchestratord:',
      );
const metrics = createMetrics();
const publisher = buildTransitionPublisher({
  redisUrl: config.REDIS_URL,
  keyPrefix: config.ORCH_BUS_PREFIX,
  maxLen: config.ORCH_BUS_MAXLEN,
  logger,
  registry: metrics.registry,
});
const orchestrator = createOrchestrator({
  dbKind: fleetDb.kind,
  config,
  db: fleetDb.db,
  pools: await buildPools(config, logger),
  limiter,
  logger,
  masterKey,
  env: process.env,
  publisher,
});
await orchestrator.start();
shutdown.register('orchestrator', async () => {
  await orchestrator.close();
  await publisher.close();
  await fleetDb.close();
});
if (
  (config.ORCH_PROCESS_ENGINES_ON_EXIT ?? (fleetDb.kind === 'pglite' ? 'sleep' : 'keep')) ===
  'sleep'
) {
  // Registered after 'orchestrator', so it runs before it (the database is still open).
  shutdown.register(
    'process-engines',
    sleepProcessEnginesOnExit({
      ...orchestrator,
      logger,
      stopLoops: async () => {
        await orchestrator.warmPool.stop();
        await orchestrator.healthLoop.stop();
      },
    }),
  );
}

const app = createApp({
  logger,
  metrics,
  shutdown,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  version: VERSION,
  backends,
  adminKey,
  orchestrator,
});
logger.info({ backends, version: VERSION, fleet: config.ORCH_FLEET_ID }, 'starting');
await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
