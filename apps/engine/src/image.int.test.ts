import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, engineRoutes } from '@agentplane/contracts';
import { buildAppImage, test, waitHealthy } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { expect } from 'vitest';

// The engine image, run the way orchestratord runs it: through the Docker API (Podman here), with
// the contract's env and mounts — a named volume at /data, the catalog read-only at /catalog.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function hostPort(container: Docker.Container): Promise<number> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports['8000/tcp']?.[0];
  return Number(binding?.HostPort);
}

test('engine image: healthy under the contract env and mounts; stop/start keeps the brain', {
  timeout: 240_000,
}, async ({ docker }) => {
  const image = await buildAppImage('engine');
  // The image runs node with the `start` script's heap flags (idle RSS: ARCHITECTURE.md "Footprint").
  expect((await docker.getImage(image).inspect()).Config.Env).toContain(
    'NODE_OPTIONS=--max-semi-space-size=1',
  );
  const suffix = randomBytes(4).toString('hex');
  const volume = `engine-data-it-${suffix}`;
  const oldKey = `sk-${randomBytes(16).toString('hex')}`;
  const newKey = `sk-${randomBytes(16).toString('hex')}`;
  await docker.createVolume({ Name: volume });
  const container = await docker.createContainer({
    name: `engine-it-${suffix}`,
    Image: image,
    Env: [
      `ENGINE_KEY_HASH=${sha256(oldKey)}`,
      'SQLITE_DB_PATH=/data/brain.sqlite',
      'CATALOG_DIR=/catalog',
    ],
    ExposedPorts: { '8000/tcp': {} },
    Labels: { 'agentplane.test': 'engine-image' },
    StopTimeout: 10,
    HostConfig: {
      PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] },
      Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }],
      Binds: [`${repo}catalog:/catalog:ro`],
      RestartPolicy: { Name: 'unless-stopped' },
    },
  });
  try {
    await container.start();
    let baseUrl = `http://127.0.0.1:${await hostPort(container)}`;
    await waitHealthy(baseUrl);
    const withKey = (key: string) =>
      createClient(engineRoutes, {
        baseUrl: () => baseUrl,
        headers: () => ({ 'x-engine-key': key }),
      });

    // The mock model streams a turn (no LLM key is passed to the container).
    const run = await withKey(oldKey).execute({
      body: { task_id: 'image-it', message: 'hello from a container' },
    });
    expect(run.status).toBe(200);
    if (run.status === 200) {
      const names: string[] = [];
      for await (const event of run.events) {
        names.push(event.event);
      }
      expect(names[0]).toBe('thread.started');
      expect(names).toContain('text_delta');
      expect(names.at(-1)).toBe('thread.completed');
    }

    // Rotate to the new key: the accepted set lives in the brain on the volume.
    const rotated = await withKey(oldKey).rpc({
      body: { subsystem: 'control', op: 'set_key_hashes', hashes: [sha256(newKey)] },
    });
    expect(rotated.status).toBe(200);

    await container.stop({ t: 10 });
    expect((await container.inspect()).State.ExitCode).toBe(0); // SIGTERM → clean exit
    await container.start();
    baseUrl = `http://127.0.0.1:${await hostPort(container)}`;
    await waitHealthy(baseUrl);

    const getConfig = { body: { subsystem: 'control', op: 'get_config' } } as const;
    expect((await withKey(newKey).rpc(getConfig)).status).toBe(200);
    expect((await withKey(oldKey).rpc(getConfig)).status).toBe(401);
  } finally {
    await container.remove({ force: true });
    await docker.getVolume(volume).remove();
  }
});
