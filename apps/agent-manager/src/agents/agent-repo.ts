import { createHash } from 'node:crypto';
import type {
  AgentResources,
  AgentStatus,
  AgentSummary,
  AgentView,
  CreateAgentRequestBody,
} from '@agentplane/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, RunsTable } from '../db/schema.js';
import { newId } from '../ids.js';
import { selectView, toSummary } from './agent-views.js';

export interface NewAgent {
  owner: string;
  body: CreateAgentRequestBody;
  model: string;
}

export type CreateResult =
  | { kind: 'created' | 'existing'; agentId: string }
  | { kind: 'mismatch'; agentId: string };

export type StartResult =
  | { kind: 'started'; runId: string; resources: AgentResources | null }
  | { kind: 'not_found' }
  | { kind: 'busy'; status: AgentStatus };

export type CancelResult =
  | { kind: 'not_found' }
  | { kind: 'idle'; status: AgentStatus }
  /** A queued run was cancelled here; no worker will take it. */
  | { kind: 'cancelled_queued'; runId: string }
  /** A running run was asked to stop; its worker ends it. */
  | { kind: 'requested'; runId: string };

export interface ListOptions {
  status?: AgentStatus;
  cursor?: string;
  limit: number;
}

const ACTIVE: readonly AgentStatus[] = ['queued', 'running'];

