import { ApiError, type Logger } from '@agentplane/http-kit';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The session a replica holds its advisory locks on; `generation` changes when it reopens. */
export interface HeldSession {
  conn: Kysely<Database>;
  generation: number;
}

export interface LockSessionOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** How often the session is pinged (a broken one is found and reopened within this). */
  pingMs: number;
}

/**
 * One pooled Postgres connection a replica holds for its whole life, for session-level advisory
 * locks (the fleet leader's, the per-engine ones). If the session dies, Postgres releases every
 * lock on it at once; the ping finds out, a new session opens, and `generation` tells the lock
 * holders that what they held is gone.
 */
export function createLockSession(opts: LockSessionOptions) {
  const { logger } = opts;
  let held: HeldSession | undefined;
  let generation = 0;
  let waiting: Array<(h: HeldSession) => void> = [];
  let closed = false;
  let wake: (() => void) | undefined;
  let holder: Promise<void> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function hold(): Promise<void> {
    while (!closed) {
      try {
        await opts.db.connection().execute(async (conn) => {
          await sql`select 1`.execute(conn);
          generation += 1;
          held = { conn, generation };
          for (const resolve of waiting.splice(0)) {
            resolve(held);
          }
          while (!closed) {
            await pause(opts.pingMs);
            if (!closed) {
              await sql`select 1`.execute(conn);
            }
          }
        });
      } catch (error) {
        logger.error({ err: error }, 'the lock session broke; reopening');
      }
      held = undefined;
      if (!closed) {
        await pause(500);
      }
    }
  }

  return {
    /** The held session now, if one is open. */
    current: (): HeldSession | undefined => held,
    /** The held session, waiting up to `timeoutMs` for one (503 SERVICE_UNAVAILABLE after). */
    acquire(timeoutMs: number): Promise<HeldSession> {
      if (held !== undefined) {
        return Promise.resolve(held);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = waiting.filter((w) => w !== ready);
          reject(
            new ApiError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable' }),
          );
        }, timeoutMs);
        const ready = (h: HeldSession) => {
          clearTimeout(timer);
          resolve(h);
        };
        waiting.push(ready);
      });
    },
    start(): void {
      holder ??= hold();
    },
    /** Ends the session (and so every lock still on it). */
    async close(): Promise<void> {
      closed = true;
      wake?.();
      await holder;
    },
  };
}
export type LockSession = ReturnType<typeof createLockSession>;
