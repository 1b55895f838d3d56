import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, orchestratordRoutes } from '@agentplane/contracts';
import type Docker from 'dockerode';
import { engineCommand, image, json } from './common.js';
import { type OrchestratordProcess, spawnOrchestratord } from './orchestratord-process.js';
import type { PgDatabase } from './pg-database.js';

// The one way the orchestratord benches start a fleet: the real bundle in its own process, a
// fresh data dir (and database), a registered product, and a close that leaves nothing behind.

const ADMIN_KEY = 'admin-key-for-bench-0123456789';

const platformClient = (baseUrl: string, key: string) =>
  createClient(orchestratordRoutes, { baseUrl, headers: () => ({ 'x-platform-key': key }) });
export type PlatformClient = ReturnType<typeof platformClient>;

/** How engines run: child processes (of `engineCommand`, default the engine bundle) or containers. */
export type FleetDriver =
  | { kind: 'process'; engineCommand?: string[] }
  | { kind: 'docker'; docker: Docker };

export interface FleetOptions {
  driver: FleetDriver;
  /** ORCH_PORT_MIN..MAX: each bench has its own window. */
  ports: [number, number];
  /** A fresh Postgres database, dropped on close; none → orchestratord's embedded PGlite. */
  database: PgDatabase | undefined;
  /** More orchestratord variables (ORCH_WARM_POOL_SIZE, ORCH_HEALTH_INTERVAL_MS, …). */
  env?: Record<string, string>;
}

/** One orchestratord with a product registered, and its engines. */
export interface Fleet {
  url: string;
  /** The orchestratord process, for its memory. */
  pid: number;
  /** The product's platform key (X-Platform-Key), for raw requests and autocannon. */
  key: string;
  api: PlatformClient;
  db: 'postgres' | 'pglite';
  runner: string;
  dataDir: string;
  /** Users to destroy through the API on close (`provisionOne` adds them). */
  users: Set<string>;
  close(): Promise<void>;
}

async function driverEnv(driver: FleetDriver): Promise<Record<string, string>> {
  if (driver.kind === 'process') {
    return {
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify(driver.engineCommand ?? (await engineCommand())),
    };
  }
  return {
    ORCH_DRIVER: 'docker',
    DOCKER_HOST: process.env.DOCKER_HOST ?? '',
    ORCH_ENGINE_IMAGE: await image(),
  };
}

async function registerProduct(url: string): Promise<string> {
  const body = await json<{ platform_key: string }>(`${url}/products/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY },
    body: JSON.stringify({ slug: 'bench', display_name: 'Bench', policy: { max_engines: 1000 } }),
  });
  return body.platform_key;
}

/** Kills whatever engine processes a stopped orchestrator left under its data dir. */
function killLeftovers(dataDir: string): number {
  let killed = 0;
  const engines = join(dataDir, 'engines');
  let ids: string[] = [];
  try {
    ids = readdirSync(engines);
  } catch {
    return 0;
  }
  for (const id of ids) {
    try {
      const { pid } = JSON.parse(readFileSync(join(engines, id, 'process.json'), 'utf8')) as {
        pid: number;
      };
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // No record or no process: nothing to do.
    }
  }
  return killed;
}

/** Removes the fleet's containers and volumes (by its label) that the API did not. */
async function removeContainers(docker: Docker, fleetId: string): Promise<void> {
  const filters = { label: [`agentplane.fleet=${fleetId}`] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => {});
  }
}

/**
 * Starts a fleet. Every bench goes through here, so they all measure the same orchestratord: the
 * bundle, ORCH_STOP_GRACE_S=5, idle sleep off, its own fleet id (the label its containers carry).
 *
 * ```ts
 * const fleet = await startFleet({ driver: { kind: 'process' }, ports: [22000, 22099], database });
 * try { await provisionOne(fleet, 'alice'); } finally { await fleet.close(); }
 * ```
 */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const { driver, database } = opts;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-orch-'));
  const fleetId = `bench-${randomBytes(4).toString('hex')}`;
  let server: OrchestratordProcess | undefined;
  const sweep = async () => {
    await server?.stop();
    // What the API did not remove (a failed run): engine processes, containers, volumes.
    const leftovers = killLeftovers(dataDir);
    if (leftovers > 0) {
      // Expected after a warm pool (its unclaimed engines); otherwise a run that failed midway.
      process.stderr.write(`bench fleet: killed ${leftovers} engine processes left running\n`);
    }
    if (driver.kind === 'docker') {
      await removeContainers(driver.docker, fleetId);
    }
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await spawnOrchestratord({
      ...(await driverEnv(driver)),
      ORCH_ADMIN_KEY: ADMIN_KEY,
      ORCH_FLEET_ID: fleetId,
      ORCH_DATA_DIR: dataDir,
      ORCH_PORT_MIN: String(opts.ports[0]),
      ORCH_PORT_MAX: String(opts.ports[1]),
      ORCH_STOP_GRACE_S: '5',
      ...(database === undefined ? {} : { DATABASE_URL: database.url }),
      ...opts.env,
    });
    const key = await registerProduct(server.url);
    const api = platformClient(server.url, key);
    const users = new Set<string>();
    return {
      url: server.url,
      pid: server.pid,
      key,
      api,
      db: database === undefined ? 'pglite' : 'postgres',
      runner: server.runner,
      dataDir,
      users,
      async close() {
        for (const user of users) {
          await api.destroyEngine({ params: { user_id: user } }).catch(() => {});
        }
        await sweep();
      },
    };
  } catch (error) {
    await sweep();
    throw error;
  }
}

/** POST /engines/provision for `userId` (destroyed on close); the engine. */
export async function provisionOne(fleet: Fleet, userId: string) {
  fleet.users.add(userId);
  const res = await fleet.api.provisionEngine({ body: { user_id: userId } });
  if (res.status !== 201) {
    throw new Error(`provision ${userId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
