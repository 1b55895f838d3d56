import { reloadPool } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Orchestrator } from '../orchestrator.js';

export function registerV1PoolReloadPost(router: IRouter, o: Orchestrator): void {
  registerRoute(router, reloadPool, async ({ params, body }) => {
    if (!o.pools.some((p) => p.name === params.id)) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No pool ${params.id}` });
    }
    const entry = await o.catalog.resolve(body.new_model_ref);
    if (entry === undefined) {
      throw new ApiError({
        code: 'INVALID_PARAMS',
        message: `new_model_ref ${body.new_model_ref} names no catalog entry`,
        details: { new_model_ref: body.new_model_ref },
      });
    }
    if (entry.state === 'Retired') {
      throw new ApiError({
        code: 'MODEL_DEPRECATED',
        message: `${body.new_model_ref} is Retired in the catalog`,
        details: { new_model_ref: body.new_model_ref },
      });
    }
    const { reloaded } = await o.reloadPool(params.id, entry.image);
    return {
      status: 200,
      body: {
        pool_id: params.id,
        model_ref: body.new_model_ref,
        image: entry.image,
        engines_reloaded: reloaded,
      },
    };
  });
}
