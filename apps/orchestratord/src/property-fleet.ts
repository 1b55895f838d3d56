import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@agentplane/http-kit';
import { type PgTestDatabase, type SpawnedService, spawnService } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { sql } from 'kysely';
import { buildPools } from './build-pools.js';
import { loadConfig } from './config.js';
import { containerName } from './drivers/docker-driver.js';
import type { EngineDriver } from './drivers/driver.js';
import { canTransition } from './fleet/transitions.js';
import { orchestratorClient, TEST_ADMIN_KEY } from './test-orchestrator.js';

// The property test's fleet: two orchestratord replicas (real processes of main.ts) on one
// Postgres database, one data dir and one port range, plus the checks run after each sequence.

const entry = new URL('./main.ts', import.meta.url).pathname;
export type Client = ReturnType<typeof orchestratorClient>;

export interface PropertyFleet {
  api(replica: 0 | 1): Client;
  killReplica(replica: 0 | 1): Promise<void>;
  killEngine(engineId: string): Promise<void>;
  /** What is wrong with the fleet now (empty: consistent). */
  problems(expectedKeys: Map<string, Set<string> | undefined>): Promise<string[]>;
  close(): Promise<void>;
}

interface Row {
  id: string;
  user_id: string;
  status: string;
}

export async function startPropertyFleet(opts: {
  db: PgTestDatabase;
  dataDir: string;
  driverEnv: Record<string, string>;
  ports: readonly [number, number];
  docker?: Docker;
}): Promise<PropertyFleet> {
  const env = {
    DATABASE_URL: opts.db.url ?? '',
    REDIS_URL: undefined,
    NODE_ENV: 'test',
    ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
    ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
    ORCH_FLEET_ID: `prop-${randomBytes(4).toString('hex')}`,
    ORCH_DATA_DIR: opts.dataDir,
    ORCH_PORT_MIN: String(opts.ports[0]),
    ORCH_PORT_MAX: String(opts.ports[1]),
    ORCH_BOOT_TIMEOUT_S: '20',
    ORCH_STOP_GRACE_S: '2',
    ORCH_RECONCILE_INTERVAL_S: '1',
    ORCH_HEALTH_INTERVAL_MS: '300',
    ORCH_HEALTH_FAILURES: '1',
    ORCH_RESTART_BASE_MS: '100',
    ORCH_IDLE_S: '0',
    ...opts.driverEnv,
  };
  const spawnReplica = () => spawnService({ entry, env, timeoutMs: 60_000 });
  const replicas: SpawnedService[] = [await spawnReplica(), await spawnReplica()];
  const logger = createLogger({ name: 'property-observer', level: 'error' });
  const { REDIS_URL: _none, ...configEnv } = env;
  const config = loadConfig({ ...configEnv, LOG_LEVEL: 'error' });
  // The test's own view of the host, through the same driver the replicas use.
  const [pool] = await buildPools(config, logger);
  const driver = pool?.driver as EngineDriver;
  const admin = () =>
    orchestratorClient(replicas[0]?.baseUrl ?? '', { 'x-admin-key': TEST_ADMIN_KEY });
  const registered = await admin().registerProduct({
    body: { slug: 'prop', display_name: 'Property', policy: { auto_provision: false } },
  });
  if (registered.status !== 201) {
    throw new Error(`register: ${registered.status}`);
  }
  const platformKey = registered.body.platform_key;
  const db = opts.db.db;

  const rows = async () =>
    (await sql<Row>`select id, user_id, status from orchestratord.engines`.execute(db)).rows;

  async function trailProblems(live: Map<string, Row>): Promise<string[]> {
    const audit = await sql<{
      engine_id: string;
      action: string;
      from_status: string | null;
      to_status: string | null;
    }>`
      select engine_id, action, from_status, to_status from orchestratord.audit_log
      where engine_id is not null and from_status is not null order by id`.execute(db);
    const trails = new Map<string, { action: string; from: string; to: string }[]>();
    for (const a of audit.rows) {
      const trail = trails.get(a.engine_id) ?? [];
      trail.push({ action: a.action, from: a.from_status as string, to: a.to_status as string });
      trails.set(a.engine_id, trail);
    }
    const problems: string[] = [];
    for (const [engineId, trail] of trails) {
      let at = 'provisioning';
      for (const step of trail) {
        if (step.from !== at || !canTransition(step.from as never, step.to as never)) {
          problems.push(`${engineId}: ${step.action} ${step.from}→${step.to} after ${at}`);
        }
        at = step.to;
      }
      const row = live.get(engineId);
      if (row !== undefined && row.status !== at) {
        problems.push(`${engineId}: trail ends ${at}, row is ${row.status}`);
      }
      if (row === undefined && at !== 'destroying' && at !== 'destroyed') {
        problems.push(`${engineId}: trail ends ${at}, but the row is gone`);
      }
    }
    return problems;
  }

  return {
    api: (replica) =>
      orchestratorClient(replicas[replica]?.baseUrl ?? '', { 'x-platform-key': platformKey }),
    async killReplica(replica) {
      await replicas[replica]?.stop('SIGKILL');
      replicas[replica] = await spawnReplica();
    },
    async killEngine(engineId) {
      if (opts.docker !== undefined) {
        await opts.docker
          .getContainer(containerName(engineId))
          .kill()
          .catch(() => {});
        return;
      }
      try {
        const record = JSON.parse(
          readFileSync(join(opts.dataDir, 'engines', engineId, 'process.json'), 'utf8'),
        ) as { pid: number };
        process.kill(record.pid, 'SIGKILL');
      } catch {
        // Not running: nothing to kill.
      }
    },
    async problems(expectedKeys) {
      const now = await rows();
      const live = new Map(now.map((r) => [r.id, r]));
      const problems = await trailProblems(live);
      for (const r of now) {
        if (r.status === 'provisioning' || r.status === 'destroying') {
          problems.push(`${r.user_id}: still ${r.status}`);
        }
      }
      for (const seen of await driver.list()) {
        if (!live.has(seen.engineId) && seen.running) {
          problems.push(`${seen.engineId}: running on the host without a row`);
        }
      }
      const api = orchestratorClient(replicas[0]?.baseUrl ?? '', { 'x-platform-key': platformKey });
      for (const r of now.filter((x) => x.status === 'running')) {
        const got = await api.getEngine({ params: { user_id: r.user_id } });
        if (got.status !== 200) {
          problems.push(`${r.user_id}: GET answered ${got.status}`);
          continue;
        }
        const expected = expectedKeys.get(r.user_id);
        if (expected !== undefined && !expected.has(got.body.engine_key)) {
          problems.push(`${r.user_id}: the key is not the last one set`);
        }
        const rpc = await fetch(`${got.body.url}/rpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-engine-key': got.body.engine_key },
          body: JSON.stringify({ subsystem: 'control', op: 'get_config' }),
        }).catch(() => undefined);
        if (rpc?.status !== 200) {
          problems.push(
            `${r.user_id}: running, but the engine answered ${rpc?.status ?? 'nothing'}`,
          );
        }
      }
      return problems;
    },
    async close() {
      const api = orchestratorClient(replicas[0]?.baseUrl ?? '', { 'x-platform-key': platformKey });
      for (const r of await rows()) {
        await api.destroyEngine({ params: { user_id: r.user_id } }).catch(() => {});
      }
      for (const replica of replicas) {
        await replica.stop('SIGTERM');
      }
      await driver.close();
    },
  };
}
