import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { startEngine } from './start-engine.js';

const VERSION = '0.1.0';

const config = loadConfigOrExit('engine', () => loadConfig(process.env));
const logger = createLogger({ name: 'engine', level: config.LOG_LEVEL });
const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
const engine = await startEngine(config, logger);
shutdown.register('brain', async () => engine.brain?.close());
const app = createApp({
  logger,
  metrics: createMetrics(),
  shutdown,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  version: VERSION,
  readiness: engine.readiness,
});
await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
