import type { TaskEvent, TaskRequest } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, TaskStatus, TasksTable } from '../db/schema.js';
import { createTaskQueries } from './task-queries.js';

export type TaskRow = Selectable<TasksTable>;
export interface StoredEvent {
  seq: number;
  event: TaskEvent;
}

const TERMINAL: readonly TaskStatus[] = ['completed', 'failed', 'cancelled', 'dropped'];
export const isTerminal = (status: TaskStatus) => TERMINAL.includes(status);

export interface NewTask {
  id: string;
  productId: string;
  userId: string;
  sessionId: string;
  pool: string;
  request: TaskRequest;
  requestHash: string;
  correlationId: string;
}

/** Where admission stands for a pool, read under its queue lock. */
export interface QueueSnapshot {
  queued: number;
  /** Queued tasks dispatched before a newcomer of each class. */
  aheadOf: { interactive: number; batch: number };
  oldestBatch?: string;
}

const rankOf = (priority: TaskRequest['priority']) => (priority === 'interactive' ? 0 : 1);

async function appendIn(
  trx: Transaction<Database>,
  taskId: string,
  events: readonly TaskEvent[],
  guardCancel: boolean,
): Promise<StoredEvent[] | undefined> {
  let q = trx
    .updateTable('tasks')
    .set({ event_count: sql`event_count + ${events.length}` })
    .where('id', '=', taskId);
  if (guardCancel) {
    q = q.where('cancel_requested_at', 'is', null);
  }
  const row = await q.returning('event_count').executeTakeFirst();
  if (row === undefined) {
    return undefined;
  }
  const first = row.event_count - events.length + 1;
  const stored = events.map((event, k) => ({ seq: first + k, event }));
  await trx
    .insertInto('task_events')
    .values(
      stored.map((s) => ({
        task_id: taskId,
        seq: s.seq,
        event: s.event.event,
        data: JSON.stringify(s.event),
      })),
    )
    .execute();
  return stored;
}

/**
 * The relay's writes commit without waiting for the WAL flush (an fsync per token batch was
 * most of the relay's cost). Safe: a batch lost to a database crash takes its engine_seq with
 * it, so the relay that takes the task over replays those events from the engine again.
 */
async function relayCommit(trx: Transaction<Database>): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

