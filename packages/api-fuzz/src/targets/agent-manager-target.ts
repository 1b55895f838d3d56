import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { surfaceByName } from '@agentplane/contracts';
import { createTmpDir, spawnService, WORKSPACE_ROOT, waitHealthy } from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget } from './fuzz-target.js';

/**
 * The real agent-manager on its embedded defaults (PGlite, in-process queue, worker processes),
 * with an API key and an admin key, one agent to aim the `{agent_id}` routes at and a spare
 * worker for `{pid}`. Its snapshot is the set of agents: background runs change their status,
 * never which agents exist, so a rejected create or batch shows as a new id.
 */
export async function startAgentManagerTarget(): Promise<FuzzTarget> {
  const apiKey = `fuzz-${randomBytes(12).toString('hex')}`;
  const adminKey = `admin-${randomBytes(12).toString('hex')}`;
  const dataDir = await createTmpDir('am-fuzz-');
  const service = await spawnService({
    entry: join(WORKSPACE_ROOT, 'apps/agent-manager/src/main.ts'),
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      AM_DATA_DIR: dataDir.path,
      AM_API_KEYS: `fuzz:${apiKey}`,
      AM_ADMIN_KEY: adminKey,
      AM_WORKERS: '1',
      BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
    },
    timeoutMs: 60_000,
  });
  const base = service.baseUrl;
  const bearer = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const stop = async () => {
    await service.stop('SIGTERM');
    await dataDir.remove();
  };
  try {
    await waitHealthy(base);
    const agent = (await fetch(`${base}/agents`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ goal: 'fuzz target', capabilities: ['fs'], max_steps: 1 }),
    }).then((r) => r.json())) as { agent_id: string };
    const worker = (await fetch(`${base}/internal/workers`, {
      method: 'POST',
      headers: { 'x-admin-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'agent_runtime', concurrency: 1 }),
    }).then((r) => r.json())) as { worker_pid: number };
    return {
      name: 'agent-manager',
      doc: surfaceDocument(surfaceByName('agent-manager')),
      port: service.port,
      credentials: { bearerKey: `Bearer ${apiKey}`, adminKey },
      pathParams: { agent_id: agent.agent_id, pid: String(worker.worker_pid) },
      overrides: {
        invokeTool: { body: { tool: 'file.list', inputs: {}, agent_id: agent.agent_id } },
        streamBusEvents: { query: { topics: 'agent.lifecycle' } },
      },
      bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
      snapshot: async () => {
        const page = (await fetch(`${base}/agents?limit=200`, { headers: bearer }).then((r) =>
          r.json(),
        )) as { agents: Array<{ agent_id: string }> };
        return { agents: page.agents.map((a) => a.agent_id).sort() };
      },
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
