import { drainPool } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Orchestrator } from '../orchestrator.js';

export function registerV1PoolDrainPost(router: IRouter, o: Orchestrator): void {
  registerRoute(router, drainPool, async ({ params, body }) => {
    if (!o.pools.some((p) => p.name === params.id)) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No pool ${params.id}` });
    }
    await o.data.drains.start(params.id, body.deadline_ms);
    return { status: 202, body: { pool_id: params.id, draining: true } };
  });
}
