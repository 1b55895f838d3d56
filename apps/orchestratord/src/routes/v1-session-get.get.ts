import { getSession } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { DataPlane } from '../tasks/data-plane.js';

export function registerV1SessionGet(router: IRouter, plane: DataPlane): void {
  registerRoute(router, getSession, async ({ req, params }) => {
    const session = await plane.sessions.live(productOf(req).id, params.id);
    if (session === undefined) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No live session ${params.id}` });
    }
    const budget = plane.admission.tokenBudget;
    return {
      status: 200,
      body: {
        ttl_ms_remaining: Math.max(0, session.expires_at.getTime() - Date.now()),
        turns: session.turns,
        // The engine keeps the conversation in its brain, not a KV cache we could measure.
        kv_bytes: 0,
        kv_warmth: false,
        ...(budget > 0 ? { tokens_budget_remaining: budget - Number(session.tokens_used) } : {}),
      },
    };
  });
}
