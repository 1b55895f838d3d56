import type { Logger } from '@agentplane/http-kit';
import type Docker from 'dockerode';
import {
  type ContainerSettings,
  containerBody,
  containerName,
  LABELS,
  labelsFor,
  specHash,
  volumeName,
} from './docker-container-spec.js';
import {
  alreadyExists,
  driverCall,
  isMissingImage,
  missingImage,
  statusOf,
  tolerate,
} from './docker-errors.js';
import { engineEventOf, followDockerEvents } from './docker-events.js';
import { imageDigestsOn } from './docker-image.js';
import type { EngineDriver, EngineSpec, ObservedEngine } from './driver.js';

// Imported from here by the rest of orchestratord and its tests.
export { containerName, LABELS, volumeName } from './docker-container-spec.js';

export interface DockerDriverOptions {
  docker: Docker;
  /** Network every engine joins (ORCH_ENGINE_NETWORK); created when missing. */
  network: string;
  /** Host path of the catalog, mounted read-only at /catalog. */
  catalogDir: string;
  /** CPU limit per engine, in cores (NanoCpus). */
  cpus: number;
  /** Memory limit per engine, in MiB. */
  memoryMb: number;
  logger: Logger;
  /** Fleet id (ORCH_FLEET_ID) put on and required of every container and volume; default `default`. */
  fleet?: string;
  /** Seconds a container gets between SIGTERM and SIGKILL when stopped without an explicit t; default 10. */
  stopGraceS?: number;
  /**
   * Host name clients reach published ports at; default 127.0.0.1, or the host of a tcp:// Docker
   * API. Ports are published on `publishIp`, so a remote host must publish beyond loopback.
   */
  publicHost?: string;
  /** Host address ports are published on; default 127.0.0.1 (seeds: bound to loopback). */
  publishIp?: string;
}

function hostFromModem(docker: Docker): string | undefined {
  const modem = (docker as unknown as { modem?: { host?: unknown; socketPath?: unknown } }).modem;
  return typeof modem?.host === 'string' && !modem.socketPath ? modem.host : undefined;
}

/**
 * The `docker` driver: one container per engine through the Docker API (Docker, or Podman's
 * compatible API). Everything it needs to find its engines again lives in container and volume
 * labels, so a restarted orchestrator adopts what is running.
 */
