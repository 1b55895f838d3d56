import { ApiError, type Logger } from '@agentplane/http-kit';
import { type Kysely, sql } from 'kysely';
import type { LockSession } from '../db/lock-session.js';
import type { Database } from '../db/schema.js';
import { createKeyedMutex, type KeyedMutex } from './keyed-mutex.js';

export interface EngineLocksOptions {
  /** Postgres: the replica's lock session. Absent (PGlite, one process): in-process only. */
  session: LockSession | undefined;
  logger: Logger;
  /** How long an operation waits for another replica's operation on the same engine. */
  waitMs: number;
}

// Namespace of the two-int advisory locks (the leader lock uses the one-bigint form).
const LOCK_SPACE = 0x0e61;

const lockArgs = (key: string) => sql`${LOCK_SPACE}, hashtext(${key})`;

/**
 * Per-engine locks across replicas: the in-process keyed mutex, then a Postgres advisory lock on
 * the engine taken with `pg_try_advisory_lock` on the replica's lock session (polled, so one
 * replica's wait never blocks its other engines). A replica that dies takes its session, and so
 * its locks, with it: nothing to expire, nobody waits for a lease timeout. Queries of the
 * operation itself run on the pool as usual.
 */
export function createEngineLocks(opts: EngineLocksOptions): KeyedMutex {
  const local = createKeyedMutex();
  const { session, logger } = opts;
  if (session === undefined) {
    return local;
  }

  async function acquire(conn: Kysely<Database>, key: string): Promise<void> {
    const deadline = Date.now() + opts.waitMs;
    let delay = 5;
    for (;;) {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(${lockArgs(key)}) as locked`.execute(conn);
      if (rows[0]?.locked === true) {
        return;
      }
      if (Date.now() > deadline) {
        throw new ApiError({
          code: 'CONFLICT',
          message: 'Another orchestratord replica is operating on this engine; retry',
        });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(200, delay * 2);
    }
  }

  return {
    busy: local.busy,
    run(key, fn) {
      return local.run(key, async () => {
        const { conn } = await session.acquire(opts.waitMs);
        await acquire(conn, key);
        try {
          return await fn();
        } finally {
          // If the session broke meanwhile, Postgres already dropped the lock.
          await sql`select pg_advisory_unlock(${lockArgs(key)})`
            .execute(conn)
            .catch((error: unknown) => logger.warn({ err: error, key }, 'engine unlock failed'));
        }
      });
    },
  };
}
