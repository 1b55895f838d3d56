import type { Logger } from '@agentplane/http-kit';
import { sql } from 'kysely';
import type { HeldSession, LockSession } from '../db/lock-session.js';

export interface LeadershipOptions {
  /** Postgres: the replica's lock session. Absent (PGlite, one process): this process leads. */
  session: LockSession | undefined;
  /** Replicas with the same key (ORCH_FLEET_ID) elect one leader among them. */
  key: string;
  /** How often a standby tries to take over (and the leader checks it still holds the lock). */
  retryMs: number;
  logger: Logger;
  /** Becoming leader: start the fleet-wide loops. */
  onLead: () => Promise<void>;
  /** No longer leader (closing, or the session holding the lock broke): stop them. */
  onLose: () => Promise<void>;
}

/**
 * One leader per fleet for the fleet-wide work (health loop, reconcile, warm pool), so replicas
 * do not probe, restart and reconcile the same engines twice. The leader holds a session-level
 * advisory lock on its lock session; if that session dies, Postgres releases the lock, the
 * session's generation changes, this replica steps down, and a standby (or this replica, on its
 * new session) takes over within `retryMs`. The API itself is served by every replica.
 */
export function createLeadership(opts: LeadershipOptions) {
  const { logger, session } = opts;
  // The session generation the lock was taken on; undefined while not leading.
  let leadingOn: number | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  async function lead(): Promise<void> {
    logger.info({ key: opts.key }, 'leading the fleet');
    try {
      await opts.onLead();
    } catch (error) {
      logger.error({ err: error }, 'starting the fleet loops failed');
    }
  }

  async function stepDown(): Promise<void> {
    leadingOn = undefined;
    logger.info({ key: opts.key }, 'no longer leading the fleet');
    await opts.onLose();
  }

  async function tryLead(held: HeldSession): Promise<void> {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(hashtext(${opts.key})) as locked`.execute(held.conn);
    if (rows[0]?.locked === true) {
      leadingOn = held.generation;
      await lead();
    }
  }

  /** One check: step down if the session the lock was on is gone, else try to take it. */
  async function check(): Promise<void> {
    const held = session?.current();
    if (leadingOn !== undefined && held?.generation !== leadingOn) {
      logger.error({ key: opts.key }, 'the leader session broke; stepping down');
      await stepDown();
    }
    if (leadingOn === undefined && held !== undefined && !closed) {
      await tryLead(held).catch((error: unknown) =>
        logger.warn({ err: error }, 'leader election failed; retrying'),
      );
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      checking = check().finally(() => {
        checking = undefined;
        if (!closed) {
          schedule();
        }
      });
    }, opts.retryMs);
    timer.unref();
  }

  return {
    isLeader: () => leadingOn !== undefined,
    /** Resolves once this replica knows whether it leads (and, leading, has started the loops). */
    async start(): Promise<void> {
      if (session === undefined) {
        leadingOn = 0;
        await lead();
        return;
      }
      const held = await session.acquire(opts.retryMs).catch(() => undefined);
      if (held !== undefined) {
        await tryLead(held).catch((error: unknown) =>
          logger.warn({ err: error }, 'leader election failed; retrying'),
        );
      }
      schedule();
    },
    /** Stops the loops and gives the lock up (closing the session would release it too). */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await checking;
      if (leadingOn === undefined) {
        return;
      }
      const held = session?.current();
      const generation = leadingOn;
      await stepDown();
      if (held !== undefined && held.generation === generation) {
        await sql`select pg_advisory_unlock(hashtext(${opts.key}))`
          .execute(held.conn)
          .catch(() => {});
      }
    },
  };
}
