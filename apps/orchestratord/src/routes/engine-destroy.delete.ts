import { destroyEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineDestroyDelete(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, destroyEngine, async ({ req, params }) => {
    const row = await deps.lifecycle.destroy(productOf(req).id, params.user_id, 'api');
    return { status: 200, body: { engine_id: row.id, user_id: row.user_id, status: 'destroyed' } };
  });
}
