import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { healthStatus } from '@agentplane/testkit/wait-healthy';
import { median, round, summary } from '../harness.js';
import { dockerOrSkip, sleep } from './common.js';
import {
  type Fleet,
  type FleetDriver,
  type PlatformClient,
  provisionOne,
  startFleet,
} from './fleet.js';
import { openPgDatabase } from './pg-database.js';

const CRASH_RUNS = Number(process.env.BENCH_ORCH_CRASH_RUNS ?? 5);

async function auditCount(api: PlatformClient, userId: string, action: string): Promise<number> {
  const res = await api.listAudit({ query: { user_id: userId, limit: 1000 } });
  return res.status === 200 ? res.body.entries.filter((e) => e.action === action).length : 0;
}

/**
 * After `kill` (not awaited by the caller's clock): ms until /health answers 200 again (polled
 * every 5 ms, after it was seen down) and until the audit shows one more auto_restart.
 */
async function timeRecovery(
  fleet: Fleet,
  url: string,
  userId: string,
  kill: () => void,
): Promise<{ healthMs: number; auditMs: number; crashSeenMs: number }> {
  const restartsBefore = await auditCount(fleet.api, userId, 'auto_restart');
  const killedAt = Date.now();
  const started = performance.now();
  kill();
  const health = (async () => {
    let wasDown = false;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = (await healthStatus(url)) === 200;
      if (!ok) {
        wasDown = true;
      } else if (wasDown) {
        return performance.now() - started;
      }
      if (Date.now() > deadline) {
        throw new Error('no recovery within 30 s');
      }
      await sleep(5);
    }
  })();
  const audit = (async () => {
    const deadline = Date.now() + 30_000;
    while ((await auditCount(fleet.api, userId, 'auto_restart')) <= restartsBefore) {
      if (Date.now() > deadline) {
        throw new Error('no auto_restart in the audit within 30 s');
      }
      await sleep(10);
    }
    return performance.now() - started;
  })();
  const [healthMs, auditMs] = await Promise.all([health, audit]);
  // When the orchestrator noticed (the audit's own clock): the rest is start + boot.
  const res = await fleet.api.listAudit({ query: { user_id: userId, limit: 1000 } });
  const crash =
    res.status === 200 ? res.body.entries.findLast((e) => e.action === 'crash') : undefined;
  const crashSeenMs = crash === undefined ? Number.NaN : Date.parse(crash.at) - killedAt;
  return { healthMs, auditMs, crashSeenMs };
}

async function crashRun(driver: FleetDriver, ports: [number, number]) {
  const fleet = await startFleet({ driver, ports, database: await openPgDatabase() });
  try {
    const engine = await provisionOne(fleet, 'victim');
    const health: number[] = [];
    const audit: number[] = [];
    const seen: number[] = [];
    // Podman answers a kill late (~20 s: it waits on the restart policy); the next kill does not
    // wait for it, the fleet's close does.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < CRASH_RUNS; i++) {
      let kill: () => void;
      if (driver.kind === 'process') {
        const record = JSON.parse(
          readFileSync(join(fleet.dataDir, 'engines', engine.engine_id, 'process.json'), 'utf8'),
        ) as { pid: number };
        kill = () => process.kill(record.pid, 'SIGKILL');
      } else {
        const container = driver.docker.getContainer(`engine-${engine.engine_id}`);
        kill = () => {
          pending.push(container.kill().catch(() => {}));
        };
      }
      const t = await timeRecovery(fleet, engine.url, 'victim', kill);
      health.push(t.healthMs);
      audit.push(t.auditMs);
      seen.push(t.crashSeenMs);
    }
    await Promise.all(pending);
    const restarts = await auditCount(fleet.api, 'victim', 'auto_restart');
    return {
      db: fleet.db,
      runner: fleet.runner,
      runs: CRASH_RUNS,
      kill_to_health_ok_ms: summary(health),
      kill_to_audit_auto_restart_ms: summary(audit),
      kill_to_crash_audited_ms: summary(seen),
      auto_restarts_audited: restarts,
      target: 'p50 <= 1000 ms',
      meets_target: median(health) <= 1000 && median(audit) <= 1000,
    };
  } finally {
    await fleet.close();
  }
}

/** Kill the engine (SIGKILL of the pid / the container), time until it is healthy again. */
export async function benchOrchCrash() {
  const processResult = await crashRun({ kind: 'process' }, [22600, 22699]);
  const docker = await dockerOrSkip();
  const dockerResult =
    typeof docker === 'string'
      ? { skipped: docker }
      : await crashRun({ kind: 'docker', docker }, [22700, 22799]);
  return {
    name: 'orchestratord.crash',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method:
      "orchestratord's bundle in its own process, default health interval (recovery comes from the driver events); /health polled every 5 ms, audit every 10 ms",
    process: processResult,
    docker: dockerResult,
  };
}
