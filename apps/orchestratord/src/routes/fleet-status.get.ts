import { getFleetStatus } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { AuditLog } from '../fleet/audit.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { Pool } from '../fleet/engine-view.js';
import { fleetStatus } from '../fleet/fleet-status.js';

export function registerFleetStatusGet(
  router: IRouter,
  deps: { repo: EngineRepo; audit: AuditLog; pools: readonly Pool[] },
): void {
  registerRoute(router, getFleetStatus, async ({ req }) => ({
    status: 200,
    body: await fleetStatus(deps, productOf(req).id),
  }));
}
