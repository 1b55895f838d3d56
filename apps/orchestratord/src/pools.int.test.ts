import { probeDocker, requireService } from '@agentplane/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { containerName, volumeName } from './drivers/docker-driver.js';
import { registerProduct, startDockerFleet, type TestOrchestrator } from './test-orchestrator.js';

// Two container hosts as two pools (here both are this machine's Podman), placement on the
// least-loaded one, and a wake whose container is gone falling back to a fresh container on the
// same volume.

let orch: TestOrchestrator | undefined;
afterAll(async () => {
  await orch?.close();
});

describe('pools and the wake fallback', () => {
  it('spreads engines over pools and re-creates a vanished container on its volume', async (ctx) => {
    const dockerHost = process.env.DOCKER_HOST ?? '';
    const docker = requireService(await probeDocker(dockerHost), ctx);
    orch = await startDockerFleet(ctx, {
      ports: [21900, 21999],
      env: { ORCH_POOLS: `second=${dockerHost}` },
    });
    const { api } = await registerProduct(orch, 'pools');
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
