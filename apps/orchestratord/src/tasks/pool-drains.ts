import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, PoolDrainsTable } from '../db/schema.js';

export type DrainRow = Selectable<PoolDrainsTable>;

/**
 * Every query on pool_drains, and the drain's effect on tasks: past its deadline a draining
 * pool's running tasks get their cancel requested (their relays, on whatever replica, end them)
 * and its queued ones fail with POOL_UNAVAILABLE.
 */
export function createPoolDrains(db: Kysely<Database>) {
  return {
    async start(pool: string, deadlineMs: number): Promise<void> {
      const at = sql<Date>`now() + ${`${deadlineMs} milliseconds`}::interval`;
      await db
        .insertInto('pool_drains')
        .values({ pool, deadline_at: at })
        .onConflict((oc) => oc.column('pool').doUpdateSet({ deadline_at: at, expired: false }))
        .execute();
    },
    async end(pool: string): Promise<void> {
      await db.deleteFrom('pool_drains').where('pool', '=', pool).execute();
    },
    of(pool: string): Promise<DrainRow | undefined> {
      return db.selectFrom('pool_drains').selectAll().where('pool', '=', pool).executeTakeFirst();
    },
    async draining(): Promise<Set<string>> {
      const rows = await db.selectFrom('pool_drains').select('pool').execute();
      return new Set(rows.map((r) => r.pool));
    },
    /** Pools whose deadline just passed (each returned once, by whichever replica saw it). */
    async takeExpired(): Promise<string[]> {
      const rows = await db
        .updateTable('pool_drains')
        .set({ expired: true })
        .where('expired', '=', false)
        .where('deadline_at', '<=', sql<Date>`now()`)
        .returning('pool')
        .execute();
      return rows.map((r) => r.pool);
    },
  };
}
