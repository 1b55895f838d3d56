import { admitEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { admit } from '../admission/admit.js';
import { prefetchedEngine, productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineAdmitPost(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, admitEngine, async ({ req, params, body }) => ({
    status: 200,
    body: await admit(
      deps,
      productOf(req),
      params.user_id,
      body.auto_wake,
      prefetchedEngine(req, params.user_id),
    ),
  }));
}
