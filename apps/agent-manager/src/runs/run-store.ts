import type { ChatMessage } from '@agentplane/agent-loop';
import type {
  AgentResources,
  AgentStatus,
  Capability,
  TokenUsage,
  ToolCallRecord,
} from '@agentplane/contracts';
import { CompiledQuery, type Kysely } from 'kysely';
import type { AgentError, Database, PendingStep } from '../db/schema.js';
import { claimFast, claimSlow } from './run-claim.js';
import { endRun } from './run-end.js';
import { RECORD_TOOL_RESULT, SAVE_PENDING, SAVE_STEP } from './run-sql.js';

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

const fenced = (runId: string, attempt: number) =>
  new FencedError(`run ${runId} is no longer held by attempt ${attempt}`);

// Each write of a running run is one statement (data-modifying CTEs): one round trip per
// checkpoint, and atomic without a transaction. Rows are locked runs first, then agents, as
// everywhere else (the agent repo's cancel included), so these never deadlock with each other.
export function createRunStore(db: Kysely<Database>): RunStore {
  const run = (text: string, params: readonly unknown[]) =>
    db.executeQuery(CompiledQuery.raw(text, [...params]));
  return {
    async claim(runId, maxAttempts) {
      return (await claimFast(db, runId, maxAttempts)) ?? claimSlow(db, runId, maxAttempts);
    },

    async savePending(runId, attempt, pending) {
      const { numAffectedRows } = await run(SAVE_PENDING, [
        runId,
        attempt,
        JSON.stringify(pending),
      ]);
      if (Number(numAffectedRows ?? 0) === 0) {
        throw fenced(runId, attempt);
      }
    },

    async saveStep(runId, attempt, step) {
      const { rows } = await run(SAVE_STEP, [
        runId,
        attempt,
        step.usage.input_tokens,
        step.usage.output_tokens,
        step.usage.cache_hit_tokens,
        step.stepId,
        step.status,
        step.output,
        JSON.stringify(step.messages),
        JSON.stringify(step.toolCalls),
        JSON.stringify(step.usage),
        step.startedAt,
        Math.round(step.durationMs),
      ]);
      if (rows.length === 0) {
        throw fenced(runId, attempt);
      }
    },

    async recordToolResult(agentId, toolCallId, tool, result) {
      await run(RECORD_TOOL_RESULT, [
        agentId,
        toolCallId,
        tool,
        result.output === undefined ? null : JSON.stringify(result.output),
        result.error === null ? null : JSON.stringify(result.error),
        Math.round(result.durationMs),
      ]);
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
      const ended = await endRun(db, runId, outcome, attempt);
      if (!ended) {
        throw fenced(runId, attempt);
      }
    },
  };
}
