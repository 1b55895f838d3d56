import { createClient, engineRoutes } from '@agentplane/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { driverVariants, registerProduct, type TestOrchestrator } from './test-orchestrator.js';

// The acceptance path, through the generated client, once per driver: docker (Podman's Docker
// API, the engine image, Postgres) and process (the engine bundle, PGlite: the zero-config path).

const variants = driverVariants([21000, 21099], [21100, 21199]);

const engineClient = (url: string, key: string) =>
  createClient(engineRoutes, { baseUrl: url, headers: () => ({ 'x-engine-key': key }) });

async function executeOnce(url: string, key: string, taskId: string): Promise<string[]> {
  const run = await engineClient(url, key).execute({ body: { task_id: taskId, message: 'hello' } });
  expect(run.status).toBe(200);
  const names: string[] = [];
  if (run.status === 200) {
    for await (const event of run.events) {
      names.push(event.event);
    }
  }
  return names;
}

const getConfig = { body: { subsystem: 'control', op: 'get_config' } } as const;

describe.each(variants)('engine lifecycle with the $name', (variant) => {
  let orch: TestOrchestrator | undefined;
  afterAll(async () => {
    await orch?.close();
  });

  it('provision → admit → execute → stop → admit wakes → rotate → destroy', async (ctx) => {
    orch = await variant.start(ctx, {
      ports: variant.ports,
      env: { ORCH_KEY_ROTATION_OVERLAP_S: '2', ORCH_BOOT_TIMEOUT_S: '30' },
    });
    const o = orch;
    const { api } = await registerProduct(o, 'acme', { max_engines: 5 });

    const provisioned = await api.provisionEngine({ body: { user_id: 'alice' } });
    expect(provisioned.status).toBe(201);
    if (provisioned.status !== 201) {
      return;
    }
    const engine = provisioned.body;
    expect(engine.status).toBe('running');
    expect(engine.engine_key).toMatch(/^sk-/);
    expect(engine.url).toMatch(/^http:\/\/127\.0\.0\.1:21[01]\d\d$/);

    const admitted = await api.admitEngine({ params: { user_id: 'alice' }, body: {} });
    expect(admitted).toMatchObject({
      status: 200,
      body: { admitted: true, url: engine.url, engine_key: engine.engine_key, provisioned: false },
    });
    const names = await executeOnce(engine.url, engine.engine_key, 'lifecycle-1');
    expect(names[0]).toBe('thread.started');
    expect(names.at(-1)).toBe('thread.completed');

    expect((await api.stopEngine({ params: { user_id: 'alice' } })).body).toMatchObject({
      status: 'stopped',
    });
    expect(
      await api.admitEngine({ params: { user_id: 'alice' }, body: { auto_wake: false } }),
    ).toMatchObject({
      body: { admitted: false, reason: 'engine_sleeping', status: 'stopped' },
    });
    const woken = await api.admitEngine({ params: { user_id: 'alice' }, body: {} });
    expect(woken.body).toMatchObject({ admitted: true, woke: true, engine_key: engine.engine_key });
    // The brain survived the stop: the conversation continues where it was.
    expect((await executeOnce(engine.url, engine.engine_key, 'lifecycle-1')).at(-1)).toBe(
      'thread.completed',
    );

    const rotated = await api.rotateEngineKey({ params: { user_id: 'alice' } });
    expect(rotated.status).toBe(200);
    if (rotated.status !== 200) {
      return;
    }
    const newKey = rotated.body.engine_key;
    expect(newKey).not.toBe(engine.engine_key);
    expect((await engineClient(engine.url, engine.engine_key).rpc(getConfig)).status).toBe(200);
    expect((await engineClient(engine.url, newKey).rpc(getConfig)).status).toBe(200);
    // After the overlap the old key is refused, the new one still works.
    const deadline = Date.now() + 15_000;
    while ((await engineClient(engine.url, engine.engine_key).rpc(getConfig)).status !== 401) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await engineClient(engine.url, newKey).rpc(getConfig)).status).toBe(200);
    expect((await api.getEngine({ params: { user_id: 'alice' } })).body).toMatchObject({
      engine_key: newKey,
    });

    const listed = await api.listEngines({ query: {} });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('sk-');

    const destroyed = await api.destroyEngine({ params: { user_id: 'alice' } });
    expect(destroyed.body).toMatchObject({ status: 'destroyed', engine_id: engine.engine_id });
    expect((await api.getEngine({ params: { user_id: 'alice' } })).status).toBe(404);
    expect(await o.orchestrator.repo.byId(engine.engine_id)).toBeUndefined();
    const [pool] = o.orchestrator.pools;
    expect((await pool?.driver.list())?.map((e) => e.engineId)).not.toContain(engine.engine_id);
    expect(await pool?.driver.listData()).not.toContain(engine.engine_id);
    expect(await o.orchestrator.repo.portsInUse(pool?.name ?? '')).toEqual(new Set());

    const audit = await api.listAudit({ query: { user_id: 'alice' } });
    expect(audit.status).toBe(200);
    if (audit.status === 200) {
      expect(audit.body.entries.map((e) => e.action)).toEqual([
        'provision',
        'stop',
        'wake',
        'rotate_key',
        'key_overlap_ended',
        'destroy',
      ]);
      expect(JSON.stringify(audit.body)).not.toContain('sk-');
    }
  });
});
