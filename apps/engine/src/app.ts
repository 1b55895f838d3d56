import { buildEngineDocument } from '@agentplane/contracts';
import {
  createServiceApp,
  type Express,
  type Logger,
  type Metrics,
  type ShutdownRegistry,
} from '@agentplane/http-kit';
import type { EngineReadiness } from './readiness.js';
import { registerHealthGet } from './routes/health.get.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  bodyLimitBytes: number;
  version: string;
  readiness: EngineReadiness;
}

export function createApp(deps: AppDeps): Express {
  const startedAt = Date.now();
  return createServiceApp({
    name: 'engine',
    logger: deps.logger,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.bodyLimitBytes,
    openapi: buildEngineDocument,
    routes: (router) => {
      registerHealthGet(router, {
        readiness: deps.readiness,
        startedAt,
        version: deps.version,
        shuttingDown: deps.shutdown.shuttingDown,
      });
    },
  });
}
