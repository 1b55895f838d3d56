import { getCapabilities } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { Orchestrator } from '../orchestrator.js';

export function registerV1CapabilitiesGet(router: IRouter, o: Orchestrator): void {
  registerRoute(router, getCapabilities, async ({ req }) => ({
    status: 200,
    body: await o.capabilities(productOf(req)),
  }));
}