function requestHash(body: CreateAgentRequestBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

function agentRow(input: NewAgent, idempotencyKey: string | undefined) {
  const { body } = input;
  return {
    id: newId('agent'),
    owner: input.owner,
    goal: body.goal,
    capabilities: JSON.stringify(body.capabilities),
    max_steps: body.max_steps,
    resources: body.resources === undefined ? null : JSON.stringify(body.resources),
    agent: body.agent ?? null,
    model: body.model ?? input.model,
    status: 'created' as const,
    idempotency_key: idempotencyKey ?? null,
    request_hash: idempotencyKey === undefined ? null : requestHash(body),
    usage: JSON.stringify({ input_tokens: 0, output_tokens: 0, cache_hit_tokens: 0 }),
  };
}

/** The agents API's queries: it owns the SQL on `agents` and the API side of `runs`. */
export function createAgentRepo(db: Kysely<Database>) {
  return {
    /** One agent; a known Idempotency-Key (per owner) returns the agent it created. */
    async create(input: NewAgent, idempotencyKey?: string): Promise<CreateResult> {
      const row = agentRow(input, idempotencyKey);
      const inserted = await db
        .insertInto('agents')
        .values(row)
        .onConflict((oc) => oc.columns(['owner', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        return { kind: 'created', agentId: inserted.id };
      }
      const existing = await db
        .selectFrom('agents')
        .select(['id', 'request_hash'])
        .where('owner', '=', input.owner)
        .where('idempotency_key', '=', idempotencyKey ?? null)
        .executeTakeFirstOrThrow();
      return existing.request_hash === row.request_hash
        ? { kind: 'existing', agentId: existing.id }
        : { kind: 'mismatch', agentId: existing.id };
    },

    /** Every agent in one statement: all or none. */
    async createMany(inputs: readonly NewAgent[]): Promise<string[]> {
      const rows = inputs.map((input) => agentRow(input, undefined));
      await db.insertInto('agents').values(rows).execute();
      return rows.map((row) => row.id);
    },

    /** The agent with its current run and that run's steps: one round trip (a hot read). */
    view: (agentId: string): Promise<AgentView | undefined> => selectView(db, agentId),

    /** Newest first; the cursor is the last id of the previous page (ids sort by time). */
    async list(
      options: ListOptions,
    ): Promise<{ agents: AgentSummary[]; nextCursor: string | null }> {
      let query = db
        .selectFrom('agents')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(options.limit + 1);
      if (options.status !== undefined) {
        query = query.where('status', '=', options.status);
      }
      if (options.cursor !== undefined) {
        query = query.where('id', '<', options.cursor);
      }
      const rows = await query.execute();
      const page = rows.slice(0, options.limit);
      const more = rows.length > options.limit;
      return { agents: page.map(toSummary), nextCursor: more ? (page.at(-1)?.id ?? null) : null };
    },

    async exists(agentId: string): Promise<Selectable<Database['agents']> | undefined> {
      return db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
    },

    /**
     * Queues a new run of an idle agent in one statement (the agent row is updated, which locks
     * it, then its run is inserted); a busy or unknown agent is told apart afterwards.
     */
    async startRun(agentId: string, message: string | undefined): Promise<StartResult> {
      for (;;) {
        const runId = newId('run');
        const started = await db
          .with('a', (qb) =>
            qb
              .updateTable('agents')
              .set((eb) => ({
                status: 'queued',
                current_run_id: runId,
                run_count: eb('run_count', '+', 1),
                error: null,
                updated_at: new Date(),
              }))
              .where('id', '=', agentId)
              .where('status', 'not in', ACTIVE)
              .returning(['id', 'run_count', 'goal', 'resources']),
          )
          .with('r', (qb) =>
            qb
              .insertInto('runs')
              .columns(['id', 'agent_id', 'run_no', 'status', 'message'])
              .expression((eb) =>
                eb
                  .selectFrom('a')
                  .select([
                    sql<string>`${runId}`.as('id'),
                    'a.id',
                    'a.run_count',
                    sql<string>`'queued'`.as('status'),
                    sql<string>`coalesce(${message ?? null}::text, a.goal)`.as('message'),
                  ]),
              )
              .returning('id'),
          )
          .selectFrom(['r', 'a'])
          .select(['r.id', 'a.resources'])
          .executeTakeFirst();
        if (started) {
          return { kind: 'started', runId, resources: started.resources } as const;
        }
        const agent = await db
          .selectFrom('agents')
          .select('status')
          .where('id', '=', agentId)
          .executeTakeFirst();
        if (!agent) {
          return { kind: 'not_found' } as const;
        }
        if (ACTIVE.includes(agent.status)) {
          return { kind: 'busy', status: agent.status } as const;
        }
        // It became idle between the two statements (a run just ended): try again.
      }
    },

    /**
     * Cancels a queued run at once; asks a running one to stop (its worker writes the end). Locks
     * the run before its agent, the order every worker write takes (claim, checkpoint, end):
     * the opposite order deadlocked against checkpoints under load (40P01).
     */
    async requestCancel(agentId: string, by: string): Promise<CancelResult> {
      for (;;) {
        const seen = await db
          .selectFrom('agents')
          .select('current_run_id')
          .where('id', '=', agentId)
          .executeTakeFirst();
        if (!seen) {
          return { kind: 'not_found' };
        }
        const result = await db.transaction().execute(async (tx) => {
          const run =
            seen.current_run_id === null
              ? undefined
              : await tx
                  .selectFrom('runs')
                  .select('status')
                  .where('id', '=', seen.current_run_id)
                  .forUpdate()
                  .executeTakeFirst();
          const agent = await tx
            .selectFrom('agents')
            .select(['status', 'current_run_id'])
            .where('id', '=', agentId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const runId = agent.current_run_id;
          if (runId !== seen.current_run_id) {
            return undefined; // A start slipped in between: read again.
          }
          if (runId === null || run === undefined || !ACTIVE.includes(agent.status)) {
            return { kind: 'idle', status: agent.status } as const;
          }
          if (run.status === 'queued') {
            await finishQueued(tx, agentId, runId, by);
            return { kind: 'cancelled_queued', runId } as const;
          }
          await tx
            .updateTable('runs')
            .set({ cancel_requested_by: by })
            .where('id', '=', runId)
            .execute();
          return { kind: 'requested', runId } as const;
        });
        if (result !== undefined) {
          return result;
        }
      }
    },

    /** A run no worker will ever take (the queue refused it). */
    async failRun(agentId: string, runId: string, error: { code: string; message: string }) {
      await db.transaction().execute(async (tx) => {
        const now = new Date();
        const json = JSON.stringify(error);
        await tx
          .updateTable('runs')
          .set({ status: 'failed', error: json, ended_at: now })
          .where('id', '=', runId)
          .execute();
        await tx
          .updateTable('agents')
          .set({ status: 'failed', error: json, updated_at: now })
          .where('id', '=', agentId)
          .execute();
      });
    },

    /** Runs a restarted service must hand to workers again (the in-process queue forgot them). */
    async activeRuns(): Promise<Array<Pick<Selectable<RunsTable>, 'id' | 'agent_id'>>> {
      return db
        .selectFrom('runs')
        .select(['id', 'agent_id'])
        .where('status', 'in', ['queued', 'running'])
        .orderBy('queued_at')
        .execute();
    },

    async countByStatus(): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom('agents')
        .select(['status', db.fn.countAll<string>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },
  };
}
export type AgentRepo = ReturnType<typeof createAgentRepo>;

async function finishQueued(tx: Kysely<Database>, agentId: string, runId: string, by: string) {
  const now = new Date();
  await tx
    .updateTable('runs')
    .set({ status: 'cancelled', cancelled_by: by, cancel_requested_by: by, ended_at: now })
    .where('id', '=', runId)
    .execute();
  await tx
    .updateTable('agents')
    .set({ status: 'cancelled', updated_at: now })
    .where('id', '=', agentId)
    .execute();
}
