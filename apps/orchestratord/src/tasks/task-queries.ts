import type { TaskEvent } from '@agentplane/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StoredEvent, TaskRow } from './task-repo.js';

/** The reads of tasks and task_events (createTaskRepo spreads them into the repository). */
export function createTaskQueries(db: Kysely<Database>) {
  return {
    byId(productId: string, id: string): Promise<TaskRow | undefined> {
      return db
        .selectFrom('tasks')
        .selectAll()
        .where('id', '=', id)
        .where('product_id', '=', productId)
        .executeTakeFirst();
    },

    /** Of `ids` (this replica's running tasks), those whose cancel was requested. */
    async cancelRequested(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) {
        return [];
      }
      const rows = await db
        .selectFrom('tasks')
        .select('id')
        .where('id', 'in', ids)
        .where('cancel_requested_at', 'is not', null)
        .execute();
      return rows.map((r) => r.id);
    },

    async queuedIn(pool: string): Promise<string[]> {
      const rows = await db
        .selectFrom('tasks')
        .select('id')
        .where('pool', '=', pool)
        .where('status', '=', 'queued')
        .execute();
      return rows.map((r) => r.id);
    },

    async depths(): Promise<{ pool: string; priority: string; n: number }[]> {
      const rows = await db
        .selectFrom('tasks')
        .select(['pool', 'rank', (eb) => eb.fn.countAll<string>().as('n')])
        .where('status', '=', 'queued')
        .groupBy(['pool', 'rank'])
        .execute();
      return rows.map((r) => ({
        pool: r.pool,
        priority: r.rank === 0 ? 'interactive' : 'batch',
        n: Number(r.n),
      }));
    },

    /** The last failure of a task in `pool` within the hour, for its health. */
    async lastError(pool: string): Promise<string | null> {
      const row = await db
        .selectFrom('task_events')
        .innerJoin('tasks', 'tasks.id', 'task_events.task_id')
        .select(sql<string>`task_events.data->>'message'`.as('message'))
        .where('tasks.pool', '=', pool)
        .where('tasks.status', '=', 'failed')
        .where('task_events.event', '=', 'error')
        .where('tasks.finished_at', '>', sql<Date>`now() - interval '1 hour'`)
        .orderBy('tasks.finished_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.message ?? null;
    },

    async eventsAfter(taskId: string, after: number): Promise<StoredEvent[]> {
      const rows = await db
        .selectFrom('task_events')
        .select(['seq', 'data'])
        .where('task_id', '=', taskId)
        .where('seq', '>', after)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({ seq: r.seq, event: r.data as unknown as TaskEvent }));
    },

    async queueDepth(pool: string): Promise<number> {
      const r = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('pool', '=', pool)
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
