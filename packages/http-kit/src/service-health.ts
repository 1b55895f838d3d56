/** GET /health of a platform service (not the engine, whose /health is its own contract). */
import { getServiceHealth } from '@agentplane/contracts/common';
import type { IRouter } from 'express';
import { registerRoute } from './route.js';

export interface ServiceHealthDeps {
  service: string;
  version: string;
  startedAt: number;
  backends: Record<string, string>;
  /** Aborted once shutdown began: /health then answers 503 `draining`. */
  shuttingDown: AbortSignal;
}

export function registerServiceHealth(router: IRouter, deps: ServiceHealthDeps): void {
  registerRoute(router, getServiceHealth, () => {
    const draining = deps.shuttingDown.aborted;
    const body = {
      status: draining ? ('draining' as const) : ('ok' as const),
      service: deps.service,
      version: deps.version,
      uptime_seconds: (Date.now() - deps.startedAt) / 1000,
      backends: deps.backends,
    };
    return draining ? { status: 503, body } : { status: 200, body };
  });
}
