import {
  type ChatMessage,
  createToolRegistry,
  type LlmClient,
  type LoopEvent,
  runAgentLoop,
  type TurnRecord,
} from '@agentplane/agent-loop';
import type { TokenUsage } from '@agentplane/contracts';
import type { Logger } from '@agentplane/http-kit';
import type { Observation } from '../am-metrics.js';
import { terminalEvent, toAgentEvent } from './agent-event-map.js';
import type { CancelRegistry, HeldRun } from './cancel-registry.js';
import { createEventWriter, type EventWriter, type RunEventSink } from './event-writer.js';
import { onceTools, type RunTool } from './once-tools.js';
import type { ClaimedRun, RunAgent, RunOutcome, RunStore } from './run-store.js';

/** A bus message (validated by the bus against its topic's schema). */
export type Publish = (topic: string, message: { event: string; payload: object }) => void;

export interface ExecuteRunDeps {
  store: RunStore;
  events: RunEventSink;
  publish: Publish;
  llm: (model: string) => LlmClient;
  /** The tools a run of this agent offers the model (capabilities are checked inside). */
  tools: (agent: RunAgent, currentStep: () => number) => RunTool[];
  systemPrompt: (agent: RunAgent) => string | undefined;
  cancels: CancelRegistry;
  /** Claims of one run before it is failed as WORKER_LOST. */
  maxAttempts: number;
  logger: Logger;
  /** Reports for the service's metrics. */
  observe: (observation: Observation) => void;
}

/** The run was handed on (lost lease, worker shutdown): the queue must deliver it again. */
export class RunInterrupted extends Error {}

const isFenced = (error: unknown): boolean => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === 'FENCED') {
      return true;
    }
  }
  return false;
};

/**
 * Runs (or resumes) one queued run on this worker: claims it, replays its checkpointed history,
 * runs the agent loop for the steps left, checkpoints each step before its `step_end` goes out,
 * and writes exactly one terminal event. Resolves when the run ended or was never ours; throws
 * RunInterrupted when it must be delivered again (another worker resumes from the checkpoint).
 */
export async function executeRun(runId: string, deps: ExecuteRunDeps, leaseSignal: AbortSignal) {
  const claim = await deps.store.claim(runId, deps.maxAttempts);
  if (claim.kind === 'gone') {
    return;
  }
  if (claim.kind === 'ended') {
    const writer = createEventWriter(deps.events, runId);
    const ids = { agent_id: claim.agentId, run_id: runId };
    return announceEnd(ids, deps, writer, claim.outcome, { steps: 0, usage: zeroUsage() });
  }
  if (claim.kind !== 'run') {
    throw new Error(`unexpected claim answer ${JSON.stringify(claim)}`);
  }
  const held = deps.cancels.hold(claim.agent.id);
  const onLease = () => held.stop('lease_lost');
  leaseSignal.addEventListener('abort', onLease, { once: true });
  try {
    await runClaimed(claim, deps, held);
  } finally {
    leaseSignal.removeEventListener('abort', onLease);
    held.release();
  }
}

async function runClaimed(claim: ClaimedRun, deps: ExecuteRunDeps, held: HeldRun) {
  const { agent, run, attempt } = claim;
  const writer = createEventWriter(deps.events, run.id);
  const ids = { agent_id: agent.id, run_id: run.id };
  deps.publish('agent.lifecycle', {
    event: 'agent.started',
    payload: { ...ids, timestamp: Date.now() },
  });
  const firstStep = claim.stepCount + 1;
  if (attempt > 1) {
    await writer.push({
      event: 'run_resumed',
      run_id: run.id,
      attempt,
      from_step: firstStep,
      reason: 'the worker that held this run stopped; resuming from its last checkpoint',
    });
  }
  const finished = alreadyFinished(claim);
  if (finished) {
    return end(claim, deps, writer, finished, { steps: claim.stepsThisRun, usage: zeroUsage() });
  }
  const system = deps.systemPrompt(agent);
  const messages: ChatMessage[] = system
    ? [{ role: 'system', content: system }, ...claim.history]
    : claim.history;
  let stepId = firstStep;
  let stepStarted = claim.pending?.started_at ?? new Date().toISOString();
  const reused = new Set<string>();
  const resumedCalls = new Set(claim.pending?.response.toolCalls.map((call) => call.id));
  const tools = createToolRegistry(
    onceTools(
      deps.tools(agent, () => stepId),
      deps.store,
      agent.id,
      reused,
      (id) => resumedCalls.has(id),
    ),
  );
  const emit = (event: LoopEvent) => {
    if (event.event === 'tool_result') {
      deps.observe({
        kind: 'tool',
        tool: event.tool,
        ms: event.duration_ms,
        ok: event.error === null,
      });
    }
    const mapped = toAgentEvent(event, stepId, reused);
    return mapped ? writer.push(mapped) : undefined;
  };
  const result = await runAgentLoop({
    llm: deps.llm(agent.model),
    model: agent.model,
    messages,
    tools,
    maxTurns: agent.max_steps - claim.stepsThisRun,
    signal: held.signal,
    emit,
    ...(claim.pending ? { resumeWith: claim.pending.response } : {}),
    hooks: {
      turnStart: async (turn) => {
        stepId = firstStep + turn - 1;
        if (turn > 1 || !claim.pending) {
          stepStarted = new Date().toISOString();
        }
        await writer.push({
          event: 'step_start',
          step_id: stepId,
          action: 'think',
          run_id: run.id,
        });
      },
      modelResponse: async (turn, response) => {
        if (response.toolCalls.length > 0 && !(turn === 1 && claim.pending)) {
          await deps.store.savePending(run.id, attempt, {
            step_id: stepId,
            started_at: stepStarted,
            response,
          });
        }
      },
      turnEnd: async (record) => {
        await checkpoint(record, { claim, deps, stepId, stepStarted, writer });
      },
    },
  });
  if (held.reason() === 'lease_lost' || held.reason() === 'shutdown' || isFenced(result.cause)) {
    await writer.flush().catch(() => {});
    deps.observe({ kind: 'run', outcome: 'handed_on' });
    throw new RunInterrupted(`run ${run.id} handed on (${held.reason() ?? 'fenced'})`);
  }
  // Steps of the whole run, those checkpointed by earlier attempts included.
  const steps = claim.stepsThisRun + stepId - firstStep + 1;
  const terminal = result.terminal;
  const outcome: RunOutcome =
    terminal.event === 'thread.completed'
      ? {
          status: 'completed',
          output: result.text,
          stopReason: terminal.stop_reason === 'max_turns' ? 'max_steps' : 'end_turn',
        }
      : terminal.event === 'thread.cancelled'
        ? { status: 'cancelled', by: held.by() ?? 'system' }
        : { status: 'failed', error: { code: terminal.code, message: terminal.message } };
  if (result.cause !== undefined) {
    deps.logger.error({ err: result.cause, runId: run.id }, 'agent run failed inside the loop');
  }
  const retriable = terminal.event === 'thread.errored' ? terminal.retriable : false;
  await end(claim, deps, writer, outcome, { steps, usage: result.usage, retriable });
}