/** Every query on tasks and task_events. Status moves are compare-and-set on the current one. */
export function createTaskRepo(db: Kysely<Database>) {
  return {
    ...createTaskQueries(db),

    /**
     * Admission in one transaction under the pool's queue lock: `decide` sees the queue and
     * answers what to do; a drop and the insert (with its `started` event) commit together.
     */
    admit<T>(
      task: NewTask,
      decide: (
        snap: QueueSnapshot,
      ) =>
        | { kind: 'enqueue'; started: TaskEvent; drop?: { id: string; error: TaskEvent } }
        | { kind: 'refuse'; value: T },
      /** Runs in the same transaction after the insert (the session's turn count). */
      alsoIn?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<{ kind: 'enqueued' } | { kind: 'refused'; value: T }> {
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`orchestratord:queue:${task.pool}`}))`.execute(
          trx,
        );
        const counts = await trx
          .selectFrom('tasks')
          .select((eb) => [
            eb.fn.countAll<string>().as('queued'),
            eb.fn.countAll<string>().filterWhere('rank', '=', 0).as('interactive'),
          ])
          .where('pool', '=', task.pool)
          .where('status', '=', 'queued')
          .executeTakeFirstOrThrow();
        const oldestBatch = await trx
          .selectFrom('tasks')
          .select('id')
          .where('pool', '=', task.pool)
          .where('status', '=', 'queued')
          .where('rank', '=', 1)
          .orderBy('queue_seq')
          .limit(1)
          .executeTakeFirst();
        const queued = Number(counts.queued);
        const snap: QueueSnapshot = {
          queued,
          aheadOf: { interactive: Number(counts.interactive), batch: queued },
          oldestBatch: oldestBatch?.id,
        };
        const decision = decide(snap);
        if (decision.kind === 'refuse') {
          return { kind: 'refused', value: decision.value };
        }
        if (decision.drop !== undefined) {
          await trx
            .updateTable('tasks')
            .set({ status: 'dropped', finished_at: new Date() })
            .where('id', '=', decision.drop.id)
            .where('status', '=', 'queued')
            .execute();
          await appendIn(trx, decision.drop.id, [decision.drop.error], false);
        }
        await trx
          .insertInto('tasks')
          .values({
            id: task.id,
            product_id: task.productId,
            user_id: task.userId,
            session_id: task.sessionId,
            pool: task.pool,
            rank: rankOf(task.request.priority),
            status: 'queued',
            request: JSON.stringify(task.request),
            request_hash: task.requestHash,
            correlation_id: task.correlationId,
          })
          .execute();
        await appendIn(trx, task.id, [decision.started], false);
        await alsoIn?.(trx);
        return { kind: 'enqueued' };
      });
    },

    /** The next queued task of `pools` (interactive first, FIFO), moved to running for `replica`. */
    claimNext(pools: readonly string[], replica: string): Promise<TaskRow | undefined> {
      return db
        .updateTable('tasks')
        .set({
          status: 'running',
          claimed_by: replica,
          started_at: sql`now()`,
          heartbeat_at: sql`now()`,
        })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('tasks')
            .select('id')
            .where('status', '=', 'queued')
            .where('pool', 'in', pools)
            // A draining pool dispatches nothing new.
            .where('pool', 'not in', (d) => d.selectFrom('pool_drains').select('pool'))
            .orderBy('rank')
            .orderBy('queue_seq')
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
    },

    /**
     * A running task whose relay stopped beating for `staleMs` (its replica died), taken over by
     * `replica`: its relay resumes from the engine's replay.
     */
    claimStale(
      pools: readonly string[],
      replica: string,
      staleMs: number,
    ): Promise<TaskRow | undefined> {
      return db
        .updateTable('tasks')
        .set({ claimed_by: replica, heartbeat_at: sql`now()` })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('tasks')
            .select('id')
            .where('status', '=', 'running')
            .where('pool', 'in', pools)
            .where('heartbeat_at', '<', sql<Date>`now() - ${`${staleMs} milliseconds`}::interval`)
            .orderBy('rank')
            .orderBy('queue_seq')
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .where('status', '=', 'running')
        .returningAll()
        .executeTakeFirst();
    },

    /** The relays of `ids` are alive (this replica's running tasks). */
    async beat(ids: readonly string[]): Promise<void> {
      if (ids.length > 0) {
        await db
          .updateTable('tasks')
          .set({ heartbeat_at: sql`now()` })
          .where('id', 'in', ids)
          .where('status', '=', 'running')
          .execute();
      }
    },

    /**
     * Appends events in order, unless a cancel was requested (then undefined and nothing
     * written): the cancel's row update and this one serialize on the row, so no event of the
     * relay lands after a cancel was accepted.
     */
    appendUnlessCancelled(
      taskId: string,
      events: readonly TaskEvent[],
      engineSeq: number,
      tokensOut: number,
    ): Promise<StoredEvent[] | undefined> {
      return db.transaction().execute(async (trx) => {
        await relayCommit(trx);
        const stored = await appendIn(trx, taskId, events, true);
        if (stored !== undefined) {
          await trx
            .updateTable('tasks')
            .set({ engine_seq: engineSeq, tokens_out: tokensOut })
            .where('id', '=', taskId)
            .execute();
        }
        return stored;
      });
    },

    /** Moves `from` → `to` and appends the terminal event, together; undefined if not in `from`. */
    finish(
      taskId: string,
      from: TaskStatus,
      to: TaskStatus,
      terminal: TaskEvent,
    ): Promise<StoredEvent[] | undefined> {
      return db.transaction().execute(async (trx) => {
        await relayCommit(trx);
        const moved = await trx
          .updateTable('tasks')
          .set({ status: to, finished_at: new Date() })
          .where('id', '=', taskId)
          .where('status', '=', from)
          .executeTakeFirst();
        if (moved.numUpdatedRows === 0n) {
          return undefined;
        }
        return appendIn(trx, taskId, [terminal], false);
      });
    },

    /** Marks a running task's cancel (idempotent); false when it is not running. */
    async requestCancel(taskId: string): Promise<boolean> {
      const r = await db
        .updateTable('tasks')
        .set({ cancel_requested_at: sql`coalesce(cancel_requested_at, now())` })
        .where('id', '=', taskId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    /** A drain's deadline passed: every running task of `pool` is asked to stop. */
    async requestCancelInPool(pool: string): Promise<void> {
      await db
        .updateTable('tasks')
        .set({ cancel_requested_at: sql`coalesce(cancel_requested_at, now())` })
        .where('pool', '=', pool)
        .where('status', '=', 'running')
        .execute();
    },
  };
}
export type TaskRepo = ReturnType<typeof createTaskRepo>;
