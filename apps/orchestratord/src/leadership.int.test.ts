import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterAll,
  postgresAndDir,
  startTestOrchestrator,
  type TestOrchestrator,
} from './test-orchestrator.js';

// Replicas of one fleet on one Postgres: exactly one runs the fleet-wide loops, and another takes
// over when it stops or its database session dies.

const cleanup = cleanupAfterAll();

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    expect(Date.now(), what).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leader election between orchestratord replicas', () => {
  it('one leader at a time; a standby takes over on close and on a broken session', async (ctx) => {
    const { db, dir: tmp } = await postgresAndDir(ctx, cleanup, 'orch-leader-');
    const env = {
      ORCH_DRIVER: 'process',
      ORCH_FLEET_ID: `lead-${randomBytes(4).toString('hex')}`,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_DATA_DIR: tmp.path,
      ORCH_HEALTH_INTERVAL_MS: '200',
      ORCH_PORT_MIN: '24200',
      ORCH_PORT_MAX: '24249',
    };
    const replica = async () => {
      const r = await startTestOrchestrator({ db: db.db, dbKind: 'postgres', env });
      cleanup(() => r.close());
      return r;
    };
    const leaders = (rs: TestOrchestrator[]) => rs.filter((r) => r.orchestrator.isLeader());

    const a = await replica();
    const b = await replica();
    expect(a.orchestrator.isLeader()).toBe(true);
    expect(b.orchestrator.isLeader()).toBe(false);
    const gauge = async (r: TestOrchestrator) =>
      /^orchestratord_leader (\d)$/m.exec(await (await fetch(`${r.baseUrl}/metrics`)).text())?.[1];
    expect(await gauge(a)).toBe('1');
    expect(await gauge(b)).toBe('0');

    // The leader stops: the standby takes over.
    await a.close();
    await until('b leads after a closed', () => b.orchestrator.isLeader());

    // The leader's database session dies (the lock goes with it): exactly one replica leads again.
    const c = await replica();
    expect(c.orchestrator.isLeader()).toBe(false);
    await sql`
      select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and granted and pid <> pg_backend_pid()
        and database = (select oid from pg_database where datname = current_database())`.execute(
      db.db,
    );
    await until('a leader after the session broke', () => leaders([b, c]).length === 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(leaders([b, c])).toHaveLength(1);
  }, 60_000);
});
