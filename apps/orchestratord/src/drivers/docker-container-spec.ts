import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { EngineSpec } from './driver.js';

// What the docker driver creates for an engine: names, labels, the container's create body and
// the fingerprint `start` compares to decide whether a container must be re-created.

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

/** The driver options that shape every container (all of them part of its fingerprint). */
export interface ContainerSettings {
  fleet: string;
  network: string;
  catalogDir: string;
  cpus: number;
  memoryMb: number;
  stopGraceS: number;
  publishIp: string;
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

export function labelsFor(spec: EngineSpec, fleet: string): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.fleet]: fleet,
    [LABELS.engineId]: spec.engineId,
    [LABELS.productId]: spec.productId,
    [LABELS.userId]: spec.userId,
    [LABELS.hostPort]: String(spec.hostPort),
  };
}

export function specHash(spec: EngineSpec, settings: ContainerSettings): string {
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fingerprint = JSON.stringify([
    spec.image,
    spec.hostPort,
    spec.keyHash,
    env,
    settings.network,
    settings.catalogDir,
    settings.cpus,
    settings.memoryMb,
    settings.stopGraceS,
  ]);
  return createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
}

export function containerBody(
  spec: EngineSpec,
  settings: ContainerSettings,
): Docker.ContainerCreateOptions {
  return {
    name: containerName(spec.engineId),
    Image: spec.image,
    Env: engineEnv(spec),
    ExposedPorts: { [ENGINE_PORT]: {} },
    Labels: { ...labelsFor(spec, settings.fleet), [LABELS.specHash]: specHash(spec, settings) },
    // Podman's compat API stores 0 (an immediate SIGKILL) when this is absent.
    StopTimeout: settings.stopGraceS,
    // The image's HEALTHCHECK starts a node process every 5 s in every engine; the health
    // loop already probes /health from here, so it is off for the fleet's containers.
    Healthcheck: { Test: ['NONE'] },
    HostConfig: {
      PortBindings: {
        [ENGINE_PORT]: [{ HostIp: settings.publishIp, HostPort: String(spec.hostPort) }],
      },
      Mounts: [
        { Type: 'volume', Source: volumeName(spec.engineId), Target: '/data' },
        { Type: 'bind', Source: settings.catalogDir, Target: '/catalog', ReadOnly: true },
      ],
      NetworkMode: settings.network,
      RestartPolicy: { Name: 'unless-stopped' },
      NanoCpus: Math.round(settings.cpus * 1e9),
      Memory: Math.round(settings.memoryMb * 1024 * 1024),
    },
  };
}
