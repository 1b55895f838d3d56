import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEngineBundle } from './drivers/driver-test-support.js';
import { isRecordAlive, readRecord } from './drivers/process-record.js';
import {
  cleanupAfterAll,
  postgresAndDir,
  registerProduct,
  startTestOrchestrator,
  type TestOrchestrator,
} from './test-orchestrator.js';

// Two replicas of one fleet (one Postgres, one host) get a start and a destroy of the same engine
// at the same moment: the per-engine lock makes them run one after the other, so the engine ends
// either running with its row or gone with its row — never a process without a row.

const cleanup = cleanupAfterAll();

/** The driver's own liveness check on the engine's process record (none: nothing runs). */
async function engineAlive(dataDir: string, engineId: string): Promise<boolean> {
  const record = await readRecord(join(dataDir, 'engines', engineId));
  return record !== undefined && (await isRecordAlive(record));
}

describe('per-engine locks across replicas', () => {
  it('a start on one replica and a destroy on another never leave an engine without a row', async (ctx) => {
    const { db, dir: tmp } = await postgresAndDir(ctx, cleanup, 'orch-locks-');
    const env = {
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
      ORCH_FLEET_ID: `locks-${randomBytes(4).toString('hex')}`,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_DATA_DIR: tmp.path,
      // No reconcile during the races: it would tidy up what this test looks for.
      ORCH_RECONCILE_INTERVAL_S: '3600',
      ORCH_PORT_MIN: '24300',
      ORCH_PORT_MAX: '24349',
    };
    const replicas: TestOrchestrator[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await startTestOrchestrator({ db: db.db, dbKind: 'postgres', env });
      replicas.push(r);
      cleanup(() => r.close());
    }
    const [a, b] = replicas as [TestOrchestrator, TestOrchestrator];
    const { platformKey } = await registerProduct(a, 'locks', { max_engines: 20 });
    const apiA = a.platform(platformKey);
    const apiB = b.platform(platformKey);

    for (let i = 0; i < 4; i++) {
      const user = `user-${i}`;
      const provisioned = await apiA.provisionEngine({ body: { user_id: user } });
      expect(provisioned.status).toBe(201);
      if (provisioned.status !== 201) {
        return;
      }
      const engineId = provisioned.body.engine_id;
      expect((await apiA.stopEngine({ params: { user_id: user } })).status).toBe(200);

      const [started, destroyed] = await Promise.all([
        apiA.startEngine({ params: { user_id: user } }),
        apiB.destroyEngine({ params: { user_id: user } }),
      ]);
      const row = await a.orchestrator.repo.byId(engineId);
      const alive = await engineAlive(tmp.path, engineId);
      const outcome = { start: started.status, destroy: destroyed.status, row: row?.status, alive };
      // Destroy ran last (the usual order: it found the engine running and removed it), or
      // first (then the start found no engine): either way nothing is left, no process either.
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ destroy: 200, alive: false });
      expect(row).toBeUndefined();
      expect([200, 404]).toContain(started.status);
    }
  }, 120_000);
});
