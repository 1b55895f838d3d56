import { buildDocument, surfaceByName } from '@agentplane/contracts';
import {
  createServiceApp,
  type Express,
  type Logger,
  type Metrics,
  registerServiceHealth,
  type ShutdownRegistry,
} from '@agentplane/http-kit';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  bodyLimitBytes: number;
  version: string;
  backends: Record<string, string>;
}

export function createApp(deps: AppDeps): Express {
  const startedAt = Date.now();
  return createServiceApp({
    name: 'orchestratord',
    logger: deps.logger,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.bodyLimitBytes,
    openapi: () => buildDocument(surfaceByName('orchestratord-control')),
    routes: (router) => {
      registerServiceHealth(router, {
        service: 'orchestratord',
        version: deps.version,
        startedAt,
        backends: deps.backends,
        shuttingDown: deps.shutdown.shuttingDown,
      });
    },
  });
}
