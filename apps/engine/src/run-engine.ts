import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createHitlRegistry } from './hitl/hitl-registry.js';
import { runDepsFrom } from './runs/run-deps.js';
import { createRunManager } from './runs/run-manager.js';
import { startEngine } from './start-engine.js';

const VERSION = '0.1.0';

/**
 * The engine's composition root: config from `env`, then brain, catalog, gateway, runs and the
 * HTTP app, listening until SIGTERM. A function (not module top level): main.ts turns the
 * compile cache on before it imports this module. (A V8 startup snapshot of the evaluated modules
 * is not possible on Node 24.21: `node --build-snapshot` aborts with "CheckGlobalAndEternalHandles
 * failed" as soon as the script requires node:http, which every route layer needs.)
 */
export async function runEngine(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfigOrExit('engine', () => loadConfig(env));
  const logger = createLogger({ name: 'engine', level: config.LOG_LEVEL });
  const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
  const engine = await startEngine(config, logger);
  shutdown.register('brain', async () => engine.brain?.close());
  const metrics = createMetrics();
  const hitl = createHitlRegistry({ ttlMs: config.ENGINE_HITL_TTL_S * 1000 });
  const runs = createRunManager(runDepsFrom(config, engine, { logger, metrics, shutdown, hitl }));
  // Runs after the HTTP server closed (hooks run in reverse) and before the brain closes: every
  // turn, cancelled by `shuttingDown`, has stored its partial output by then.
  shutdown.register('runs', () => runs.drain());
  const app = createApp({
    logger,
    metrics,
    shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    version: VERSION,
    readiness: engine.readiness,
    gateway: engine.gateway,
    gatewayConfigPath: config.GATEWAY_CONFIG_PATH,
    keys: engine.keys,
    usage: engine.usage,
    openWhenKeyUnset: config.NODE_ENV === 'development',
    runs,
    hitl,
  });
  if (engine.keys.hashes().length === 0) {
    // Said once at start so an unguarded dev engine is never a surprise (ARCHITECTURE.md "Auth").
    logger.warn(
      { nodeEnv: config.NODE_ENV },
      config.NODE_ENV === 'development'
        ? 'no engine key configured: /execute and /rpc are open (development only)'
        : 'no engine key configured: /execute and /rpc answer 401 until ENGINE_KEY_HASH is set',
    );
  }
  await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
}
