import { randomBytes, randomInt } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { postgresVariant } from './db-variants.js';
import { NO_LLM_KEYS } from './no-llm-keys.js';
import { EMPTY_SCHEMA, type PgTestDatabase } from './pg-schema.js';
import { isCi } from './require-service.js';
import { type SpawnedService, spawnService } from './spawn-service.js';
import { WORKSPACE_ROOT } from './workspace-root.js';

export interface LiveOrchestratordOptions {
  /** ORCH_DATA_DIR: the engines' records and brains. The caller creates and removes it. */
  dataDir: string;
  /** ORCH_FLEET_ID before a random suffix, naming the caller in the fleet's records. */
  fleetPrefix: string;
  /** More variables, over the kit's (e.g. BODY_LIMIT_BYTES, background loop intervals). */
  env?: Record<string, string | undefined>;
}

export interface LiveOrchestratord {
  service: SpawnedService;
  adminKey: string;
  /** `postgres` (a fresh database from DATABASE_URL) or `pglite` (its embedded default). */
  database: 'postgres' | 'pglite';
  /** That fresh Postgres database, to read its tables; undefined on PGlite (inside the service). */
  pg: PgTestDatabase | undefined;
  /** Stops the service, kills the engines it started and drops its database. */
  close(): Promise<void>;
}

/** /proc/<pid>/stat starttime: a pid reused by another process has another. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/**
 * SIGKILLs the process group of every engine the process driver recorded under `dataDir`
 * (`engines/<id>/process.json`) that still runs with the recorded start time: the engines of
 * this run (a failed test leaves some behind), and only those.
 */
async function killRecordedEngines(dataDir: string): Promise<void> {
  const engines = join(dataDir, 'engines');
  for (const dir of await readdir(engines).catch(() => [])) {
    const text = await readFile(join(engines, dir, 'process.json'), 'utf8').catch(() => '{}');
    const { pid, procStart } = JSON.parse(text) as { pid?: number; procStart?: string };
    if (pid === undefined || procStart === undefined || (await startTimeOf(pid)) !== procStart) {
      continue;
    }
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** A fresh Postgres database when DATABASE_URL reaches one (required under CI=true), else none. */
async function openPostgres(): Promise<PgTestDatabase | undefined> {
  const probe = await postgresVariant(process.env.DATABASE_URL).open(EMPTY_SCHEMA);
  if (!probe.available && isCi()) {
    throw new Error(`Postgres is required under CI=true: ${probe.reason}`);
  }
  return probe.available ? probe.value : undefined;
}

/**
 * The real orchestratord (apps/orchestratord/src/main.ts through tsx, as its own tests run it)
 * on port 0 with the process driver: engines run as child processes of the workspace engine,
 * keyless. Postgres when DATABASE_URL reaches one, else its embedded PGlite; no Redis, no Docker.
 *
 * ```ts
 * const orch = await startLiveOrchestratord({ dataDir, fleetPrefix: 'my-test' });
 * try { … orch.service.baseUrl, orch.adminKey … } finally { await orch.close(); }
 * ```
 */
export async function startLiveOrchestratord(
  opts: LiveOrchestratordOptions,
): Promise<LiveOrchestratord> {
  const pg = await openPostgres();
  const adminKey = `admin-${randomBytes(12).toString('hex')}`;
  // A 100-port window of its own, so parallel test runs do not hand out the same engine port.
  const portMin = 30_000 + randomInt(0, 300) * 100;
  try {
    const service = await spawnService({
      entry: join(WORKSPACE_ROOT, 'apps/orchestratord/src/main.ts'),
      env: {
        ...NO_LLM_KEYS,
        NODE_ENV: 'test',
        DATABASE_URL: pg?.url,
        REDIS_URL: undefined,
        DOCKER_HOST: undefined,
        ORCH_DRIVER: 'process',
        ORCH_DATA_DIR: opts.dataDir,
        ORCH_ADMIN_KEY: adminKey,
        ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
        ORCH_FLEET_ID: `${opts.fleetPrefix}-${randomBytes(4).toString('hex')}`,
        ORCH_PORT_MIN: String(portMin),
        ORCH_PORT_MAX: String(portMin + 99),
        ...opts.env,
      },
      timeoutMs: 60_000,
    });
    return {
      service,
      adminKey,
      database: pg === undefined ? 'pglite' : 'postgres',
      pg,
      async close() {
        await service.stop('SIGTERM');
        // Engines are detached (they outlive a restarted orchestrator): ours go with the test.
        await killRecordedEngines(opts.dataDir);
        await pg?.close();
      },
    };
  } catch (error) {
    await killRecordedEngines(opts.dataDir);
    await pg?.close();
    throw error;
  }
}
