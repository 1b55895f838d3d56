import type { LoopEvent } from '@agentplane/agent-loop';
import type { AgentEvent, TokenUsage } from '@agentplane/contracts';
import type { RunOutcome } from './run-store.js';

// How a run's outcome and the loop's events become the agent stream's events (AgentEvent).

export function terminalEvent(
  ids: { agent_id: string; run_id: string },
  outcome: RunOutcome,
  totals: { steps: number; usage: TokenUsage; retriable?: boolean },
): AgentEvent {
  switch (outcome.status) {
    case 'completed':
      return {
        event: 'agent_completed',
        ...ids,
        output: outcome.output,
        stop_reason: outcome.stopReason,
        steps: totals.steps,
        usage: totals.usage,
      };
    case 'failed':
      return {
        event: 'agent_failed',
        ...ids,
        ...outcome.error,
        retriable: totals.retriable ?? false,
      };
    case 'cancelled':
      return { event: 'agent_cancelled', ...ids, reason: 'cancel_request', by: outcome.by };
  }
}

export function toAgentEvent(
  event: LoopEvent,
  stepId: number,
  reused: ReadonlySet<string>,
): AgentEvent | undefined {
  switch (event.event) {
    case 'text_delta':
      return { event: 'token', content: event.text, step_id: stepId };
    case 'tool_call':
      return {
        event: 'tool_call',
        step_id: stepId,
        tool_call_id: event.tool_call_id,
        tool: event.tool,
        arguments: event.arguments,
      };
    case 'tool_result':
      return {
        event: 'tool_result',
        step_id: stepId,
        tool_call_id: event.tool_call_id,
        tool: event.tool,
        ...(event.output === undefined ? {} : { output: event.output }),
        error: event.error ? { code: event.error.code, message: event.error.message } : null,
        duration_ms: event.duration_ms,
        reused: reused.has(event.tool_call_id),
      };
    default:
      return undefined;
  }
}
