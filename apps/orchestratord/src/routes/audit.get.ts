import { listAudit } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { AuditLog } from '../fleet/audit.js';

export function registerAuditGet(router: IRouter, deps: { audit: AuditLog }): void {
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