export function createDockerDriver(options: DockerDriverOptions): EngineDriver {
  const { docker, logger } = options;
  const log = logger.child({ component: 'docker-driver' });
  const publicHost = options.publicHost ?? hostFromModem(docker) ?? '127.0.0.1';
  const fleet = options.fleet ?? 'default';
  const settings: ContainerSettings = {
    fleet,
    network: options.network,
    catalogDir: options.catalogDir,
    cpus: options.cpus,
    memoryMb: options.memoryMb,
    stopGraceS: options.stopGraceS ?? 10,
    publishIp: options.publishIp ?? '127.0.0.1',
  };
  // One label per query: Docker ANDs several label filters, but not every Podman version does.
  const fleetFilter = { label: [`${LABELS.fleet}=${fleet}`] };
  const ours = (labels: Record<string, string> | undefined): labels is Record<string, string> =>
    labels?.[LABELS.managed] === 'true' && labels[LABELS.fleet] === fleet;
  let networkReady: Promise<void> | undefined;

  async function createNetwork(): Promise<void> {
    const existing = await docker.listNetworks({ filters: { name: [options.network] } });
    // The name filter matches substrings on Docker: compare exactly.
    if (existing.some((n) => n.Name === options.network)) {
      return;
    }
    try {
      await docker.createNetwork({
        Name: options.network,
        CheckDuplicate: true,
        Labels: { [LABELS.managed]: 'true' },
      });
      log.info({ network: options.network }, 'network created');
    } catch (err) {
      // Another replica (or a concurrent create) made it between the list and the create.
      if (!alreadyExists(err)) {
        throw err;
      }
    }
  }

  function ensureNetwork(): Promise<void> {
    // Once per driver; a failure is retried by the next create.
    networkReady ??= createNetwork().catch((err: unknown) => {
      networkReady = undefined;
      throw err;
    });
    return networkReady;
  }

  const imagesSeen = new Set<string>();

  async function ensureVolume(spec: EngineSpec): Promise<void> {
    // Creating an existing volume returns it on both Docker and Podman: safe to repeat.
    await docker.createVolume({
      Name: volumeName(spec.engineId),
      Labels: labelsFor(spec, fleet),
    });
  }

  /**
   * Fails at once when the image is not on the host, before a volume is made for it or an old
   * container removed. The driver never pulls: engine images are built on the host and pinned.
   */
  async function requireImage(image: string): Promise<void> {
    // Pinned references do not change: once seen, an image is not asked about again (one API
    // call less per provision). One removed since is still caught by the create's own 404.
    if (imagesSeen.has(image)) {
      return;
    }
    try {
      await docker.getImage(image).inspect();
      imagesSeen.add(image);
    } catch (err) {
      throw statusOf(err) === 404 ? missingImage(image, err) : err;
    }
  }

  async function createContainer(spec: EngineSpec): Promise<Docker.Container> {
    const body = containerBody(spec, settings);
    try {
      return await docker.createContainer(body);
    } catch (err) {
      if (!alreadyExists(err)) {
        throw err;
      }
      // A leftover of a crashed attempt holds the name: it is ours to replace (the volume stays).
      log.warn({ engineId: spec.engineId }, 'replacing a leftover container');
      await tolerate([404], () =>
        docker.getContainer(containerName(spec.engineId)).remove({ force: true }),
      );
      return docker.createContainer(body);
    }
  }

  /**
   * Containers this driver made or inspected, by engine: their id and spec hash. A container's
   * config never changes, so a wake whose spec hashes the same starts it by id without the
   * inspect first (one API call less per wake); a 404 (removed behind our back) drops the entry
   * and takes the inspecting path.
   */
  const known = new Map<string, { id: string; hash: string }>();

  async function startContainer(container: Docker.Container, spec: EngineSpec): Promise<void> {
    // 304: already running.
    await tolerate([304], () => container.start());
    known.set(spec.engineId, { id: container.id, hash: specHash(spec, settings) });
  }

  async function createAndStart(spec: EngineSpec): Promise<void> {
    await requireImage(spec.image);
    await ensureNetwork();
    await ensureVolume(spec);
    let container: Docker.Container;
    try {
      container = await createContainer(spec);
    } catch (err) {
      if (isMissingImage(err)) {
        // Removed since it was seen; the volume may hold data, so it stays.
        imagesSeen.delete(spec.image);
        throw missingImage(spec.image, err);
      }
      // The network was ensured once per driver; someone may have removed it since.
      if (!/network.*not found/i.test(String((err as Error)?.message))) {
        throw err;
      }
      networkReady = undefined;
      await ensureNetwork();
      container = await createContainer(spec);
    }
    await startContainer(container, spec);
    log.info({ engineId: spec.engineId, hostPort: spec.hostPort }, 'engine container started');
  }

  const events = followDockerEvents({
    docker,
    filters: { type: ['container'], ...fleetFilter },
    logger: log,
    map: (raw) => engineEventOf(raw, ours),
  });

  async function startEngine(spec: EngineSpec): Promise<void> {
    const seen = known.get(spec.engineId);
    if (seen?.hash === specHash(spec, settings)) {
      try {
        await startContainer(docker.getContainer(seen.id), spec);
        return;
      } catch (err) {
        if (statusOf(err) !== 404) {
          throw err;
        }
        known.delete(spec.engineId);
      }
    }
    const container = docker.getContainer(containerName(spec.engineId));
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (err) {
      if (statusOf(err) !== 404) {
        throw err;
      }
      await createAndStart(spec);
      return;
    }
    if (info.Config.Labels?.[LABELS.specHash] !== specHash(spec, settings)) {
      // A new key, image, port or passthrough env only reaches the engine through a new
      // container; the volume (the brain) is kept. A missing new image fails before the old
      // container goes.
      log.info({ engineId: spec.engineId }, 'spec changed: re-creating the container');
      await requireImage(spec.image);
      await tolerate([404], () => container.remove({ force: true }));
      await createAndStart(spec);
      return;
    }
    await startContainer(docker.getContainer(info.Id), spec);
  }

  async function list(): Promise<ObservedEngine[]> {
    const containers = await docker.listContainers({ all: true, filters: fleetFilter });
    const found: ObservedEngine[] = [];
    for (const c of containers) {
      const labels = c.Labels;
      const engineId = labels?.[LABELS.engineId];
      if (!ours(labels) || engineId === undefined) {
        continue;
      }
      const port = Number.parseInt(labels[LABELS.hostPort] ?? '', 10);
      found.push({
        engineId,
        productId: labels[LABELS.productId] ?? '',
        userId: labels[LABELS.userId] ?? '',
        running: c.State === 'running',
        hostPort: Number.isNaN(port) ? undefined : port,
      });
    }
    return found;
  }

  async function listData(): Promise<string[]> {
    const { Volumes } = await docker.listVolumes({ filters: fleetFilter });
    const ids: string[] = [];
    for (const volume of Volumes ?? []) {
      const engineId = volume.Labels?.[LABELS.engineId];
      if (ours(volume.Labels) && engineId !== undefined) {
        ids.push(engineId);
      }
    }
    return ids;
  }

  // Every host call leaves as a DriverError: the lifecycle records the API's words, not a
  // boot time-out.
  return {
    kind: 'docker',

    create: (spec) => driverCall(`create ${spec.engineId}`, () => createAndStart(spec)),

    start: (spec) => driverCall(`start ${spec.engineId}`, () => startEngine(spec)),

    stop: (engineId, graceS) =>
      // 304: already stopped; 404: gone.
      driverCall(`stop ${engineId}`, () =>
        tolerate([304, 404], () =>
          docker.getContainer(containerName(engineId)).stop({ t: graceS }),
        ),
      ),

    remove: (engineId, { keepData }) =>
      driverCall(`remove ${engineId}`, async () => {
        known.delete(engineId);
        await tolerate([404], () =>
          docker.getContainer(containerName(engineId)).remove({ force: true }),
        );
        if (!keepData) {
          await tolerate([404], () => docker.getVolume(volumeName(engineId)).remove());
        }
      }),

    list: () => driverCall('list', list),

    listData: () => driverCall('listData', listData),

    subscribe: events.subscribe,

    imageDigests: (ref) => driverCall(`inspect image ${ref}`, () => imageDigestsOn(docker, ref)),

    urlFor(hostPort) {
      return `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${hostPort}`;
    },

    async close() {
      events.close();
    },
  };
}
