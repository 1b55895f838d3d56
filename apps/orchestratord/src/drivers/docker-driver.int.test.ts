import { randomBytes } from 'node:crypto';
import { connectDocker, describeWithService } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { containerName, createDockerDriver, LABELS, volumeName } from './docker-driver.js';
import type { EngineDriver, EngineSpec } from './driver.js';
import {
  buildEngineImage,
  catalogDir,
  ephemeralPort,
  newEngineKey,
  recordEvents,
  rpc,
  testLogger,
  waitHealthy,
} from './driver-test-support.js';

// The docker driver against the real engine image on Podman's Docker API: one engine taken
// through create → stop → start → kill → remove (keepData) → start again → remove.

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

describeWithService('docker', 'docker driver', () => {
  const suffix = randomBytes(4).toString('hex');
  const network = `engine_net_it_${suffix}`;
  const engineId = `it-${suffix}`;
  const first = newEngineKey();
  const second = newEngineKey();
  let docker: Docker;
  let driver: EngineDriver;
  let recorder: ReturnType<typeof recordEvents>;
  let spec: EngineSpec;
  let url: string;

  beforeAll(async () => {
    docker = await connectDocker(process.env.DOCKER_HOST as string);
    const image = await buildEngineImage();
    driver = createDockerDriver({
      docker,
      network,
      catalogDir,
      cpus: 0.5,
      memoryMb: 384,
      logger: testLogger,
      stopGraceS: 10,
      fleet: `it-${suffix}`,
    });
    recorder = recordEvents(driver);
    spec = {
      engineId,
      productId: 'prod-it',
      userId: 'user-it',
      image,
      hostPort: await ephemeralPort(),
      keyHash: first.hash,
      env: { ENGINE_REPLAY_TTL_S: '60' },
    };
    url = driver.urlFor(spec.hostPort);
  }, 300_000);

  afterAll(async () => {
    recorder?.unsubscribe();
    await driver?.close();
    if (docker === undefined) {
      return;
    }
    const quiet = (p: Promise<unknown>) =>
      p.catch((err: unknown) => {
        if (statusOf(err) !== 404) {
          throw err;
        }
      });
    await quiet(docker.getContainer(containerName(engineId)).remove({ force: true }));
    await quiet(docker.getVolume(volumeName(engineId)).remove());
    await quiet(docker.getNetwork(network).remove());
  }, 60_000);

  test('create: a healthy engine with the contract env, labels, volume, limits and network', async () => {
    const since = Date.now();
    await driver.create(spec);
    await waitHealthy(url);
    expect(url).toBe(`http://127.0.0.1:${spec.hostPort}`);

    const info = await docker.getContainer(containerName(engineId)).inspect();
    expect(info.Config.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.fleet]: `it-${suffix}`,
      [LABELS.engineId]: engineId,
      [LABELS.productId]: 'prod-it',
      [LABELS.userId]: 'user-it',
      [LABELS.hostPort]: String(spec.hostPort),
    });
    expect(info.Config.Env).toEqual(
      expect.arrayContaining([
        `ENGINE_KEY_HASH=${first.hash}`,
        'SQLITE_DB_PATH=/data/brain.sqlite',
        'CATALOG_DIR=/catalog',
        'PORT=8000',
        'ENGINE_REPLAY_TTL_S=60',
      ]),
    );
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.Memory).toBe(384 * 1024 * 1024);
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(10);
    // The image's own HEALTHCHECK (a node process every 5 s) is off: the health loop probes.
    expect(info.Config.Healthcheck?.Test).toEqual(['NONE']);
    expect(info.HostConfig.PortBindings?.['8000/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(spec.hostPort) },
    ]);
    expect(Object.keys(info.NetworkSettings.Networks)).toContain(network);
    const data = info.Mounts.find((m) => m.Destination === '/data');
    expect(data).toMatchObject({ Type: 'volume', Name: volumeName(engineId), RW: true });
    const catalog = info.Mounts.find((m) => m.Destination === '/catalog');
    expect(catalog).toMatchObject({ Type: 'bind', RW: false });
    const volume = await docker.getVolume(volumeName(engineId)).inspect();
    expect(volume.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.fleet]: `it-${suffix}`,
      [LABELS.engineId]: engineId,
    });

    // The key: /rpc refuses a missing or wrong key, accepts the real one.
    expect(await rpc(url, undefined)).toBe(401);
    expect(await rpc(url, second.key)).toBe(401);
    expect(await rpc(url, first.key)).toBe(200);

    expect(await driver.list()).toEqual([
      {
        engineId,
        productId: 'prod-it',
        userId: 'user-it',
        running: true,
        hostPort: spec.hostPort,
      },
    ]);
    expect(await driver.listData()).toEqual([engineId]);
    // Another fleet on the same host does not see it.
    const other = createDockerDriver({
      docker,
      network,
      catalogDir,
      cpus: 1,
      memoryMb: 512,
      logger: testLogger,
      fleet: `other-${suffix}`,
    });
    expect(await other.list()).toEqual([]);
    expect(await other.listData()).toEqual([]);
    await other.close();
    await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'started', since);
  });

  test('stop: not running afterwards, and a died event arrives', async () => {
    // Something to find after the restart: the accepted key set lives in the brain on /data.
    const rotate = {
      subsystem: 'control',
      op: 'set_key_hashes',
      hashes: [first.hash, second.hash],
    };
    expect(await rpc(url, first.key, rotate)).toBe(200);

    const since = Date.now();
    await driver.stop(engineId, 10);
    const died = await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'died', since);
    expect(died.exitCode).toBe(0); // the engine exits cleanly on SIGTERM
    const observed = (await driver.list()).find((e) => e.engineId === engineId);
    expect(observed?.running).toBe(false);
    await driver.stop(engineId, 10); // already stopped: no error
  });

  test('start: healthy again on the same volume, with the brain kept', async () => {
    await driver.start(spec);
    await waitHealthy(url);
    await driver.start(spec); // already running: no error
    expect(await rpc(url, second.key)).toBe(200);
    const info = await docker.getContainer(containerName(engineId)).inspect();
    expect(info.Mounts.find((m) => m.Destination === '/data')?.Name).toBe(volumeName(engineId));
  });

  test('kill: a died event follows', async () => {
    const since = Date.now();
    await docker.getContainer(containerName(engineId)).kill();
    const died = await recorder.waitFor((e) => e.engineId === engineId && e.kind === 'died', since);
    process.stderr.write(
      `[docker-driver] kill → died event in ${died.at - since} ms (exitCode ${died.exitCode})\n`,
    );
    expect(died.exitCode).toBe(137);
  });

  test('remove keepData keeps the volume; start re-creates the container (and network) on it', async () => {
    await driver.remove(engineId, { keepData: true });
    expect((await driver.list()).map((e) => e.engineId)).not.toContain(engineId);
    expect(await driver.listData()).toContain(engineId);
    await docker.getVolume(volumeName(engineId)).inspect();

    // The network went away meanwhile (an operator, a host reset): it is made again.
    await docker.getNetwork(network).remove();
    await driver.start(spec);
    await waitHealthy(url);
    expect(await rpc(url, second.key)).toBe(200);
  });

  test('create over a leftover container replaces it; start with a new key re-creates it', async () => {
    const before = (await docker.getContainer(containerName(engineId)).inspect()).Id;
    await driver.create(spec);
    await waitHealthy(url);
    const replaced = (await docker.getContainer(containerName(engineId)).inspect()).Id;
    expect(replaced).not.toBe(before);

    const third = newEngineKey();
    spec = { ...spec, keyHash: third.hash };
    await driver.start(spec);
    await waitHealthy(url);
    expect((await docker.getContainer(containerName(engineId)).inspect()).Id).not.toBe(replaced);
    // A changed ENGINE_KEY_HASH is newer than the set stored in the brain: only it is accepted.
    expect(await rpc(url, third.key)).toBe(200);
    expect(await rpc(url, second.key)).toBe(401);
  });

  test('remove drops the container and the volume; repeating it is harmless', async () => {
    await driver.remove(engineId, { keepData: false });
    expect((await driver.list()).map((e) => e.engineId)).not.toContain(engineId);
    expect(await driver.listData()).not.toContain(engineId);
    await expect(docker.getVolume(volumeName(engineId)).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await driver.remove(engineId, { keepData: false });
    await driver.stop(engineId, 1);
  });
});
