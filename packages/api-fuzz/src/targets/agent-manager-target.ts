import { join } from 'node:path';
import { surfaceByName } from '@agentplane/contracts';
import { spawnService } from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget } from './fuzz-target.js';
import { REPO_ROOT, waitHealthy } from './process-support.js';

/**
 * The real agent-manager on its embedded defaults. It keeps no state yet (its document has
 * /health only); its snapshot grows with its routes.
 */
export async function startAgentManagerTarget(): Promise<FuzzTarget> {
  const service = await spawnService({
    entry: join(REPO_ROOT, 'apps/agent-manager/src/main.ts'),
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
    },
    timeoutMs: 60_000,
  });
  try {
    await waitHealthy(`${service.baseUrl}/health`);
  } catch (error) {
    await service.stop('SIGTERM');
    throw error;
  }
  return {
    name: 'agent-manager',
    doc: surfaceDocument(surfaceByName('agent-manager')),
    port: service.port,
    credentials: {},
    pathParams: {},
    overrides: {},
    bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
    snapshot: async () => ({}),
    async close() {
      await service.stop('SIGTERM');
    },
  };
}
