import { z } from '../common/zod.js';
import { TokenUsage } from '../engine/events.js';
import { AgentId, RunId } from './agents.js';

const ev = <N extends string, S extends z.ZodRawShape>(name: N, component: string, shape: S) =>
  z.object({ event: z.literal(name), ...shape }).openapi(component);

const StepId = z.int().positive().describe('1-based, counted over the agent’s whole history');

export const AgentStepStartEvent = ev('step_start', 'AgentStepStartEvent', {
  step_id: StepId,
  action: z.literal('think').describe('A step is one model call and the tools it asks for'),
  run_id: RunId,
});

export const AgentTokenEvent = ev('token', 'AgentTokenEvent', {
  content: z.string(),
  step_id: StepId,
});

export const AgentToolCallEvent = ev('tool_call', 'AgentToolCallEvent', {
  step_id: StepId,
  tool_call_id: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});

export const AgentToolResultEvent = ev('tool_result', 'AgentToolResultEvent', {
  step_id: StepId,
  tool_call_id: z.string(),
  tool: z.string(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  duration_ms: z.number().nonnegative(),
  reused: z
    .boolean()
    .describe('true: a side-effecting call already recorded before a resume; not run again'),
});

export const AgentStepEndEvent = ev('step_end', 'AgentStepEndEvent', {
  step_id: StepId,
  status: z.enum(['ok', 'error']),
  output: z.string().describe('The assistant text of this step'),
  duration_ms: z.number().nonnegative(),
  usage: TokenUsage,
});

export const AgentRunResumedEvent = ev('run_resumed', 'AgentRunResumedEvent', {
  run_id: RunId,
  attempt: z.int().positive(),
  from_step: StepId.describe('The first step run again (the ones before are checkpointed)'),
  reason: z.string(),
});

export const AgentCompletedEvent = ev('agent_completed', 'AgentCompletedEvent', {
  agent_id: AgentId,
  run_id: RunId,
  output: z.string(),
  stop_reason: z.enum(['end_turn', 'max_steps']),
  steps: z.int().nonnegative(),
  usage: TokenUsage,
});

export const AgentFailedEvent = ev('agent_failed', 'AgentFailedEvent', {
  agent_id: AgentId,
  run_id: RunId,
  code: z.string(),
  message: z.string(),
  retriable: z.boolean(),
});

export const AgentCancelledEvent = ev('agent_cancelled', 'AgentCancelledEvent', {
  agent_id: AgentId,
  run_id: RunId,
  reason: z.enum(['cancel_request', 'shutdown']),
  by: z.string().describe('Who cancelled: the API key’s name, or `system`'),
});

export const AgentStreamOverflowEvent = ev('stream_overflow', 'AgentStreamOverflowEvent', {
  reason: z.string().describe('This client read too slowly; reconnect with Last-Event-ID'),
});

/**
 * Events of an agent run, in order: `step_start`, `token`s, `tool_call`/`tool_result` pairs,
 * `step_end` per step (a step a dead worker left unfinished is run again after `run_resumed`),
 * then exactly one terminal event: `agent_completed`, `agent_failed` or `agent_cancelled`.
 * `stream_overflow` ends a stream whose reader fell too far behind (not terminal: resume).
 */
export const AgentEvent = z
  .discriminatedUnion('event', [
    AgentStepStartEvent,
    AgentTokenEvent,
    AgentToolCallEvent,
    AgentToolResultEvent,
    AgentStepEndEvent,
    AgentRunResumedEvent,
    AgentCompletedEvent,
    AgentFailedEvent,
    AgentCancelledEvent,
    AgentStreamOverflowEvent,
  ])
  .openapi('AgentEvent');
export type AgentEvent = z.infer<typeof AgentEvent>;
export type AgentEventName = AgentEvent['event'];

export const AGENT_TERMINAL_EVENTS: readonly AgentEventName[] = [
  'agent_completed',
  'agent_failed',
  'agent_cancelled',
];
