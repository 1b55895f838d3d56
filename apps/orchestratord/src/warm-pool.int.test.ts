import { createClient, engineRoutes } from '@agentplane/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { WARM_PRODUCT_ID } from './db/schema.js';
import type { EngineRow } from './fleet/engine-repo.js';
import { driverVariants, registerProduct, type TestOrchestrator } from './test-orchestrator.js';

// ORCH_WARM_POOL_SIZE: provisions hand over engines booted ahead of time. Once per driver.

const variants = driverVariants([24000, 24049], [24050, 24099]);

const getConfig = { body: { subsystem: 'control', op: 'get_config' } } as const;
const rpcStatus = async (url: string, key: string) =>
  (
    await createClient(engineRoutes, {
      baseUrl: url,
      headers: () => ({ 'x-engine-key': key }),
    }).rpc(getConfig)
  ).status;

async function warmRows(o: TestOrchestrator): Promise<EngineRow[]> {
  return (await o.orchestrator.repo.all()).filter((r) => r.product_id === WARM_PRODUCT_ID);
}

/** Waits until the pool holds `n` healthy warm engines. */
async function untilWarm(o: TestOrchestrator, n: number): Promise<EngineRow[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = (await warmRows(o)).filter((r) => r.status === 'running');
    if (ready.length >= n) {
      return ready;
    }
    expect(Date.now(), `${n} warm engines within 60 s`).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(variants)('warm pool with the $name', (variant) => {
  let orch: TestOrchestrator | undefined;
  afterAll(async () => {
    await orch?.close();
  });

  it('a provision claims a warm engine, which takes only the new key; the pool refills', async (ctx) => {
    orch = await variant.start(ctx, {
      ports: variant.ports,
      env: { ORCH_WARM_POOL_SIZE: '2', ORCH_HEALTH_INTERVAL_MS: '500', ORCH_BOOT_TIMEOUT_S: '30' },
    });
    const o = orch;
    const warm = await untilWarm(o, 2);
    const warmKeys = new Map(warm.map((r) => [r.id, o.orchestrator.view.keyOf(r)]));
    const { api, productId } = await registerProduct(o, 'warm-acme', { max_engines: 1 });

    const provisioned = await api.provisionEngine({ body: { user_id: 'alice' } });
    expect(provisioned.status).toBe(201);
    if (provisioned.status !== 201) {
      return;
    }
    const engine = provisioned.body;
    expect(engine).toMatchObject({ user_id: 'alice', status: 'running' });
    expect(warmKeys.has(engine.engine_id)).toBe(true);
    const audit = await api.listAudit({ query: { user_id: 'alice' } });
    expect(audit.status === 200 && audit.body.entries.map((e) => [e.action, e.metadata])).toEqual([
      ['provision', expect.objectContaining({ warm: true })],
    ]);

    // The user's key works; the warm key the engine booted with does not any more.
    expect(await rpcStatus(engine.url, engine.engine_key)).toBe(200);
    expect(await rpcStatus(engine.url, warmKeys.get(engine.engine_id) as string)).toBe(401);
    const row = await o.orchestrator.repo.byId(engine.engine_id);
    expect(row).toMatchObject({ product_id: productId, prev_key_hash: null });

    // Refused provisions take nothing from the pool: a duplicate user, then the quota.
    expect((await api.provisionEngine({ body: { user_id: 'alice' } })).status).toBe(409);
    expect((await api.provisionEngine({ body: { user_id: 'bob' } })).status).toBe(429);
    const refilled = await untilWarm(o, 2);
    expect(refilled.map((r) => r.id)).not.toContain(engine.engine_id);

    // The claimed engine is the user's own from now on: it keeps its key across a stop and a
    // wake (the docker driver re-creates its container with the user's key hash).
    expect((await api.stopEngine({ params: { user_id: 'alice' } })).status).toBe(200);
    const woken = await api.admitEngine({ params: { user_id: 'alice' }, body: {} });
    expect(woken.body).toMatchObject({ admitted: true, woke: true, engine_key: engine.engine_key });
    expect(await rpcStatus(engine.url, engine.engine_key)).toBe(200);
    expect(await rpcStatus(engine.url, warmKeys.get(engine.engine_id) as string)).toBe(401);

    // A destroyed user engine is gone for good; the pool is untouched by it.
    expect((await api.destroyEngine({ params: { user_id: 'alice' } })).status).toBe(200);
    expect((await warmRows(o)).filter((r) => r.status === 'running')).toHaveLength(2);
  });
});
