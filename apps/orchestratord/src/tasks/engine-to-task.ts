import type { EngineEvent, ErrorCode, StreamErrorCode, TaskEvent } from '@agentplane/contracts';

// What an engine failure is called on a task stream (llama-orch's kinds where one fits).
const STREAM_CODE: Record<StreamErrorCode, ErrorCode> = {
  LLM_ERROR: 'UPSTREAM_ERROR',
  LLM_RATE_LIMITED: 'RATE_LIMITED',
  LLM_TIMEOUT: 'DECODE_TIMEOUT',
  TOOL_ERROR: 'UPSTREAM_ERROR',
  TOOL_TIMEOUT: 'DECODE_TIMEOUT',
  TOOL_DENIED: 'FORBIDDEN',
  CONTEXT_OVERFLOW: 'INVALID_PARAMS',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  SHUTTING_DOWN: 'WORKER_RESET',
  EVENT_LIMIT: 'INTERNAL',
  INTERNAL_ERROR: 'INTERNAL',
};

/** One engine event as task events, or a terminal outcome; `i` is the next token index. */
export type Mapped =
  | { kind: 'events'; events: TaskEvent[] }
  | { kind: 'completed'; stopReason: 'end_turn' | 'max_turns'; outputTokens: number }
  | { kind: 'errored'; event: TaskEvent }
  | { kind: 'cancelled' };

export function mapEngineEvent(ev: EngineEvent, nextToken: number, engine: string): Mapped {
  switch (ev.event) {
    case 'text_delta':
      return { kind: 'events', events: [{ event: 'token', t: ev.text, i: nextToken }] };
    case 'tool_call':
      return {
        kind: 'events',
        events: [{ event: 'metrics', tool_call: { tool: ev.tool, tool_call_id: ev.tool_call_id } }],
      };
    case 'tool_result':
      return {
        kind: 'events',
        events: [
          {
            event: 'metrics',
            tool_result: { tool: ev.tool, tool_call_id: ev.tool_call_id, ok: ev.error === null },
          },
        ],
      };
    case 'usage':
      return {
        kind: 'events',
        events: [
          {
            event: 'metrics',
            usage: { input_tokens: ev.input_tokens, output_tokens: ev.output_tokens },
          },
        ],
      };
    case 'error':
      return {
        kind: 'events',
        events: [{ event: 'metrics', engine_error: { code: ev.code, message: ev.message } }],
      };
    case 'thread.completed':
      return {
        kind: 'completed',
        stopReason: ev.stop_reason,
        outputTokens: ev.usage.output_tokens,
      };
    case 'thread.errored':
      return {
        kind: 'errored',
        event: {
          event: 'error',
          code: STREAM_CODE[ev.code],
          message: ev.message,
          retriable: ev.retriable,
          engine,
        },
      };
    case 'thread.cancelled':
      return { kind: 'cancelled' };
    default:
      // thread.started, thinking deltas, heartbeats and HITL prompts are the engine's own.
      return { kind: 'events', events: [] };
  }
}
