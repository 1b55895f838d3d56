import { randomBytes } from 'node:crypto';
import {
  probeDocker,
  requireService,
  type SpawnedService,
  spawnService,
} from '@agentplane/testkit';
import type Docker from 'dockerode';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LABELS } from './drivers/docker-driver.js';
import { buildEngineImage } from './drivers/driver-test-support.js';
import {
  cleanupAfterAll,
  orchestratorClient,
  postgresAndDir,
  TEST_ADMIN_KEY,
} from './test-orchestrator.js';

// orchestratord SIGKILLed at different moments of a provision, then started again: the fleet
// ends consistent — every row a healthy running engine, no container, volume or port without
// a row. The real main.ts, Postgres and Podman.

const entry = new URL('./main.ts', import.meta.url).pathname;
const cleanup = cleanupAfterAll();

async function fleetState(docker: Docker, fleet: string) {
  const filters = { label: [`${LABELS.fleet}=${fleet}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return {
    containers: containers.map((c) => c.Labels[LABELS.engineId] ?? '').sort(),
    volumes: (Volumes ?? []).map((v) => v.Labels?.[LABELS.engineId] ?? '').sort(),
  };
}

describe('orchestratord killed mid-provision', () => {
  it('restarts into a consistent fleet: no engine lost, nothing orphaned', async (ctx) => {
    const dockerHost = process.env.DOCKER_HOST;
    const docker = requireService(await probeDocker(dockerHost), ctx);
    const { db, dir: tmp } = await postgresAndDir(ctx, cleanup, 'orch-crash-');
    const fleet = `crash-${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      NODE_ENV: 'test',
      ORCH_DRIVER: 'docker',
      DOCKER_HOST: dockerHost,
      ORCH_ENGINE_IMAGE: await buildEngineImage(),
      ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_FLEET_ID: fleet,
      ORCH_DATA_DIR: tmp.path,
      ORCH_BOOT_TIMEOUT_S: '5',
      ORCH_RECONCILE_INTERVAL_S: '1',
      ORCH_PORT_MIN: '21800',
      ORCH_PORT_MAX: '21899',
    };
    let svc: SpawnedService = await spawnService({ entry, env, timeoutMs: 60_000 });
    cleanup(async () => {
      await svc.stop('SIGTERM');
    });
    const registered = await orchestratorClient(svc.baseUrl, {
      'x-admin-key': TEST_ADMIN_KEY,
    }).registerProduct({
      body: { slug: 'crash', display_name: 'Crash' },
    });
    if (registered.status !== 201) {
      throw new Error(`register: ${registered.status}`);
    }
    const platformKey = registered.body.platform_key;
    const rows = () =>
      sql<{ id: string; user_id: string; status: string; host_port: number }>`
        select id, user_id, status, host_port from orchestratord.engines`
        .execute(db.db)
        .then((r) => r.rows);

    // Killed right after the row is written, while the container is being created, and while
    // the engine boots.
    for (const [i, delayMs] of [0, 120, 400].entries()) {
      const user = `user-${i}`;
      const api = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
      void api.provisionEngine({ body: { user_id: user } }).catch(() => {});
      const deadline = Date.now() + 10_000;
      while (!(await rows()).some((r) => r.user_id === user)) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, delayMs));
      await svc.stop('SIGKILL');
      svc = await spawnService({ entry, env, timeoutMs: 60_000 });

      // Consistent within the boot window plus a reconcile period or two.
      const settleBy = Date.now() + 20_000;
      for (;;) {
        const now = await rows();
        const state = await fleetState(docker, fleet);
        const settled =
          now.every((r) => r.status === 'running') &&
          JSON.stringify(state.containers) === JSON.stringify(now.map((r) => r.id).sort()) &&
          JSON.stringify(state.volumes) === JSON.stringify(now.map((r) => r.id).sort());
        if (settled) {
          break;
        }
        if (Date.now() > settleBy) {
          throw new Error(
            `not consistent after kill at +${delayMs} ms: ${JSON.stringify({ now, state })}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const api2 = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
      for (const row of await rows()) {
        const admitted = await api2.admitEngine({ params: { user_id: row.user_id }, body: {} });
        expect(admitted.body).toMatchObject({ admitted: true });
        const url = (admitted.body as { url: string }).url;
        expect((await fetch(`${url}/health`)).status).toBe(200);
      }
    }

    // Destroying what survived leaves nothing behind.
    const api = orchestratorClient(svc.baseUrl, { 'x-platform-key': platformKey });
    for (const row of await rows()) {
      expect((await api.destroyEngine({ params: { user_id: row.user_id } })).status).toBe(200);
    }
    expect(await rows()).toEqual([]);
    expect(await fleetState(docker, fleet)).toEqual({ containers: [], volumes: [] });
  }, 240_000);
});
