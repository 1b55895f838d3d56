import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, engineRoutes } from '@agentplane/contracts';
import { type SpawnedService, spawnService } from '@agentplane/testkit';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { WARM_PRODUCT_ID } from './db/schema.js';
import { buildEngineBundle } from './drivers/driver-test-support.js';
import {
  cleanupAfterAll,
  orchestratorClient,
  postgresAndDir,
  TEST_ADMIN_KEY,
} from './test-orchestrator.js';

// orchestratord SIGKILLed while provisions claim warm engines (the real main.ts, Postgres, the
// process driver), then started again: every user engine ends running and answers its user's
// key, the warm key is dropped, the pool is back to its size, and no engine runs without a row.

const entry = new URL('./main.ts', import.meta.url).pathname;
const cleanup = cleanupAfterAll();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Engine processes the process driver left running (pid files under ORCH_DATA_DIR/engines). */
function killEngines(dataDir: string): void {
  const dir = join(dataDir, 'engines');
  for (const id of safeList(dir)) {
    try {
      const { pid } = JSON.parse(readFileSync(join(dir, id, 'process.json'), 'utf8')) as {
        pid: number;
      };
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, or no pid file.
    }
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe('orchestratord killed while claiming warm engines', () => {
  it('restarts into a consistent fleet: keys right, pool refilled, nothing orphaned', async (ctx) => {
    const { db, dir: tmp } = await postgresAndDir(ctx, cleanup, 'orch-warm-crash-');
    cleanup(async () => killEngines(tmp.path));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      NODE_ENV: 'test',
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
      ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_DATA_DIR: tmp.path,
      ORCH_WARM_POOL_SIZE: '2',
      ORCH_HEALTH_INTERVAL_MS: '300',
      ORCH_BOOT_TIMEOUT_S: '10',
      ORCH_RECONCILE_INTERVAL_S: '1',
      ORCH_PORT_MIN: '24100',
      ORCH_PORT_MAX: '24149',
    };
    let svc: SpawnedService = await spawnService({ entry, env, timeoutMs: 60_000 });
    cleanup(async () => {
      await svc.stop('SIGTERM');
    });
    const registered = await orchestratorClient(svc.baseUrl, {
      'x-admin-key': TEST_ADMIN_KEY,
    }).registerProduct({ body: { slug: 'warm-crash', display_name: 'Warm crash' } });
    if (registered.status !== 201) {
      throw new Error(`register: ${registered.status}`);
    }
    const platformKey = registered.body.platform_key;
    const rows = () =>
      sql<{ id: string; product_id: string; user_id: string; status: string; prev: string | null }>`
        select id, product_id, user_id, status, prev_key_hash as prev from orchestratord.engines`
        .execute(db.db)
        .then((r) => r.rows);
    const warmRunning = async () =>
      (await rows()).filter((r) => r.product_id === WARM_PRODUCT_ID && r.status === 'running')
        .length;

    /** The fleet as it must be after a crash: checked until it holds (20 s at most). */
    async function settled(label: string): Promise<void> {
      const api = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
      const deadline = Date.now() + 20_000;
      let why = '';
      for (;;) {
        const now = await rows();
        const users = now.filter((r) => r.product_id !== WARM_PRODUCT_ID);
        const warm = now.filter((r) => r.product_id === WARM_PRODUCT_ID);
        why = JSON.stringify(now);
        let ok =
          users.every((r) => r.status === 'running' && r.prev === null) &&
          warm.length === 2 &&
          warm.every((r) => r.status === 'running') &&
          JSON.stringify(safeList(join(tmp.path, 'engines')).sort()) ===
            JSON.stringify(now.map((r) => r.id).sort());
        for (const row of ok ? users : []) {
          const got = await api.getEngine({ params: { user_id: row.user_id } });
          const engine = got.status === 200 ? got.body : undefined;
          const status =
            engine === undefined
              ? 0
              : (
                  await createClient(engineRoutes, {
                    baseUrl: engine.url,
                    headers: () => ({ 'x-engine-key': engine.engine_key }),
                  }).rpc({ body: { subsystem: 'control', op: 'get_config' } })
                ).status;
          ok &&= status === 200;
        }
        if (ok) {
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(`not consistent after ${label}: ${why}`);
        }
        await sleep(250);
      }
    }

    async function untilWarm(): Promise<void> {
      const deadline = Date.now() + 60_000;
      while ((await warmRunning()) < 2) {
        expect(Date.now(), 'warm pool of 2 within 60 s').toBeLessThan(deadline);
        await sleep(50);
      }
    }

    // Each round: one whole claim in the fresh process (its code paths warm, and how long a claim
    // takes), then another killed at a fraction of that: before, inside and after the claim's
    // transaction.
    const claimed: string[] = [];
    for (const [i, fraction] of [0, 0.25, 0.5, 0.75, 1].entries()) {
      await untilWarm();
      const api = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
      const started = performance.now();
      const warmUp = await api.provisionEngine({ body: { user_id: `warm-up-${i}` } });
      expect(warmUp.status).toBe(201);
      const claimMs = performance.now() - started;
      await untilWarm();
      void api.provisionEngine({ body: { user_id: `user-${i}` } }).catch(() => {});
      await sleep(fraction * claimMs);
      await svc.stop('SIGKILL');
      svc = await spawnService({ entry, env, timeoutMs: 60_000 });
      await settled(`a kill at ${fraction} of a ${claimMs.toFixed(1)} ms claim`);
      claimed.push(
        ...(await rows()).filter((r) => r.user_id === `user-${i}`).map((r) => r.user_id),
      );
    }
    // Some kills landed before the claim committed, some after (else the test proves little).
    process.stderr.write(`claims that survived their kill: ${claimed.length} of 5\n`);

    // A provision the kill cut short can simply be made again.
    const api = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
    for (let i = 0; i < 5; i++) {
      const again = await api.provisionEngine({ body: { user_id: `user-${i}` } });
      expect([201, 409]).toContain(again.status);
    }
    await settled('the provisions made again');
    expect((await rows()).filter((r) => r.product_id !== WARM_PRODUCT_ID)).toHaveLength(10);
  }, 240_000);
});
