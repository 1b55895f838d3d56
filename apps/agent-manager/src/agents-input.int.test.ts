import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeVariants,
  type LiveAgentManager,
  startLiveAgentManager,
} from './test-support/live-agent-manager.js';

async function post(
  am: LiveAgentManager,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${am.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${am.apiKey}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: { code: string; details?: unknown } } & Record<
      string,
      unknown
    >,
  };
}

describeVariants('bad input and the side APIs', (variant) => {
  let am: LiveAgentManager;
  let agentId: string;
  beforeAll(async () => {
    am = await startLiveAgentManager({ variant, env: { AM_HTTP_ALLOW_HOSTS: 'example.invalid' } });
    const created = await am.client.createAgent({
      body: { goal: 'tools', capabilities: ['fs', 'db', 'http'], max_steps: 2 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    agentId = created.body.agent_id;
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
  });

  const count = async () => {
    const page = await am.client.listAgents({ query: { limit: 200 } });
    return page.status === 200 ? page.body.agents.length : -1;
  };

  it('refuses invalid agents with 400 envelopes and writes nothing', async () => {
    const before = await count();
    for (const body of [
      {},
      { goal: '' },
      { goal: 'x', capabilities: ['root'] },
      { goal: 'x', max_steps: 501 },
      { goal: 'x', capabilities: ['fs', 'fs'] },
    ]) {
      const res = await post(am, '/agents', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION_ERROR');
    }
    const tooMany = await post(am, '/agents/batch', {
      agents: Array.from({ length: 1001 }, () => ({ goal: 'x' })),
    });
    expect(tooMany.status).toBe(400);
    const oneBad = await post(am, '/agents/batch', {
      agents: [{ goal: 'ok' }, { goal: 'ok', max_steps: 0 }],
    });
    expect(oneBad.status).toBe(400);
    const tooBig = await post(am, '/agents/batch', {
      agents: [{ goal: 'ok' }, { goal: 'ok', resources: { ram: '999999GB' } }],
    });
    expect(tooBig).toMatchObject({ status: 400, body: { error: { code: 'RESOURCE_LIMIT' } } });
    expect(await count()).toBe(before);
    const batch = await am.client.batchCreateAgents({
      body: { agents: [{ goal: 'a' }, { goal: 'b' }] },
    });
    expect(batch.status === 201 && batch.body.agent_ids).toHaveLength(2);
    expect(await count()).toBe(before + 2);
  });

  it('an Idempotency-Key returns the same agent; another body under it is 422', async () => {
    const body = { goal: 'idempotent', capabilities: [], max_steps: 2 };
    const first = await post(am, '/agents', body, { 'idempotency-key': 'k-1' });
    const again = await post(am, '/agents', body, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    expect(again.body.agent_id).toBe(first.body.agent_id);
    const changed = await post(
      am,
      '/agents',
      { ...body, goal: 'other' },
      { 'idempotency-key': 'k-1' },
    );
    expect(changed).toMatchObject({
      status: 422,
      body: { error: { code: 'IDEMPOTENCY_MISMATCH' } },
    });
  });

  it('tools refuse escapes, hosts off the list, writes to the database and missing capabilities', async () => {
    const invoke = (tool: string, inputs: object, agent_id = agentId) =>
      post(am, '/tools/invoke', { tool, inputs, agent_id });
    const root = join(am.filesRoot, agentId);
    mkdirSync(root, { recursive: true });
    symlinkSync('/etc', join(root, 'etc-link'));
    for (const path of ['../x', '/etc/passwd', 'a/../../x', 'etc-link/passwd']) {
      const res = await invoke('file.read', { path });
      expect(res.status, path).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'TOOL_FAILED',
        details: { code: 'PATH_OUTSIDE_ROOT' },
      });
    }
    expect((await invoke('file.write', { path: 'ok.txt', content: 'fine' })).status).toBe(200);
    expect((await invoke('file.read', { path: 'ok.txt' })).status).toBe(200);
    const host = await invoke('http.fetch', { url: 'http://169.254.169.254/latest/meta-data' });
    expect(host).toMatchObject({
      status: 422,
      body: { error: { details: { code: 'HOST_NOT_ALLOWED' } } },
    });
    const write = await invoke('db.query', { sql: 'CREATE TABLE pwned (x int)' });
    expect(write).toMatchObject({
      status: 422,
      body: { error: { details: { code: 'READ_ONLY' } } },
    });
    expect((await invoke('db.query', { sql: 'SELECT 1 AS one' })).status).toBe(200);
    // The service's own tables (every agent's goals and results) are not the agents' to read.
    const own = await invoke('db.query', { sql: 'SELECT goal FROM agent_manager.agents' });
    expect(own).toMatchObject({
      status: 400,
      body: { error: { details: { code: 'INVALID_INPUT', details: { sqlstate: '42501' } } } },
    });
    const noCap = await am.client.createAgent({
      body: { goal: 'no caps', capabilities: [], max_steps: 1 },
    });
    const plain = noCap.status === 201 ? noCap.body.agent_id : '';
    expect(await invoke('file.read', { path: 'x' }, plain)).toMatchObject({
      status: 403,
      body: { error: { code: 'CAPABILITY_DENIED' } },
    });
    expect((await invoke('file.read', { nope: 1 })).status).toBe(400);
    expect((await invoke('nothing.here', {})).status).toBe(404);
    expect((await invoke('file.read', { path: 'x' }, 'agt_0000000000missing')).status).toBe(404);
  });

  it('keys: none is 401, a wrong one 401, an API key on the worker routes 403', async () => {
    const anonymous = await fetch(`${am.baseUrl}/agents`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${am.baseUrl}/agents`, {
      headers: { authorization: 'Bearer not-a-key-at-all' },
    });
    expect(wrong.status).toBe(401);
    const bearerOnAdmin = await am.client.listWorkers();
    expect(bearerOnAdmin.status).toBe(403);
  });

  it('workers: the default pool, spawn, list and drain', async () => {
    const list = await am.admin.listWorkers();
    if (list.status !== 200) {
      throw new Error(`list: ${list.status}`);
    }
    expect(list.body.workers.filter((w) => w.type === 'agent_runtime')).toHaveLength(2);
    const spawned = await am.admin.spawnWorker({ body: { type: 'agent_runtime', concurrency: 2 } });
    if (spawned.status !== 201) {
      throw new Error(`spawn: ${spawned.status}`);
    }
    const pid = spawned.body.worker_pid;
    await expect
      .poll(
        async () => {
          const res = await am.admin.listWorkers();
          return res.status === 200
            ? res.body.workers.find((w) => w.pid === pid)?.status
            : undefined;
        },
        { timeout: 20_000 },
      )
      .toBe('running');
    expect(await am.admin.drainWorker({ params: { pid } })).toMatchObject({
      status: 202,
      body: { status: 'draining' },
    });
    await expect
      .poll(
        async () => {
          const res = await am.admin.listWorkers();
          return res.status === 200 ? res.body.workers.some((w) => w.pid === pid) : true;
        },
        { timeout: 10_000 },
      )
      .toBe(false);
    expect((await am.admin.drainWorker({ params: { pid } })).status).toBe(404);
    expect((await am.admin.spawnWorker({ body: { type: 'ingest' } })).status).toBe(409);
  });
});
