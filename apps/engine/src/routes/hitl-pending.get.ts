import { listHitlPending } from '@agentplane/contracts/engine';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { HitlRegistry } from '../hitl/hitl-registry.js';

export interface HitlRouteDeps {
  hitl: Pick<HitlRegistry, 'pending' | 'respond'>;
}

// Guarded by X-Engine-Key (app.ts mounts the check in front of every engineKey route).
export function registerHitlPendingGet(router: IRouter, deps: HitlRouteDeps): void {
  registerRoute(router, listHitlPending, ({ query }) => ({
    status: 200,
    body: { pending: deps.hitl.pending(query.task_id) },
  }));
}
