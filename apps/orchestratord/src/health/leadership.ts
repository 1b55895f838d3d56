import type { Logger } from '@agentplane/http-kit';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface LeadershipOptions {
  db: Kysely<Database>;
  /** PGlite belongs to one process: that process always leads. */
  kind: 'postgres' | 'pglite';
  /** Replicas with the same key (ORCH_FLEET_ID) elect one leader among them. */
  key: string;
  /** How often a standby tries to take over, and the leader checks its session. */
  retryMs: number;
  logger: Logger;
  /** Becoming leader: start the fleet-wide loops. */
  onLead: () => Promise<void>;
  /** No longer leader (closing, or the session holding the lock broke): stop them. */
  onLose: () => Promise<void>;
}

/**
 * One leader per fleet for the fleet-wide work (health loop, reconcile, warm pool), so replicas
 * do not probe, restart and reconcile the same engines twice. The leader holds a Postgres
 * session-level advisory lock on one pooled connection for as long as it leads and pings that
 * session every `retryMs`; if the session dies the lock is released by Postgres and a standby
 * takes over within `retryMs`. The API itself is served by every replica.
 */
export function createLeadership(opts: LeadershipOptions) {
  const { logger } = opts;
  let leader = false;
  let closed = false;
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function lead(): Promise<void> {
    leader = true;
    logger.info({ key: opts.key }, 'leading the fleet');
    try {
      await opts.onLead();
    } catch (error) {
      logger.error({ err: error }, 'starting the fleet loops failed');
    }
  }

  async function stepDown(): Promise<void> {
    leader = false;
    logger.info({ key: opts.key }, 'no longer leading the fleet');
    await opts.onLose();
  }

  /** One attempt: take the lock and hold it (returns when no longer leader), or return at once. */
  async function term(onDecided: () => void): Promise<void> {
    await opts.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(hashtext(${opts.key})) as locked`.execute(conn);
      if (rows[0]?.locked !== true) {
        onDecided();
        return;
      }
      await lead();
      onDecided();
      let healthy = true;
      try {
        while (!closed) {
          await pause(opts.retryMs);
          if (!closed) {
            await sql`select 1`.execute(conn);
          }
        }
      } catch (error) {
        healthy = false;
        logger.error({ err: error }, 'the leader session broke; stepping down');
      } finally {
        await stepDown();
        if (healthy) {
          await sql`select pg_advisory_unlock(hashtext(${opts.key}))`.execute(conn).catch(() => {});
        }
      }
    });
  }

  return {
    isLeader: () => leader,
    /** Resolves once this replica knows whether it leads (and, leading, has started the loops). */
    async start(): Promise<void> {
      if (opts.kind === 'pglite') {
        await lead();
        return;
      }
      let decided!: () => void;
      const first = new Promise<void>((resolve) => {
        decided = resolve;
      });
      running = (async () => {
        while (!closed) {
          await term(decided).catch((error: unknown) => {
            decided();
            logger.warn({ err: error }, 'leader election failed; retrying');
          });
          if (!closed) {
            await pause(opts.retryMs);
          }
        }
      })();
      await first;
    },
    async close(): Promise<void> {
      closed = true;
      wake?.();
      await running;
      if (leader) {
        await stepDown();
      }
    },
  };
}
