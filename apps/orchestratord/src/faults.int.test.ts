import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '@agentplane/contracts';
import { createTmpDir, probeDocker, requireService } from '@agentplane/testkit';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { containerName } from './drivers/docker-driver.js';
import { catalogDir } from './drivers/driver-test-support.js';
import {
  registerProduct,
  startDockerFleet,
  startProcessFleet,
  type TestOrchestrator,
} from './test-orchestrator.js';

// Faults: a killed container, an engine that stays unhealthy, racing provisions.

const fleets: TestOrchestrator[] = [];
afterEach(async () => {
  for (const fleet of fleets.splice(0)) {
    await fleet.close();
  }
});

async function track(fleet: Promise<TestOrchestrator>): Promise<TestOrchestrator> {
  const started = await fleet;
  fleets.push(started);
  return started;
}

async function auditUntil(
  api: ReturnType<TestOrchestrator['platform']>,
  userId: string,
  done: (actions: string[]) => boolean,
  timeoutMs: number,
): Promise<AuditEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.listAudit({ query: { user_id: userId, limit: 1000 } });
    const entries = res.status === 200 ? res.body.entries : [];
    if (done(entries.map((e) => e.action)) || Date.now() > deadline) {
      return entries;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('faults', () => {
  it('restarts a killed container at once (the event stream, not the next probe)', async (ctx) => {
    const docker = requireService(await probeDocker(process.env.DOCKER_HOST), ctx);
    // Probes far apart: only the event stream can explain a fast restart.
    const orch = await track(
      startDockerFleet(ctx, { ports: [21300, 21399], env: { ORCH_HEALTH_INTERVAL_MS: '60000' } }),
    );
    const { api } = await registerProduct(orch, 'faults');
    const provisioned = await api.provisionEngine({ body: { user_id: 'victim' } });
    if (provisioned.status !== 201) {
      throw new Error(`provision: ${provisioned.status}`);
    }

    const killedAt = Date.now();
    // Podman's kill call returns late (it waits on the restart policy); the crash is what counts.
    const killed = docker.getContainer(containerName(provisioned.body.engine_id)).kill();
    const entries = await auditUntil(api, 'victim', (a) => a.includes('auto_restart'), 60_000);
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(['provision', 'crash', 'auto_restart_start', 'auto_restart']);
    const at = (action: string) => Date.parse(entries.find((e) => e.action === action)?.at ?? '');
    console.log(
      `kill → crash seen ${at('crash') - killedAt} ms, → healthy ${at('auto_restart') - killedAt} ms`,
    );
    await killed;
    const admitted = await api.admitEngine({ params: { user_id: 'victim' }, body: {} });
    expect(admitted.body).toMatchObject({ admitted: true });
  });

  it('marks an engine that stays unhealthy failed, restarts it with backoff, then gives up', async () => {
    const tmp = await createTmpDir('orch-unhealthy-');
    onTestFinished(() => tmp.remove());
    // A private copy of the catalog: breaking it later makes every new engine unhealthy.
    const catalog = join(tmp.path, 'catalog');
    await cp(catalogDir, catalog, { recursive: true });
    const env = {
      ORCH_CATALOG_DIR: catalog,
      ORCH_HEALTH_INTERVAL_MS: '200',
      ORCH_HEALTH_TIMEOUT_MS: '300',
      ORCH_HEALTH_FAILURES: '2',
      ORCH_BOOT_TIMEOUT_S: '3',
      ORCH_STOP_GRACE_S: '1',
      ORCH_RESTART_BASE_MS: '300',
      ORCH_RESTART_FACTOR: '2',
      ORCH_RESTART_MAX_ATTEMPTS: '3',
    };
    const orch = await track(startProcessFleet({ ports: [21400, 21499], env }));
    const { api } = await registerProduct(orch, 'faults');
    const provisioned = await api.provisionEngine({ body: { user_id: 'flaky' } });
    if (provisioned.status !== 201) {
      throw new Error(`provision: ${provisioned.status}`);
    }
    const engineId = provisioned.body.engine_id;

    await writeFile(join(catalog, 'core_soul.json'), '{ not json');
    const record = JSON.parse(
      await readFile(join(orch.dataDir, 'engines', engineId, 'process.json'), 'utf8'),
    ) as { pid: number };
    // Frozen: the port still accepts connections, but /health never answers.
    process.kill(record.pid, 'SIGSTOP');

    const entries = await auditUntil(
      api,
      'flaky',
      (a) => a.includes('auto_restart_gave_up'),
      120_000,
    );
    const actions = entries.map((e) => e.action).filter((a) => !a.endsWith('_fallback'));
    expect(actions).toEqual([
      'provision',
      'health_failed',
      'auto_restart_start',
      'auto_restart_failed',
      'auto_restart_start',
      'auto_restart_failed',
      'auto_restart_start',
      'auto_restart_failed',
      'auto_restart_gave_up',
    ]);
    // Backoff: each wait is at least base · factor^(attempt-1) after the previous failure.
    const failedAt = entries
      .filter((e) => e.action === 'auto_restart_failed')
      .map((e) => Date.parse(e.at));
    const startedAt = entries
      .filter((e) => e.action === 'auto_restart_start')
      .map((e) => Date.parse(e.at));
    expect((startedAt[1] ?? 0) - (failedAt[0] ?? 0)).toBeGreaterThanOrEqual(300 - 50);
    expect((startedAt[2] ?? 0) - (failedAt[1] ?? 0)).toBeGreaterThanOrEqual(600 - 50);
    expect(await api.admitEngine({ params: { user_id: 'flaky' }, body: {} })).toMatchObject({
      body: { admitted: false, reason: 'engine_unhealthy', status: 'failed' },
    });
    const status = await api.getFleetStatus();
    expect(status.body).toMatchObject({ by_status: { failed: 1 }, health: { unhealthy: 1 } });
  });

  it('ends two concurrent provisions for one user with exactly one engine', async () => {
    const orch = await track(startProcessFleet({ ports: [21500, 21599] }));
    const { api } = await registerProduct(orch, 'faults');
    const results = await Promise.all([
      api.provisionEngine({ body: { user_id: 'twin' } }),
      api.provisionEngine({ body: { user_id: 'twin' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await orch.orchestrator.repo.all()).length).toBe(1);
    expect((await orch.orchestrator.pools[0]?.driver.list())?.length).toBe(1);
  });

  it('gives 20 concurrent provisions for different users 20 distinct ports', async () => {
    const orch = await track(startProcessFleet({ ports: [21600, 21629] }));
    const { api } = await registerProduct(orch, 'faults');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.provisionEngine({ body: { user_id: `user-${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ports = new Set(results.map((r) => (r.status === 201 ? new URL(r.body.url).port : '')));
    expect(ports.size).toBe(20);
  }, 180_000);
});
