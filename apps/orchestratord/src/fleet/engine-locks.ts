import { ApiError, type Logger } from '@agentplane/http-kit';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { createKeyedMutex, type KeyedMutex } from './keyed-mutex.js';

export interface EngineLocksOptions {
  db: Kysely<Database>;
  /** PGlite has one process: the in-process mutex is the whole lock. */
  kind: 'postgres' | 'pglite';
  logger: Logger;
  /** How long an operation waits for another replica's operation on the same engine. */
  waitMs: number;
}

// Namespace of the two-int advisory locks (the leader lock uses the one-bigint form).
const LOCK_SPACE = 0x0e61;

type Session = Kysely<Database>;

/**
 * Per-engine locks across replicas: the in-process keyed mutex, then a Postgres session-level
 * advisory lock taken with `pg_try_advisory_lock` (polled, so one replica's waits never block its
 * other engines) on one session this replica holds for its whole life. A replica that dies takes
 * its session, and so its locks, with it: nothing to expire, nobody waits for a lease timeout.
 * Queries of the operation itself run on the pool as usual (no connection is held per lock).
 */
export function createEngineLocks(opts: EngineLocksOptions) {
  const local = createKeyedMutex();
  const { logger } = opts;
  let session: Session | undefined;
  let waiting: Array<(s: Session) => void> = [];
  let closed = false;
  let release: (() => void) | undefined;
  let holder: Promise<void> | undefined;

  /** Holds one pooled connection as the lock session; reopens it if it breaks. */
  async function hold(): Promise<void> {
    while (!closed) {
      try {
        await opts.db.connection().execute(async (conn) => {
          await sql`select 1`.execute(conn);
          session = conn;
          for (const wake of waiting.splice(0)) {
            wake(conn);
          }
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        });
      } catch (error) {
        logger.error({ err: error }, 'the engine-lock session broke; reopening');
      }
      session = undefined;
      if (!closed) {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  function currentSession(): Promise<Session> {
    if (session !== undefined) {
      return Promise.resolve(session);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = waiting.filter((w) => w !== wake);
        reject(
          new ApiError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable' }),
        );
      }, opts.waitMs);
      const wake = (s: Session) => {
        clearTimeout(timer);
        resolve(s);
      };
      waiting.push(wake);
    });
  }

  const lockArgs = (key: string) => sql`${LOCK_SPACE}, hashtext(${key})`;

  async function acquire(conn: Session, key: string): Promise<void> {
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

  const mutex: KeyedMutex = {
    busy: local.busy,
    run(key, fn) {
      if (opts.kind === 'pglite') {
        return local.run(key, fn);
      }
      return local.run(key, async () => {
        const conn = await currentSession();
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

  return {
    mutex,
    start(): void {
      if (opts.kind === 'postgres') {
        holder = hold();
      }
    },
    async close(): Promise<void> {
      closed = true;
      release?.();
      await holder;
    },
  };
}
