import type { TaskEvent, TaskRequest } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { type Database, DB_SCHEMA, type TaskStatus, type TasksTable } from '../db/schema.js';
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
  /** The pool is draining (pool_drains): nothing is admitted. */
  draining: boolean;
  /** Queued tasks dispatched before a newcomer of each class. */
  aheadOf: { interactive: number; batch: number };
  oldestBatch?: string;
}

const rankOf = (priority: TaskRequest['priority']) => (priority === 'interactive' ? 0 : 1);

/** Task-row changes made with an append (all in its one statement). */
interface AppendOptions {
  /** Refuse (undefined) once a cancel was accepted: the relay's batches. */
  guardCancel: boolean;
  /** Only while the task is in this status; moved to `to` (a terminal append). */
  move?: { from: TaskStatus; to: TaskStatus };
  /** The relay's position, for a takeover (engine_seq, tokens_out). */
  progress?: { engineSeq: number; tokensOut: number };
  /** The relay's writes: commit without waiting for the WAL flush (see appendEvents). */
  asyncCommit?: boolean;
}

/**
 * Appends `events` to a task's log in ONE statement (its own transaction): the task row is
 * locked and its event_count bumped (giving the seqs), the events inserted, and what `opts`
 * asks changed, or nothing at all when the row does not qualify. One round trip instead of a
 * transaction's six: the relay writes one per batch of tokens, so this is its cost.
 *
 * With `asyncCommit` (the relay's writes), `synchronous_commit` is off for it (set_config local
 * to its transaction; an fsync per token batch was most of the relay's cost): a batch lost to a
 * database crash takes its engine_seq with it, so the relay that takes the task over replays
 * those events from the engine again. Inside a caller's transaction (admission) it is part of
 * that transaction.
 */
async function appendEvents(
  db: Kysely<Database>,
  taskId: string,
  events: readonly TaskEvent[],
  opts: AppendOptions,
): Promise<StoredEvent[] | undefined> {
  const n = events.length;
  const sets = [sql`event_count = event_count + ${n}`];
  const where = [sql`id = ${taskId}`];
  if (opts.guardCancel) {
    where.push(sql`cancel_requested_at is null`);
  }
  if (opts.move !== undefined) {
    sets.push(sql`status = ${opts.move.to}`, sql`finished_at = now()`);
    where.push(sql`status = ${opts.move.from}`);
  }
  if (opts.progress !== undefined) {
    sets.push(
      sql`engine_seq = ${opts.progress.engineSeq}`,
      sql`tokens_out = ${opts.progress.tokensOut}`,
    );
  }
  // Raw SQL (a data-modifying CTE): kysely's withSchema does not reach into it, so the schema
  // is named here.
  const result = await sql<{ event_count: number }>`
    with cfg as (
      select set_config('synchronous_commit', 'off', true) where ${opts.asyncCommit === true}
    ),
    bumped as (
      update ${sql.table(`${DB_SCHEMA}.tasks`)} set ${sql.join(sets)}
      where ${sql.join(where, sql` and `)}
      returning event_count
    ),
    inserted as (
      insert into ${sql.table(`${DB_SCHEMA}.task_events`)} (task_id, seq, event, data)
      select ${taskId}, b.event_count - ${n} + e.ord::int, e.data->>'event', e.data
      from bumped b
      cross join jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(data, ord)
    )
    select b.event_count from bumped b left join cfg on true`.execute(db);
  const row = result.rows[0];
  if (row === undefined) {
    return undefined;
  }
  const first = row.event_count - n + 1;
  return events.map((event, k) => ({ seq: first + k, event }));
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
        // One read under the lock: the queue's size by class, its oldest batch task, a drain.
        const counts = await trx
          .selectFrom('tasks')
          .select((eb) => [
            eb.fn.countAll<string>().as('queued'),
            eb.fn.countAll<string>().filterWhere('rank', '=', 0).as('interactive'),
            eb
              .selectFrom('tasks as o')
              .select('o.id')
              .where('o.pool', '=', task.pool)
              .where('o.status', '=', 'queued')
              .where('o.rank', '=', 1)
              .orderBy('o.queue_seq')
              .limit(1)
              .as('oldest_batch'),
            eb
              .exists(eb.selectFrom('pool_drains').select('pool').where('pool', '=', task.pool))
              .as('draining'),
          ])
          .where('pool', '=', task.pool)
          .where('status', '=', 'queued')
          .executeTakeFirstOrThrow();
        const queued = Number(counts.queued);
        const snap: QueueSnapshot = {
          queued,
          aheadOf: { interactive: Number(counts.interactive), batch: queued },
          oldestBatch: counts.oldest_batch ?? undefined,
          draining: Boolean(counts.draining),
        };
        const decision = decide(snap);
        if (decision.kind === 'refuse') {
          return { kind: 'refused', value: decision.value };
        }
        if (decision.drop !== undefined) {
          await appendEvents(trx, decision.drop.id, [decision.drop.error], {
            guardCancel: false,
            move: { from: 'queued', to: 'dropped' },
          });
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
        await appendEvents(trx, task.id, [decision.started], { guardCancel: false });
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
      return appendEvents(db, taskId, events, {
        guardCancel: true,
        progress: { engineSeq, tokensOut },
        asyncCommit: true,
      });
    },

    /** Moves `from` → `to` and appends the terminal event, together; undefined if not in `from`. */
    finish(
      taskId: string,
      from: TaskStatus,
      to: TaskStatus,
      terminal: TaskEvent,
    ): Promise<StoredEvent[] | undefined> {
      return appendEvents(db, taskId, [terminal], {
        guardCancel: false,
        move: { from, to },
        asyncCommit: true,
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
