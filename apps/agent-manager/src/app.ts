import { agentManagerRoutes, buildDocument, surfaceByName } from '@agentplane/contracts';
import type { EventBus } from '@agentplane/event-bus';
import {
  createServiceApp,
  type Express,
  type Logger,
  type Metrics,
  registerServiceHealth,
  type ShutdownRegistry,
} from '@agentplane/http-kit';
import { type AuthConfig, guardRoutes } from './auth.js';
import { type AgentRouteDeps, registerAgentRoutes } from './routes/agents.js';
import { registerEventRoutes } from './routes/events.js';
import { type RagRouteDeps, registerRagRoutes } from './routes/rag.js';
import { registerToolRoutes, type ToolRouteDeps } from './routes/tools.js';
import { registerWorkerRoutes, type WorkerRouteDeps } from './routes/workers.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  bodyLimitBytes: number;
  version: string;
  backends: Record<string, string>;
  auth: AuthConfig;
  agents: AgentRouteDeps;
  tools: ToolRouteDeps;
  workers: WorkerRouteDeps;
  bus: EventBus;
  rag: RagRouteDeps;
}

export function createApp(deps: AppDeps): Express {
  const startedAt = Date.now();
  return createServiceApp({
    name: 'agent-manager',
    logger: deps.logger,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.bodyLimitBytes,
    openapi: () => buildDocument(surfaceByName('agent-manager')),
    routes: (router) => {
      registerServiceHealth(router, {
        service: 'agent-manager',
        version: deps.version,
        startedAt,
        backends: deps.backends,
        shuttingDown: deps.shutdown.shuttingDown,
      });
      guardRoutes(router, agentManagerRoutes, deps.auth);
      registerAgentRoutes(router, deps.agents);
      registerToolRoutes(router, deps.tools);
      registerWorkerRoutes(router, deps.workers);
      registerEventRoutes(router, { bus: deps.bus });
      registerRagRoutes(router, deps.rag);
    },
  });
}
