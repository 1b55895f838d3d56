import {
  admitEngine,
  buildDocument,
  orchestratordRoutes,
  surfaceByName,
} from '@agentplane/contracts';
import {
  createServiceApp,
  type Express,
  type Logger,
  type Metrics,
  registerServiceHealth,
  type ShutdownRegistry,
} from '@agentplane/http-kit';
import { guardRoutes } from './auth.js';
import { registerFleetMetrics } from './fleet/fleet-metrics.js';
import type { Orchestrator } from './orchestrator.js';
import { registerEngineRoutes } from './routes/engines.js';
import { registerFleetRoutes } from './routes/fleet.js';
import { registerProductRoutes } from './routes/products.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  bodyLimitBytes: number;
  version: string;
  backends: Record<string, string>;
  adminKey: string;
  orchestrator: Orchestrator;
}

export function createApp(deps: AppDeps): Express {
  const startedAt = Date.now();
  const o = deps.orchestrator;
  registerFleetMetrics(deps.metrics, o.repo, o.isLeader);
  return createServiceApp({
    name: 'orchestratord',
    logger: deps.logger,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.bodyLimitBytes,
    openapi: () => buildDocument(surfaceByName('orchestratord-control')),
    guards: (router) =>
      guardRoutes(router, orchestratordRoutes, {
        products: o.products,
        adminKey: deps.adminKey,
        // The per-user-request hot path: its key check and engine lookup are one query.
        prefetchEngine: new Set([admitEngine.operationId]),
      }),
    routes: (router) => {
      registerServiceHealth(router, {
        service: 'orchestratord',
        version: deps.version,
        startedAt,
        backends: deps.backends,
        shuttingDown: deps.shutdown.shuttingDown,
      });
      registerProductRoutes(router, o);
      registerEngineRoutes(router, o);
      registerFleetRoutes(router, o);
    },
  });
}
