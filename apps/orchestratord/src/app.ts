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
import { registerAuditGet } from './routes/audit.get.js';
import { registerEngineAdmitPost } from './routes/engine-admit.post.js';
import { registerEngineDestroyDelete } from './routes/engine-destroy.delete.js';
import { registerEngineGet } from './routes/engine-get.get.js';
import { registerEngineListGet } from './routes/engine-list.get.js';
import { registerEngineProvisionPost } from './routes/engine-provision.post.js';
import { registerEngineRotateKeyPost } from './routes/engine-rotate-key.post.js';
import { registerEngineSleepPost } from './routes/engine-sleep.post.js';
import { registerEngineStartPost } from './routes/engine-start.post.js';
import { registerEngineStopPost } from './routes/engine-stop.post.js';
import { registerEngineWaitGet } from './routes/engine-wait.get.js';
import { registerFleetStatusGet } from './routes/fleet-status.get.js';
import { registerProductPolicyPut } from './routes/product-policy.put.js';
import { registerProductRegisterPost } from './routes/product-register.post.js';

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
  registerFleetMetrics(deps.metrics, o.repo, o.isLeader, o.lastAdmit.failedFlushes);
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
      // One operation per file (routes/), in the contract's order.
      for (const register of [
        registerProductRegisterPost,
        registerProductPolicyPut,
        registerEngineProvisionPost,
        registerEngineListGet,
        registerEngineGet,
        registerEngineStartPost,
        registerEngineStopPost,
        registerEngineSleepPost,
        registerEngineDestroyDelete,
        registerEngineRotateKeyPost,
        registerEngineAdmitPost,
        registerEngineWaitGet,
        registerFleetStatusGet,
        registerAuditGet,
      ]) {
        register(router, o);
      }
    },
  });
}
