import { resumePool } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Orchestrator } from '../orchestrator.js';

export function registerV1PoolResumePost(router: IRouter, o: Orchestrator): void {
  registerRoute(router, resumePool, async ({ params }) => {
    if (!o.pools.some((p) => p.name === params.id)) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No pool ${params.id}` });
    }
    await o.data.drains.end(params.id);
    o.data.dispatcher.trigger();
    return { status: 200, body: { pool_id: params.id, draining: false } };
  });
}
