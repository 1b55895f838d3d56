import { createTmpDir, postgresVariant, probeDocker, requireService } from '@agentplane/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { containerName, volumeName } from './drivers/docker-driver.js';
import { buildEngineImage } from './drivers/driver-test-support.js';
import {
  destroyAll,
  ORCH_PG_SCHEMA,
  startTestOrchestrator,
  type TestOrchestrator,
} from './test-orchestrator.js';

// Two container hosts as two pools (here both are this machine's Podman), placement on the
// least-loaded one, and a wake whose container is gone falling back to a fresh container on the
// same volume.

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    await cleanup();
  }
});

describe('pools and the wake fallback', () => {
  it('spreads engines over pools and re-creates a vanished container on its volume', async (ctx) => {
    const dockerHost = process.env.DOCKER_HOST;
    const docker = requireService(await probeDocker(dockerHost), ctx);
    const db = requireService(
      await postgresVariant(process.env.DATABASE_URL).open(ORCH_PG_SCHEMA),
      ctx,
    );
    cleanups.push(() => db.close());
    const tmp = await createTmpDir('orch-pools-');
    cleanups.push(() => tmp.remove());
    const orch: TestOrchestrator = await startTestOrchestrator({
      db: db.db,
      env: {
        ORCH_DRIVER: 'docker',
        DOCKER_HOST: dockerHost ?? '',
        ORCH_POOLS: `second=${dockerHost ?? ''}`,
        ORCH_ENGINE_IMAGE: await buildEngineImage(),
        ORCH_DATA_DIR: tmp.path,
        ORCH_PORT_MIN: '21900',
        ORCH_PORT_MAX: '21999',
      },
    });
    cleanups.push(async () => {
      await destroyAll(orch.orchestrator);
      await orch.close();
    });
    const registered = await orch.admin.registerProduct({
      body: { slug: 'pools', display_name: 'Pools' },
    });
    if (registered.status !== 201) {
      throw new Error(`register: ${registered.status}`);
    }
    const api = orch.platform(registered.body.platform_key);
    const first = await api.provisionEngine({ body: { user_id: 'p1' } });
    const second = await api.provisionEngine({ body: { user_id: 'p2' } });
    if (first.status !== 201 || second.status !== 201) {
      throw new Error(`provision: ${first.status} ${second.status}`);
    }
    expect(new Set([first.body.pool, second.body.pool])).toEqual(new Set(['default', 'second']));
    const status = await api.getFleetStatus();
    expect(status.status === 200 && status.body.pools).toEqual([
      { name: 'default', driver: 'docker', engines: 1 },
      { name: 'second', driver: 'docker', engines: 1 },
    ]);

    // Sleep, then lose the container behind the orchestrator's back: the wake must rebuild it
    // on the same volume (the brain) instead of failing.
    expect((await api.sleepEngine({ params: { user_id: 'p1' } })).status).toBe(200);
    await docker.getContainer(containerName(first.body.engine_id)).remove({ force: true });
    const woken = await api.admitEngine({ params: { user_id: 'p1' }, body: {} });
    expect(woken.body).toMatchObject({ admitted: true, woke: true });
    expect((await fetch(`${first.body.url}/health`)).status).toBe(200);
    const mounts = (await docker.getContainer(containerName(first.body.engine_id)).inspect())
      .Mounts;
    expect(mounts.find((m) => m.Destination === '/data')?.Name).toBe(
      volumeName(first.body.engine_id),
    );
  }, 180_000);
});
