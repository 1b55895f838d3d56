import { getHealth } from '@agentplane/contracts/engine';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { type EngineReadiness, healthBody } from '../readiness.js';

export interface HealthDeps {
  readiness: EngineReadiness;
  startedAt: number;
  version: string;
  shuttingDown: AbortSignal;
}

// No auth (engine contract): the orchestrator polls it during boot and in its health loop.
export function registerHealthGet(router: IRouter, deps: HealthDeps): void {
  registerRoute(router, getHealth, () => {
    const body = healthBody(
      deps.readiness,
      deps.startedAt,
      deps.shuttingDown.aborted,
      deps.version,
    );
    return body.status === 'ok' ? { status: 200, body } : { status: 503, body };
  });
}
