import { startEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import { type EngineRouteDeps, lifecycleBody } from './engine-route-deps.js';

export function registerEngineStartPost(router: IRouter, deps: EngineRouteDeps): void {
  const { lifecycle, view } = deps;
  registerRoute(router, startEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycleBody(
      view,
      await lifecycle.start(productOf(req).id, params.user_id, 'api', 'start'),
    ),
  }));
}
