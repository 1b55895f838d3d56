import type { ChatMessage } from '@agentplane/agent-loop';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { endRun } from './run-end.js';
import type { ClaimedRun, ClaimResult, RunAgent, RunOutcome } from './run-store.js';

const AGENT_COLUMNS = [
  'agents.id',
  'agents.goal',
  'agents.capabilities',
  'agents.max_steps',
  'agents.model',
  'agents.agent',
  'agents.resources',
  'agents.step_count',
] as const;

/**
 * The usual claim in one statement: a queued (or orphaned running) run with attempts left and
 * no cancel asked is taken, with its agent. Undefined when that is not the case; the caller then
 * takes the careful path, which ends the run or reports it gone.
 */
export async function claimFast(
  db: Kysely<Database>,
  runId: string,
  maxAttempts: number,
): Promise<ClaimedRun | undefined> {
  const row = await db
    .with('r', (qb) =>
      qb
        .updateTable('runs')
        .set((eb) => ({
          attempt: eb('attempt', '+', 1),
          status: 'running',
          started_at: sql`coalesce(started_at, now())`,
        }))
        .where('id', '=', runId)
        .where('status', 'in', ['queued', 'running'])
        .where('cancel_requested_by', 'is', null)
        .where('attempt', '<', maxAttempts)
        .returning(['agent_id', 'run_no', 'message', 'attempt', 'pending']),
    )
    .updateTable('agents')
    .from('r')
    .set({ status: 'running', updated_at: new Date() })
    .whereRef('agents.id', '=', 'r.agent_id')
    .returning([...AGENT_COLUMNS, 'r.run_no', 'r.message', 'r.attempt', 'r.pending'])
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const run = { id: runId, run_no: row.run_no, message: row.message };
  const { step_count, run_no, message, attempt, pending, ...agent } = row;
  // A first run with no step yet (the common case) has nothing else to read.
  const history =
    step_count === 0 && run_no === 1
      ? { messages: [{ role: 'user', content: message }] as ChatMessage[], stepsThisRun: 0 }
      : await readHistory(db, row.id, runId, run_no);
  return {
    kind: 'run',
    attempt,
    agent: agent as RunAgent,
    run,
    history: history.messages,
    stepCount: step_count,
    stepsThisRun: history.stepsThisRun,
    pending,
  };
}

/**
 * The claim that decides: in one transaction, a run cancelled before any worker took it, or one
 * whose workers kept dying, is ended here; one already ended (or unknown) is reported gone.
 */
export function claimSlow(
  db: Kysely<Database>,
  runId: string,
  maxAttempts: number,
): Promise<ClaimResult> {
  return db.transaction().execute(async (tx): Promise<ClaimResult> => {
    const run = await tx
      .selectFrom('runs')
      .selectAll()
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst();
    if (!run || (run.status !== 'queued' && run.status !== 'running')) {
      return { kind: 'gone', status: run?.status ?? 'failed' };
    }
    let outcome: RunOutcome | undefined;
    if (run.cancel_requested_by !== null) {
      outcome = { status: 'cancelled', by: run.cancel_requested_by };
    } else if (run.attempt >= maxAttempts) {
      const message = `the run's worker stopped ${run.attempt} times (AM_RUN_MAX_ATTEMPTS=${maxAttempts})`;
      outcome = { status: 'failed', error: { code: 'WORKER_LOST', message } };
    }
    if (outcome) {
      await endRun(tx, runId, outcome);
      return { kind: 'ended', agentId: run.agent_id, outcome };
    }
    // Claimable after all (it became so since the fast path looked): take it here.
    return (await claimFast(tx, runId, maxAttempts)) ?? { kind: 'gone', status: run.status };
  });
}

/** Earlier runs (their messages and steps), then this run's message and checkpointed steps. */
async function readHistory(db: Kysely<Database>, agentId: string, runId: string, runNo: number) {
  const [runs, steps] = await Promise.all([
    db
      .selectFrom('runs')
      .select(['id', 'message'])
      .where('agent_id', '=', agentId)
      .where('run_no', '<=', runNo)
      .orderBy('run_no')
      .execute(),
    db
      .selectFrom('steps')
      .select(['run_id', 'messages'])
      .where('agent_id', '=', agentId)
      .orderBy('step_id')
      .execute(),
  ]);
  const messages: ChatMessage[] = [];
  for (const past of runs) {
    messages.push({ role: 'user', content: past.message });
    for (const step of steps) {
      if (step.run_id === past.id) {
        messages.push(...step.messages);
      }
    }
  }
  const stepsThisRun = steps.filter((step) => step.run_id === runId).length;
  return { messages, stepsThisRun };
}
