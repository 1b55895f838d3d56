import { waitEngine } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import { waitForState } from '../fleet/wait-state.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineWaitGet(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, waitEngine, async ({ req, params, query, signal }) => {
    const row = await deps.lifecycle.mustFind(productOf(req).id, params.user_id);
    const waited = await waitForState(
      deps,
      row.id,
      (status) => status === query.state || status === 'destroyed',
      query.timeout_s * 1000,
      signal,
    );
    if (waited.row === undefined) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `The engine of ${params.user_id} was destroyed`,
      });
    }
    return {
      status: 200,
      body: {
        engine_id: waited.row.id,
        user_id: waited.row.user_id,
        status: waited.row.status,
        reached: waited.row.status === query.state,
      },
    };
  });
}
