import type { ChatMessage } from '@agentplane/agent-loop';
import type {
  AgentResources,
  AgentStatus,
  Capability,
  TokenUsage,
  ToolCallRecord,
} from '@agentplane/contracts';
import type { Kysely } from 'kysely';
import type { AgentError, Database, PendingStep } from '../db/schema.js';

/** What a worker needs of an agent to run it. */
export interface RunAgent {
  id: string;
  goal: string;
  capabilities: Capability[];
  max_steps: number;
  model: string;
  agent: string | null;
  resources: AgentResources | null;
}

export interface ClaimedRun {
  kind: 'run';
  /** This worker's claim number: the fencing token of every write it makes. */
  attempt: number;
  agent: RunAgent;
  run: { id: string; run_no: number; message: string };
  /** Earlier runs (their messages and steps), then this run's message and checkpointed steps. */
  history: ChatMessage[];
  /** Steps checkpointed over the agent's whole history. */
  stepCount: number;
  stepsThisRun: number;
  pending: PendingStep | null;
}

export type ClaimResult =
  | ClaimedRun
  | { kind: 'gone'; status: AgentStatus }
  /** Ended here at claim time; the worker announces the end. */
  | { kind: 'ended'; agentId: string; outcome: RunOutcome };

export interface StepCheckpoint {
  stepId: number;
  status: 'ok' | 'error';
  output: string;
  messages: ChatMessage[];
  toolCalls: ToolCallRecord[];
  usage: TokenUsage;
  startedAt: string;
  durationMs: number;
}

export type RunOutcome =
  | { status: 'completed'; output: string; stopReason: 'end_turn' | 'max_steps' }
  | { status: 'failed'; error: AgentError }
  | { status: 'cancelled'; by: string };

export interface RecordedToolResult {
  output: unknown;
  error: AgentError | null;
  durationMs: number;
}

/** A write by a worker whose claim was superseded (another worker took the run): it must stop. */
export class FencedError extends Error {
  readonly code = 'FENCED';
}

/**
 * The worker side of runs: claims, checkpoints and ends. Every method takes and returns plain
 * JSON, so the embedded path can serve it to worker processes over IPC unchanged.
 */
export interface RunStore {
  claim(runId: string, maxAttempts: number): Promise<ClaimResult>;
  savePending(runId: string, attempt: number, pending: PendingStep): Promise<void>;
  saveStep(runId: string, attempt: number, step: StepCheckpoint): Promise<void>;
  recordToolResult(
    agentId: string,
    toolCallId: string,
    tool: string,
    result: RecordedToolResult,
  ): Promise<void>;
  toolResult(agentId: string, toolCallId: string): Promise<RecordedToolResult | null>;
  cancelRequestedBy(runId: string): Promise<string | null>;
  finish(runId: string, attempt: number, outcome: RunOutcome): Promise<void>;
}

function usageSum(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_hit_tokens: a.cache_hit_tokens + b.cache_hit_tokens,
  };
}

