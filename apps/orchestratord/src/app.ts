import {
  admitEngine,
  orchestratordCatalogRoutes,
  orchestratordDataRoutes,
  orchestratordDocument,
  orchestratordRoutes,
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
import { registerPactProviderStatesPost } from './routes/pact-provider-states.post.js';
import { registerProductPolicyPut } from './routes/product-policy.put.js';
import { registerProductRegisterPost } from './routes/product-register.post.js';
import { registerV1CapabilitiesGet } from './routes/v1-capabilities.get.js';
import { registerV1CatalogCreatePost } from './routes/v1-catalog-create.post.js';
import { registerV1CatalogDeleteDelete } from './routes/v1-catalog-delete.delete.js';
import { registerV1CatalogGetGet } from './routes/v1-catalog-get.get.js';
import { registerV1CatalogListGet } from './routes/v1-catalog-list.get.js';
import { registerV1CatalogStatePost } from './routes/v1-catalog-state.post.js';
import { registerV1CatalogVerifyPost } from './routes/v1-catalog-verify.post.js';
import { registerV1ChatCompletionsPost } from './routes/v1-chat-completions.post.js';
import { registerV1PoolDrainPost } from './routes/v1-pool-drain.post.js';
import { registerV1PoolHealthGet } from './routes/v1-pool-health.get.js';
import { registerV1PoolReloadPost } from './routes/v1-pool-reload.post.js';
import { registerV1PoolResumePost } from './routes/v1-pool-resume.post.js';
import { registerV1SessionDelete } from './routes/v1-session-delete.delete.js';
import { registerV1SessionGet } from './routes/v1-session-get.get.js';
import { registerV1TaskCancelPost } from './routes/v1-task-cancel.post.js';
import { registerV1TaskCreatePost } from './routes/v1-task-create.post.js';
import { registerV1TaskDeleteDelete } from './routes/v1-task-delete.delete.js';
import { registerV1TaskStreamGet } from './routes/v1-task-stream.get.js';
import { chatErrorFormat } from './tasks/chat-error.js';
import { dataErrorFormat } from './tasks/data-error.js';

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
  o.data.metrics.register(deps.metrics.registry, () => o.data.tasks.depths());
  o.catalog.metrics.register(deps.metrics.registry, () => o.catalog.repo.list());
  return createServiceApp({
    name: 'orchestratord',
    logger: deps.logger,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.bodyLimitBytes,
    // One document for every surface it serves (control plane, /v1 data plane, …).
    openapi: orchestratordDocument,
    // The first matching prefix wins: /v1/chat/ speaks OpenAI's error shape, the rest of /v1/
    // llama-orch's.
    errorFormats: [chatErrorFormat, dataErrorFormat],
    guards: (router) =>
      guardRoutes(
        router,
        { ...orchestratordRoutes, ...orchestratordDataRoutes, ...orchestratordCatalogRoutes },
        {
          products: o.products,
          adminKey: deps.adminKey,
          // The per-user-request hot path: its key check and engine lookup are one query.
          prefetchEngine: new Set([admitEngine.operationId]),
        },
      ),
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
      // The /v1 task data plane (orchestratord-data.yaml).
      for (const register of [
        registerV1TaskCreatePost,
        registerV1TaskStreamGet,
        registerV1TaskCancelPost,
        registerV1TaskDeleteDelete,
        registerV1SessionGet,
        registerV1SessionDelete,
        registerV1ChatCompletionsPost,
      ]) {
        register(router, o.data);
      }
      for (const register of [
        registerV1PoolHealthGet,
        registerV1PoolDrainPost,
        registerV1PoolResumePost,
        registerV1PoolReloadPost,
        registerV1CapabilitiesGet,
      ]) {
        register(router, o);
      }
      // The catalog of engine images (orchestratord-catalog.yaml).
      for (const register of [
        registerV1CatalogCreatePost,
        registerV1CatalogListGet,
        registerV1CatalogGetGet,
        registerV1CatalogDeleteDelete,
        registerV1CatalogVerifyPost,
        registerV1CatalogStatePost,
      ]) {
        register(router, o.catalog);
      }
      if (o.data.providerStates !== undefined) {
        registerPactProviderStatesPost(router, o.data.providerStates);
      }
    },
  });
}
