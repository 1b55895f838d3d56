import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { connectDocker, describeWithService } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { containerName, createDockerDriver, LABELS, volumeName } from './docker-driver.js';
import { isMissingImage } from './docker-errors.js';
import { DriverError } from './driver.js';
import { type ContractState, describeDriverContract } from './driver-contract.js';
import {
  buildEngineImage,
  catalogDir,
  ephemeralPort,
  newEngineKey,
  testLogger,
  waitHealthy,
} from './driver-test-support.js';

// The docker driver against the real engine image on Podman's Docker API: the shared driver
// contract, plus what only a container has (labels, limits, mounts, network, fleets).

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;
/** Pinned, well-formed, and on no host. */
const MISSING_IMAGE = `localhost/agentplane-missing@sha256:${'0'.repeat(64)}`;

describeWithService('docker', 'docker driver', () => {
  const suffix = randomBytes(4).toString('hex');
  const network = `engine_net_it_${suffix}`;
  const fleet = `it-${suffix}`;
  let docker: Docker;
  let image: string;

  const quiet = (p: Promise<unknown>) =>
    p.catch((err: unknown) => {
      if (statusOf(err) !== 404) {
        throw err;
      }
    });

  beforeAll(async () => {
    docker = await connectDocker(process.env.DOCKER_HOST as string);
    image = await buildEngineImage();
  }, 300_000); // the first build of the engine image takes minutes

  afterAll(async () => {
    await quiet(docker?.getNetwork(network).remove() ?? Promise.resolve());
  }, 60_000);

  const driverFor = (fleetId: string) =>
    createDockerDriver({
      docker,
      network,
      catalogDir,
      cpus: 0.5,
      memoryMb: 384,
      logger: testLogger,
      stopGraceS: 10,
      fleet: fleetId,
    });

  async function afterCreate({ spec, url }: ContractState): Promise<void> {
    const d = docker;
    const { engineId } = spec;
    const info = await d.getContainer(containerName(engineId)).inspect();
    expect(info.Config.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.fleet]: fleet,
      [LABELS.engineId]: engineId,
      [LABELS.productId]: 'prod-it',
      [LABELS.userId]: 'user-it',
      [LABELS.hostPort]: String(spec.hostPort),
    });
    expect(info.Config.Env).toEqual(
      expect.arrayContaining([
        `ENGINE_KEY_HASH=${spec.keyHash}`,
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
    expect(url).toBe(`http://127.0.0.1:${spec.hostPort}`);
    expect(Object.keys(info.NetworkSettings.Networks)).toContain(network);
    const data = info.Mounts.find((m) => m.Destination === '/data');
    expect(data).toMatchObject({ Type: 'volume', Name: volumeName(engineId), RW: true });
    const catalog = info.Mounts.find((m) => m.Destination === '/catalog');
    expect(catalog).toMatchObject({ Type: 'bind', RW: false });
    const volume = await d.getVolume(volumeName(engineId)).inspect();
    expect(volume.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.fleet]: fleet,
      [LABELS.engineId]: engineId,
    });

    // Another fleet on the same host does not see it.
    const other = createDockerDriver({
      docker: d,
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
  }

  describeDriverContract('contract', async () => {
    const d = docker;
    const driver = driverFor(fleet);
    return {
      driver,
      image,
      digest: image.slice(image.indexOf('@') + 1),
      missing: { driver, image: MISSING_IMAGE, named: MISSING_IMAGE },
      kill: async (engineId) => {
        await d.getContainer(containerName(engineId)).kill();
      },
      instanceOf: async (engineId) => (await d.getContainer(containerName(engineId)).inspect()).Id,
      checks: {
        afterCreate,
        async afterStart({ spec }) {
          const info = await d.getContainer(containerName(spec.engineId)).inspect();
          const data = info.Mounts.find((m) => m.Destination === '/data');
          expect(data?.Name).toBe(volumeName(spec.engineId));
        },
        async afterRemoveKeepData({ spec }) {
          await d.getVolume(volumeName(spec.engineId)).inspect();
          // The network goes away meanwhile (an operator, a host reset): the contract's start
          // that follows must make it again.
          await d.getNetwork(network).remove();
        },
        async afterRemove({ spec }) {
          await expect(d.getVolume(volumeName(spec.engineId)).inspect()).rejects.toMatchObject({
            statusCode: 404,
          });
        },
      },
      async cleanup(engineIds) {
        for (const engineId of engineIds) {
          await quiet(d.getContainer(containerName(engineId)).remove({ force: true }));
          await quiet(d.getVolume(volumeName(engineId)).remove());
        }
      },
    };
  });

  // The contract never reaches the container create's own missing-image answer (the image is
  // inspected first); it still comes when the image goes between the two calls.
  test("the API's missing-image answers, to an image inspect and to a container create", async () => {
    const inspect = await docker
      .getImage(MISSING_IMAGE)
      .inspect()
      .catch((err: unknown) => err);
    const create = await docker
      .createContainer({ name: `engine-missing-${suffix}`, Image: MISSING_IMAGE })
      .catch((err: unknown) => err);
    for (const err of [inspect, create]) {
      expect(err).toMatchObject({ statusCode: 404 });
      expect(isMissingImage(err)).toBe(true);
    }
  });

  test('a refused start is a driver error in the API words, with its status', async () => {
    const driver = driverFor(`${fleet}-taken`);
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    const engineId = `taken-${suffix}`;
    try {
      const spec = {
        engineId,
        productId: 'prod-it',
        userId: 'user-it',
        image,
        hostPort: port,
        keyHash: newEngineKey().hash,
        env: {},
      };
      const err = await driver.create(spec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect(err).toMatchObject({ kind: 'driver', cause: { statusCode: expect.any(Number) } });
      // Podman 4: "docker create taken-…: HTTP 500 cannot listen on the TCP port: … in use".
      expect((err as Error).message).toMatch(
        new RegExp(`^docker create ${engineId}: HTTP \\d{3} \\S`),
      );
    } finally {
      await driver.remove(engineId, { keepData: false });
      expect(await driver.list()).toEqual([]);
      expect(await driver.listData()).toEqual([]);
      await driver.close();
      taken.close();
    }
  });

  // A wake starts the container it knows by id, without inspecting it first: one removed behind
  // the driver's back since must still come back, on its volume.
  test('start after the container was removed from outside: made again on the same volume', async () => {
    const driver = driverFor(`${fleet}-gone`);
    const engineId = `gone-${suffix}`;
    const spec = {
      engineId,
      productId: 'prod-it',
      userId: 'user-it',
      image,
      hostPort: await ephemeralPort(),
      keyHash: newEngineKey().hash,
      env: {},
    };
    try {
      await driver.create(spec);
      await driver.stop(engineId, 5);
      const first = (await docker.getContainer(containerName(engineId)).inspect()).Id;
      await docker.getContainer(containerName(engineId)).remove({ force: true });
      await driver.start(spec);
      await waitHealthy(driver.urlFor(spec.hostPort), { timeoutMs: 60_000 });
      const info = await docker.getContainer(containerName(engineId)).inspect();
      expect(info.Id).not.toBe(first);
      expect(info.Mounts.find((m) => m.Destination === '/data')?.Name).toBe(volumeName(engineId));
    } finally {
      await driver.remove(engineId, { keepData: false });
      await driver.close();
    }
  });
});
