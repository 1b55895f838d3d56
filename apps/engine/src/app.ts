import { buildEngineDocument, engineRoutes } from '@agentplane/contracts';
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
import type { EngineReadiness } from './readiness.js';
import { registerHealthGet } from './routes/health.get.js';
import { registerRpcPost } from './routes/rpc.post.js';
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
  /** No key hash configured: let guarded routes through (development only; README "Auth"). */
  openWhenKeyUnset: boolean;
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
      // First, so the key is checked before any guarded route's validation or handler runs.
      guardRoutes(
        router,
        engineRoutes,
        engineKeyAuth({ keys: deps.keys, openWhenUnset: deps.openWhenKeyUnset }),
      );
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
    },
  });
}
