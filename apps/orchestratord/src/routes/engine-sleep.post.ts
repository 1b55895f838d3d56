import { sleepEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import { type EngineRouteDeps, lifecycleBody } from './engine-route-deps.js';

export function registerEngineSleepPost(router: IRouter, deps: EngineRouteDeps): void {
  const { lifecycle, view } = deps;
  registerRoute(router, sleepEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycleBody(view, await lifecycle.sleep(productOf(req).id, params.user_id, 'api')),
  }));
}
