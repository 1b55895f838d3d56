import { getEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineGet(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, getEngine, async ({ req, params }) => ({
    status: 200,
    body: deps.view.withKey(await deps.lifecycle.mustFind(productOf(req).id, params.user_id)),
  }));
}
