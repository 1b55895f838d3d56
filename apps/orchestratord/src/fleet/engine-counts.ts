import type { EngineStatus } from '@agentplane/contracts';
import type { Kysely } from 'kysely';
import { type Database, WARM_PRODUCT_ID } from '../db/schema.js';

/** The counting queries on `engines` (/status, /metrics); part of EngineRepo. */
export function engineCounts(db: Kysely<Database>) {
  return {
    async countsByStatus(productId: string): Promise<Map<EngineStatus, number>> {
      const rows = await db
        .selectFrom('engines')
        .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
        .where('product_id', '=', productId)
        .groupBy('status')
        .execute();
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    },

    async countsByPool(productId: string): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('engines')
        .select(['pool', (eb) => eb.fn.countAll<string>().as('n')])
        .where('product_id', '=', productId)
        .groupBy('pool')
        .execute();
      return new Map(rows.map((r) => [r.pool, Number(r.n)]));
    },

    /** Running engines of a product whose last probe passed (healthy) or failed (degraded). */
    async runningHealth(productId: string): Promise<{ healthy: number; degraded: number }> {
      const row = await db
        .selectFrom('engines')
        .select([
          (eb) => eb.fn.countAll<string>().filterWhere('health_failures', '=', 0).as('healthy'),
          (eb) => eb.fn.countAll<string>().filterWhere('health_failures', '>', 0).as('degraded'),
        ])
        .where('product_id', '=', productId)
        .where('status', '=', 'running')
        .executeTakeFirstOrThrow();
      return { healthy: Number(row.healthy), degraded: Number(row.degraded) };
    },

    /** Engines of every product by status, pool and whether they wait in the warm pool. */
    async fleetCounts(): Promise<
      { status: EngineStatus; pool: string; warm: boolean; n: number }[]
    > {
      const rows = await db
        .selectFrom('engines')
        .select([
          'status',
          'pool',
          (eb) => eb('product_id', '=', WARM_PRODUCT_ID).as('warm'),
          (eb) => eb.fn.countAll<string>().as('n'),
        ])
        .groupBy(['status', 'pool', 'warm'])
        .execute();
      return rows.map((r) => ({
        status: r.status,
        pool: r.pool,
        warm: Boolean(r.warm),
        n: Number(r.n),
      }));
    },

    /** Running engines (all products) whose last probe failed. */
    async unhealthyRunning(): Promise<number> {
      const row = await db
        .selectFrom('engines')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'running')
        .where('health_failures', '>', 0)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
