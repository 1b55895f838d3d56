import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  describeBackends,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { createApp } from './app.js';
import { loadConfig } from './config.js';

const VERSION = '0.1.0';

const config = loadConfigOrExit('agent-manager', () => loadConfig(process.env));
const logger = createLogger({ name: 'agent-manager', level: config.LOG_LEVEL });
const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
const backends = { ...describeBackends(config) };
const app = createApp({
  logger,
  metrics: createMetrics(),
  shutdown,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  version: VERSION,
  backends,
});
logger.info({ backends, version: VERSION }, 'starting');
await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
