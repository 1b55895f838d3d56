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
  gateway: engine.gateway,
  gatewayConfigPath: config.GATEWAY_CONFIG_PATH,
  keys: engine.keys,
  usage: engine.usage,
  openWhenKeyUnset: config.NODE_ENV === 'development',
});
if (engine.keys.hashes().length === 0) {
  // Said once at start so an unguarded dev engine is never a surprise (README "Auth").
  logger.warn(
    { nodeEnv: config.NODE_ENV },
    config.NODE_ENV === 'development'
      ? 'no engine key configured: /execute and /rpc are open (development only)'
      : 'no engine key configured: /execute and /rpc answer 401 until ENGINE_KEY_HASH is set',
  );
}
await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