interface CheckpointContext {
  claim: ClaimedRun;
  deps: ExecuteRunDeps;
  stepId: number;
  stepStarted: string;
  writer: EventWriter;
}

/** The step is in the database before anyone hears it ended. */
async function checkpoint(record: TurnRecord, ctx: CheckpointContext) {
  const { claim, deps, stepId, writer } = ctx;
  const durationMs = Date.now() - Date.parse(ctx.stepStarted);
  const failed = record.toolResults.some((result) => result.error !== null);
  const toolCalls = record.toolResults.map((result) => ({
    tool_call_id: result.toolCallId,
    tool: result.tool,
    arguments: result.arguments,
    ...(result.error ? {} : { output: result.output }),
    error: result.error,
    duration_ms: result.durationMs,
  }));
  const status = failed ? 'error' : 'ok';
  await deps.store.saveStep(claim.run.id, claim.attempt, {
    stepId,
    status,
    output: record.response.text,
    messages: record.messages,
    toolCalls,
    usage: record.response.usage,
    startedAt: ctx.stepStarted,
    durationMs,
  });
  await writer.push({
    event: 'step_end',
    step_id: stepId,
    status,
    output: record.response.text,
    duration_ms: durationMs,
    usage: record.response.usage,
  });
  deps.observe({ kind: 'step', ms: durationMs });
  deps.publish('agent.trace', {
    event: 'step.complete',
    payload: {
      agent_id: claim.agent.id,
      run_id: claim.run.id,
      step_id: stepId,
      duration_ms: durationMs,
      status,
    },
  });
}

/** A run whose worker died after its last checkpoint but before it wrote the end. */
function alreadyFinished(claim: ClaimedRun): RunOutcome | undefined {
  if (claim.pending || claim.stepsThisRun === 0) {
    return undefined;
  }
  const last = claim.history.at(-1);
  if (last?.role === 'assistant' && !(last.tool_calls && last.tool_calls.length > 0)) {
    const output = typeof last.content === 'string' ? last.content : '';
    return { status: 'completed', output, stopReason: 'end_turn' };
  }
  if (claim.stepsThisRun >= claim.agent.max_steps) {
    return { status: 'completed', output: '', stopReason: 'max_steps' };
  }
  return undefined;
}

async function end(
  claim: ClaimedRun,
  deps: ExecuteRunDeps,
  writer: EventWriter,
  outcome: RunOutcome,
  totals: { steps: number; usage: TokenUsage; retriable?: boolean },
) {
  await writer.flush();
  await deps.store.finish(claim.run.id, claim.attempt, outcome);
  await announceEnd(
    { agent_id: claim.agent.id, run_id: claim.run.id },
    deps,
    writer,
    outcome,
    totals,
  );
}

/** The terminal event, the stream's retention, and the lifecycle message. */
async function announceEnd(
  ids: { agent_id: string; run_id: string },
  deps: ExecuteRunDeps,
  writer: EventWriter,
  outcome: RunOutcome,
  totals: { steps: number; usage: TokenUsage; retriable?: boolean },
) {
  await writer.push(terminalEvent(ids, outcome, totals));
  await writer.flush();
  await deps.events.retain(ids.run_id);
  const status = outcome.status;
  deps.observe({ kind: 'run', outcome: status });
  deps.publish('agent.lifecycle', {
    event: `agent.${status}`,
    payload: {
      ...ids,
      timestamp: Date.now(),
      status,
      ...(outcome.status === 'failed' ? { reason: outcome.error.message } : {}),
      ...(outcome.status === 'cancelled' ? { by: outcome.by } : {}),
    },
  });
}

const zeroUsage = (): TokenUsage => ({ input_tokens: 0, output_tokens: 0, cache_hit_tokens: 0 });
