import { provisionEngine } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineProvisionPost(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, provisionEngine, async ({ req, body }) => ({
    status: 201,
    body: await deps.lifecycle.provision(productOf(req), body, 'api'),
  }));
}
