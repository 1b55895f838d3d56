import { getFleetStatus, listAudit } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { AuditLog } from '../fleet/audit.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import { fleetStatus } from '../fleet/fleet-status.js';
import type { Pool } from '../fleet/lifecycle.js';

export function registerFleetRoutes(
  router: IRouter,
  deps: { repo: EngineRepo; audit: AuditLog; pools: readonly Pool[] },
): void {
  registerRoute(router, getFleetStatus, async ({ req }) => ({
    status: 200,
    body: await fleetStatus(deps, productOf(req).id),
  }));

  registerRoute(router, listAudit, async ({ req, query }) => {
    const entries = await deps.audit.list({
      productId: productOf(req).id,
      userId: query.user_id,
      after: query.after,
      limit: query.limit,
    });
    return { status: 200, body: { entries, last_id: entries.at(-1)?.id ?? query.after } };
  });
}
