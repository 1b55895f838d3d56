import { randomBytes, randomInt } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EMPTY_SCHEMA,
  isCi,
  type PgTestDatabase,
  postgresVariant,
  type SpawnedService,
  spawnService,
} from '@agentplane/testkit';

const entry = fileURLToPath(new URL('../../../../apps/orchestratord/src/main.ts', import.meta.url));

export interface LiveOrchestratord {
  service: SpawnedService;
  adminKey: string;
  /** `postgres` (a fresh database from DATABASE_URL) or `pglite` (its embedded default). */
  database: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** /proc/<pid>/stat starttime: a pid reused by another process has another. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/**
 * SIGKILLs the process group of every engine the process driver recorded under `dataDir` that
 * still runs (same pid and start time as recorded): those a failed test left behind.
 */
async function killEngines(dataDir: string): Promise<void> {
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

/**
 * The real orchestratord (apps/orchestratord/src/main.ts through tsx, as its own tests run it)
 * on port 0 with the process driver: engines run as child processes of the workspace engine.
 * Postgres when DATABASE_URL reaches one, else its embedded PGlite.
 */
export async function startOrchestratord(dataDir: string): Promise<LiveOrchestratord> {
  const probe = await postgresVariant(process.env.DATABASE_URL).open(EMPTY_SCHEMA);
  if (!probe.available && isCi()) {
    throw new Error(`Postgres is required under CI=true: ${probe.reason}`);
  }
  const db: PgTestDatabase | undefined = probe.available ? probe.value : undefined;
  const adminKey = `admin-${randomBytes(12).toString('hex')}`;
  // A 100-port window of its own, so parallel test runs do not hand out the same engine port.
  const portMin = 30_000 + randomInt(0, 300) * 100;
  try {
    const service = await spawnService({
      entry,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db?.url,
        REDIS_URL: undefined,
        DOCKER_HOST: undefined,
        ORCH_DRIVER: 'process',
        ORCH_DATA_DIR: dataDir,
        ORCH_ADMIN_KEY: adminKey,
        ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
        ORCH_FLEET_ID: `client-pack-${randomBytes(4).toString('hex')}`,
        ORCH_PORT_MIN: String(portMin),
        ORCH_PORT_MAX: String(portMin + 99),
        // Keyless engines: the built-in mock model, whatever keys this machine has.
        LLM_BASE_URL: undefined,
        LLM_API_KEY: undefined,
        OPENAI_API_KEY: undefined,
        ANTHROPIC_API_KEY: undefined,
        GEMINI_API_KEY: undefined,
      },
      timeoutMs: 60_000,
    });
    return {
      service,
      adminKey,
      database: db === undefined ? 'pglite' : 'postgres',
      async close() {
        await service.stop('SIGTERM');
        // Engines are detached (they outlive a restarted orchestrator): ours go with the test.
        await killEngines(dataDir);
        await db?.close();
      },
    };
  } catch (error) {
    await killEngines(dataDir);
    await db?.close();
    throw error;
  }
}
