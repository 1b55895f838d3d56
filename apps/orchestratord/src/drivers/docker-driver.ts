import { createHash } from 'node:crypto';
import type { Logger } from '@agentplane/http-kit';
import type Docker from 'dockerode';
import { followDockerEvents } from './docker-events.js';
import type { DriverEvent, EngineDriver, EngineSpec, ObservedEngine } from './driver.js';

/** Labels on every container and volume of ours: a restarted orchestrator finds them by these. */
export const LABELS = {
  managed: 'agentplane.managed',
  /** Which fleet (ORCH_FLEET_ID) owns it: fleets and test runs sharing a host leave each other's be. */
  fleet: 'agentplane.fleet',
  engineId: 'agentplane.engine_id',
  productId: 'agentplane.product_id',
  userId: 'agentplane.user_id',
  hostPort: 'agentplane.host_port',
  /** Fingerprint of what the container was created from; `start` re-creates it when it differs. */
  specHash: 'agentplane.spec_hash',
} as const;
const ENGINE_PORT = '8000/tcp';

export const containerName = (engineId: string) => `engine-${engineId}`;
export const volumeName = (engineId: string) => `engine-data-${engineId}`;

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

/** Docker's errors carry the HTTP status of the API answer. */
function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function alreadyExists(err: unknown): boolean {
  // Docker answers 409; Podman's compat API answers 500 with "network already exists" or
  // "the container name … is already in use".
  return (
    statusOf(err) === 409 || /already (exists|used|in use)/i.test(String((err as Error)?.message))
  );
}

async function tolerate(statuses: readonly number[], op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    if (!statuses.includes(statusOf(err) ?? -1)) {
      throw err;
    }
  }
}