export function createRunStore(db: Kysely<Database>): RunStore {
  const fencedRun = (tx: Kysely<Database>, runId: string, attempt: number) =>
    tx
      .selectFrom('runs')
      .select(['agent_id', 'usage'])
      .where('id', '=', runId)
      .where('attempt', '=', attempt)
      .where('status', '=', 'running')
      .forUpdate()
      .executeTakeFirst();

  return {
    async claim(runId, maxAttempts) {
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
        if (run.cancel_requested_by !== null) {
          const outcome: RunOutcome = { status: 'cancelled', by: run.cancel_requested_by };
          await endRun(tx, run.agent_id, runId, outcome);
          return { kind: 'ended', agentId: run.agent_id, outcome };
        }
        if (run.attempt >= maxAttempts) {
          const message = `the run's worker stopped ${run.attempt} times (AM_RUN_MAX_ATTEMPTS=${maxAttempts})`;
          const outcome: RunOutcome = { status: 'failed', error: { code: 'WORKER_LOST', message } };
          await endRun(tx, run.agent_id, runId, outcome);
          return { kind: 'ended', agentId: run.agent_id, outcome };
        }
        const attempt = run.attempt + 1;
        const now = new Date();
        await tx
          .updateTable('runs')
          .set({ attempt, status: 'running', started_at: run.started_at ?? now })
          .where('id', '=', runId)
          .execute();
        const agent = await tx
          .updateTable('agents')
          .set({ status: 'running', updated_at: now })
          .where('id', '=', run.agent_id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const [runs, steps] = await Promise.all([
          tx
            .selectFrom('runs')
            .select(['id', 'message'])
            .where('agent_id', '=', run.agent_id)
            .where('run_no', '<=', run.run_no)
            .orderBy('run_no')
            .execute(),
          tx
            .selectFrom('steps')
            .select(['run_id', 'messages'])
            .where('agent_id', '=', run.agent_id)
            .orderBy('step_id')
            .execute(),
        ]);
        const history: ChatMessage[] = [];
        for (const past of runs) {
          history.push({ role: 'user', content: past.message });
          for (const step of steps) {
            if (step.run_id === past.id) {
              history.push(...step.messages);
            }
          }
        }
        return {
          kind: 'run',
          attempt,
          agent: {
            id: agent.id,
            goal: agent.goal,
            capabilities: agent.capabilities,
            max_steps: agent.max_steps,
            model: agent.model,
            agent: agent.agent,
            resources: agent.resources,
          },
          run: { id: run.id, run_no: run.run_no, message: run.message },
          history,
          stepCount: agent.step_count,
          stepsThisRun: steps.filter((step) => step.run_id === runId).length,
          pending: run.pending,
        };
      });
    },

    async savePending(runId, attempt, pending) {
      const updated = await db
        .updateTable('runs')
        .set({ pending: JSON.stringify(pending) })
        .where('id', '=', runId)
        .where('attempt', '=', attempt)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        throw new FencedError(`run ${runId} is no longer held by attempt ${attempt}`);
      }
    },

    async saveStep(runId, attempt, step) {
      await db.transaction().execute(async (tx) => {
        const run = await fencedRun(tx, runId, attempt);
        if (!run) {
          throw new FencedError(`run ${runId} is no longer held by attempt ${attempt}`);
        }
        await tx
          .insertInto('steps')
          .values({
            agent_id: run.agent_id,
            step_id: step.stepId,
            run_id: runId,
            status: step.status,
            output: step.output,
            messages: JSON.stringify(step.messages),
            tool_calls: JSON.stringify(step.toolCalls),
            usage: JSON.stringify(step.usage),
            started_at: step.startedAt,
            duration_ms: step.durationMs,
          })
          .execute();
        await tx
          .updateTable('runs')
          .set({ pending: null, usage: JSON.stringify(usageSum(run.usage, step.usage)) })
          .where('id', '=', runId)
          .execute();
        const agent = await tx
          .selectFrom('agents')
          .select('usage')
          .where('id', '=', run.agent_id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await tx
          .updateTable('agents')
          .set({
            step_count: step.stepId,
            usage: JSON.stringify(usageSum(agent.usage, step.usage)),
            updated_at: new Date(),
          })
          .where('id', '=', run.agent_id)
          .execute();
      });
    },

    async recordToolResult(agentId, toolCallId, tool, result) {
      await db
        .insertInto('tool_results')
        .values({
          agent_id: agentId,
          tool_call_id: toolCallId,
          tool,
          output: result.output === undefined ? null : JSON.stringify(result.output),
          error: result.error === null ? null : JSON.stringify(result.error),
          duration_ms: result.durationMs,
        })
        .onConflict((oc) => oc.columns(['agent_id', 'tool_call_id']).doNothing())
        .execute();
    },

    async toolResult(agentId, toolCallId) {
      const row = await db
        .selectFrom('tool_results')
        .select(['output', 'error', 'duration_ms'])
        .where('agent_id', '=', agentId)
        .where('tool_call_id', '=', toolCallId)
        .executeTakeFirst();
      return row ? { output: row.output, error: row.error, durationMs: row.duration_ms } : null;
    },

    async cancelRequestedBy(runId) {
      const row = await db
        .selectFrom('runs')
        .select('cancel_requested_by')
        .where('id', '=', runId)
        .executeTakeFirst();
      return row?.cancel_requested_by ?? null;
    },

    async finish(runId, attempt, outcome) {
      await db.transaction().execute(async (tx) => {
        const run = await fencedRun(tx, runId, attempt);
        if (!run) {
          throw new FencedError(`run ${runId} is no longer held by attempt ${attempt}`);
        }
        await endRun(tx, run.agent_id, runId, outcome);
      });
    },
  };
}

async function endRun(tx: Kysely<Database>, agentId: string, runId: string, outcome: RunOutcome) {
  const now = new Date();
  const status: AgentStatus = outcome.status;
  const error = outcome.status === 'failed' ? JSON.stringify(outcome.error) : null;
  await tx
    .updateTable('runs')
    .set({
      status,
      ended_at: now,
      pending: null,
      error,
      output: outcome.status === 'completed' ? outcome.output : null,
      stop_reason: outcome.status === 'completed' ? outcome.stopReason : null,
      cancelled_by: outcome.status === 'cancelled' ? outcome.by : null,
    })
    .where('id', '=', runId)
    .execute();
  await tx
    .updateTable('agents')
    .set({ status, error, updated_at: now })
    .where('id', '=', agentId)
    .execute();
}
