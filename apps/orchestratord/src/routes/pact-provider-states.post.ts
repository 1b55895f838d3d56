import { defineRoute, ErrorEnvelope } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { z } from 'zod';
import type { ProviderStates } from '../tasks/provider-states.js';

// Pact's provider-states-setup call ({consumer, provider, state, action, params}). Not in any
// OpenAPI document: it exists only under ORCH_TEST_HOOKS=1, which production refuses.
const providerStatesRoute = defineRoute({
  method: 'post',
  path: '/_pact/provider-states',
  operationId: 'setupProviderState',
  summary: 'Set up or tear down a Pact provider state (tests only)',
  tags: ['test-hooks'],
  request: {
    body: z.object({
      consumer: z.string().max(200).optional(),
      provider: z.string().max(200).optional(),
      state: z.string().min(1).max(500),
      action: z.enum(['setup', 'teardown']).default('setup'),
      params: z.record(z.string(), z.unknown()).default({}),
    }),
  },
  responses: {
    200: { description: 'Done', schema: z.object({}) },
    400: { description: 'Unknown state or missing params', schema: ErrorEnvelope },
  },
});

export function registerPactProviderStatesPost(router: IRouter, states: ProviderStates): void {
  registerRoute(router, providerStatesRoute, async ({ body }) => {
    await states.apply(body);
    return { status: 200, body: {} };
  });
}