function engineEnv(spec: EngineSpec): string[] {
  // The contract's variables come last so a passthrough variable can never override them. The
  // image sets NODE_ENV and HOST too; repeated here so a passed-through NODE_ENV=development
  // cannot open /rpc, nor HOST=127.0.0.1 hide the port.
  const env: Record<string, string> = {
    ...spec.env,
    ENGINE_KEY_HASH: spec.keyHash,
    SQLITE_DB_PATH: '/data/brain.sqlite',
    CATALOG_DIR: '/catalog',
    PORT: '8000',
    HOST: '0.0.0.0',
    NODE_ENV: 'production',
  };
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
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
  const stopGraceS = options.stopGraceS ?? 10;
  const publishIp = options.publishIp ?? '127.0.0.1';
  const publicHost = options.publicHost ?? hostFromModem(docker) ?? '127.0.0.1';
  const fleet = options.fleet ?? 'default';
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

  function labelsFor(spec: EngineSpec): Record<string, string> {
    return {
      [LABELS.managed]: 'true',
      [LABELS.fleet]: fleet,
      [LABELS.engineId]: spec.engineId,
      [LABELS.productId]: spec.productId,
      [LABELS.userId]: spec.userId,
      [LABELS.hostPort]: String(spec.hostPort),
    };
  }

  function specHash(spec: EngineSpec): string {
    const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const fingerprint = JSON.stringify([
      spec.image,
      spec.hostPort,
      spec.keyHash,
      env,
      options.network,
      options.catalogDir,
      options.cpus,
      options.memoryMb,
      stopGraceS,
    ]);
    return createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
  }

  async function ensureVolume(spec: EngineSpec): Promise<void> {
    // Creating an existing volume returns it on both Docker and Podman: safe to repeat.
    await docker.createVolume({
      Name: volumeName(spec.engineId),
      Labels: labelsFor(spec),
    });
  }

  async function createContainer(spec: EngineSpec): Promise<Docker.Container> {
    const body: Docker.ContainerCreateOptions = {
      name: containerName(spec.engineId),
      Image: spec.image,
      Env: engineEnv(spec),
      ExposedPorts: { [ENGINE_PORT]: {} },
      Labels: { ...labelsFor(spec), [LABELS.specHash]: specHash(spec) },
      // Podman's compat API stores 0 (an immediate SIGKILL) when this is absent.
      StopTimeout: stopGraceS,
      // The image's HEALTHCHECK starts a node process every 5 s in every engine; the health
      // loop already probes /health from here, so it is off for the fleet's containers.
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        PortBindings: { [ENGINE_PORT]: [{ HostIp: publishIp, HostPort: String(spec.hostPort) }] },
        Mounts: [
          { Type: 'volume', Source: volumeName(spec.engineId), Target: '/data' },
          { Type: 'bind', Source: options.catalogDir, Target: '/catalog', ReadOnly: true },
        ],
        NetworkMode: options.network,
        RestartPolicy: { Name: 'unless-stopped' },
        NanoCpus: Math.round(options.cpus * 1e9),
        Memory: Math.round(options.memoryMb * 1024 * 1024),
      },
    };
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

  async function startContainer(container: Docker.Container): Promise<void> {
    // 304: already running.
    await tolerate([304], () => container.start());
  }

  async function createAndStart(spec: EngineSpec): Promise<void> {
    await ensureNetwork();
    await ensureVolume(spec);
    let container: Docker.Container;
    try {
      container = await createContainer(spec);
    } catch (err) {
      // The network was ensured once per driver; someone may have removed it since.
      if (!/network.*not found/i.test(String((err as Error)?.message))) {
        throw err;
      }
      networkReady = undefined;
      await ensureNetwork();
      container = await createContainer(spec);
    }
    await startContainer(container);
    log.info({ engineId: spec.engineId, hostPort: spec.hostPort }, 'engine container started');
  }

  const events = followDockerEvents({
    docker,
    filters: { type: ['container'], ...fleetFilter },
    logger: log,
    map: (raw): DriverEvent | undefined => {
      const action = raw.Action ?? raw.status;
      const attributes = raw.Actor?.Attributes;
      const engineId = attributes?.[LABELS.engineId];
      if (!ours(attributes) || engineId === undefined) {
        return undefined;
      }
      if (action === 'start') {
        return { engineId, kind: 'started' };
      }
      if (action === 'die' || action === 'died') {
        const exitCode = Number.parseInt(attributes.exitCode ?? '', 10);
        return Number.isNaN(exitCode)
          ? { engineId, kind: 'died' }
          : { engineId, kind: 'died', exitCode };
      }
      return undefined;
    },
  });

  return {
    kind: 'docker',

    create: createAndStart,

    async start(spec) {
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
      if (info.Config.Labels?.[LABELS.specHash] !== specHash(spec)) {
        // A new key, image, port or passthrough env only reaches the engine through a new
        // container; the volume (the brain) is kept.
        log.info({ engineId: spec.engineId }, 'spec changed: re-creating the container');
        await tolerate([404], () => container.remove({ force: true }));
        await createAndStart(spec);
        return;
      }
      await startContainer(container);
    },

    async stop(engineId, graceS) {
      // 304: already stopped; 404: gone.
      await tolerate([304, 404], () =>
        docker.getContainer(containerName(engineId)).stop({ t: graceS }),
      );
    },

    async remove(engineId, { keepData }) {
      await tolerate([404], () =>
        docker.getContainer(containerName(engineId)).remove({ force: true }),
      );
      if (!keepData) {
        await tolerate([404], () => docker.getVolume(volumeName(engineId)).remove());
      }
    },

    async list() {
      const containers = await docker.listContainers({
        all: true,
        filters: fleetFilter,
      });
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
    },

    async listData() {
      const { Volumes } = await docker.listVolumes({ filters: fleetFilter });
      const ids: string[] = [];
      for (const volume of Volumes ?? []) {
        const engineId = volume.Labels?.[LABELS.engineId];
        if (ours(volume.Labels) && engineId !== undefined) {
          ids.push(engineId);
        }
      }
      return ids;
    },

    subscribe: events.subscribe,

    urlFor(hostPort) {
      return `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${hostPort}`;
    },

    async close() {
      events.close();
    },
  };
}
