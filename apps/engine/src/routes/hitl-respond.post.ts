import { respondHitl } from '@agentplane/contracts/engine';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import type { HitlRouteDeps } from './hitl-pending.get.js';

// Guarded by X-Engine-Key. A batch never fails for one stale id: each gets its own status.
export function registerHitlRespondPost(router: IRouter, deps: HitlRouteDeps): void {
  registerRoute(router, respondHitl, ({ body }) => ({
    status: 200,
    body: { results: deps.hitl.respond(body.responses) },
  }));
}
