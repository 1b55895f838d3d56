import { buildEngineDocument, engineRoutes } from '@agentplane/contracts/engine';
import {
  createServiceApp,
  type Express,
  type Logger,
  type Metrics,
  type ShutdownRegistry,
} from '@agentplane/http-kit';
import { engineKeyAuth, guardRoutes } from './auth/engine-key.js';
import type { KeySet } from './auth/key-set.js';
import type { ConfigHolder } from './gateway/config-holder.js';
import type { HitlRegistry } from './hitl/hitl-registry.js';
import type { EngineReadiness } from './readiness.js';
import { registerExecutePost } from './routes/execute.post.js';
import { registerExecuteCancelPost } from './routes/execute-cancel.post.js';
import { registerExecuteReplayGet } from './routes/execute-replay.get.js';
import { registerHealthGet } from './routes/health.get.js';
import { registerHitlPendingGet } from './routes/hitl-pending.get.js';
import { registerHitlRespondPost } from './routes/hitl-respond.post.js';
import { registerRpcPost } from './routes/rpc.post.js';
import type { RunManager } from './runs/run-manager.js';
import type { UsageStore } from './usage/usage-store.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  shutdown: ShutdownRegistry;
  bodyLimitBytes: number;
  version: string;
  readiness: EngineReadiness;
  gateway: ConfigHolder;
  gatewayConfigPath: string;
  keys: KeySet;
  usage: UsageStore | undefined;
  /** No key hash configured: let guarded routes through (development only; ARCHITECTURE.md "Auth"). */
  openWhenKeyUnset: boolean;
  /** The turns of /execute (built with `createRunManager` on the same metrics and shutdown). */
  runs: RunManager;
  /** Open human-approval requests; absent → the HITL routes are not served (tests). */
  hitl?: HitlRegistry;
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
    guards: (router) =>
      guardRoutes(
        router,
        engineRoutes,
        engineKeyAuth({ keys: deps.keys, openWhenUnset: deps.openWhenKeyUnset }),
      ),
    routes: (router) => {
      registerHealthGet(router, {
        readiness: deps.readiness,
        startedAt,
        version: deps.version,
        shuttingDown: deps.shutdown.shuttingDown,
      });
      registerRpcPost(router, {
        gateway: deps.gateway,
        gatewayConfigPath: deps.gatewayConfigPath,
        keys: deps.keys,
        usage: deps.usage,
        readiness: deps.readiness,
      });
      registerExecutePost(router, { runs: deps.runs });
      registerExecuteReplayGet(router, { runs: deps.runs });
      registerExecuteCancelPost(router, { runs: deps.runs });
      if (deps.hitl) {
        registerHitlPendingGet(router, { hitl: deps.hitl });
        registerHitlRespondPost(router, { hitl: deps.hitl });
      }
    },
  });
}
