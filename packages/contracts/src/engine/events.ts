import { z } from '../common/zod.js';
import { MessageId, TaskId } from './execute.js';

/** Codes of failures reported inside a stream (the HTTP status is already 200 by then). */
export const StreamErrorCode = z
  .enum([
    'LLM_ERROR',
    'LLM_RATE_LIMITED',
    'LLM_TIMEOUT',
    'TOOL_ERROR',
    'TOOL_TIMEOUT',
    'TOOL_DENIED',
    'CONTEXT_OVERFLOW',
    'QUOTA_EXCEEDED',
    'SHUTTING_DOWN',
    'EVENT_LIMIT',
    'INTERNAL_ERROR',
  ])
  .openapi('StreamErrorCode');
export type StreamErrorCode = z.infer<typeof StreamErrorCode>;

export const TokenUsage = z
  .object({
    input_tokens: z.int().nonnegative(),
    output_tokens: z.int().nonnegative(),
    cache_hit_tokens: z.int().nonnegative().describe('Part of input_tokens billed at cache rate'),
  })
  .openapi('TokenUsage');
export type TokenUsage = z.infer<typeof TokenUsage>;

/** Fields every event carries; `seq` is also the SSE `id:` line. */
const base = {
  task_id: TaskId,
  turn_id: z.string().min(1).max(128),
  seq: z.int().positive().describe('Strictly increasing within a turn, starting at 1'),
};

const ev = <N extends string, S extends z.ZodRawShape>(name: N, component: string, shape: S) =>
  z.object({ event: z.literal(name), ...base, ...shape }).openapi(component);

export const ThreadStartedEvent = ev('thread.started', 'ThreadStartedEvent', {
  agent: z.string(),
  model: z.string(),
  user_message_id: MessageId.describe('Id of the stored user message (for edit/retry)'),
  started_at: z.iso.datetime(),
});
export const TextDeltaEvent = ev('text_delta', 'TextDeltaEvent', { text: z.string() });
export const ThinkingDeltaEvent = ev('thinking_delta', 'ThinkingDeltaEvent', { text: z.string() });
export const ToolCallEvent = ev('tool_call', 'ToolCallEvent', {
  tool_call_id: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});
export const ToolResultEvent = ev('tool_result', 'ToolResultEvent', {
  tool_call_id: z.string(),
  tool: z.string(),
  output: z.unknown().optional().describe('The tool output given to the model (absent on error)'),
  error: z.object({ code: StreamErrorCode, message: z.string() }).nullable().default(null),
  duration_ms: z.number().nonnegative(),
});
export const UsageEvent = ev('usage', 'UsageEvent', { model: z.string(), ...TokenUsage.shape });
export const HeartbeatEvent = ev('heartbeat', 'HeartbeatEvent', {});
export const HitlRequestEvent = ev('hitl_request', 'HitlRequestEvent', {
  request_id: z.string(),
  tool_call_id: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  expires_at: z.iso.datetime(),
});
export const HitlResolvedEvent = ev('hitl_resolved', 'HitlResolvedEvent', {
  request_id: z.string(),
  decision: z.enum(['approve', 'deny']),
  reason: z.string().optional(),
});
export const HitlExpiredEvent = ev('hitl_expired', 'HitlExpiredEvent', {
  request_id: z.string(),
});
export const ErrorEvent = ev('error', 'ErrorEvent', {
  code: StreamErrorCode,
  message: z.string(),
  retriable: z.boolean().describe('Whether the engine retries (true) or gives up on this step'),
});
export const ThreadCompletedEvent = ev('thread.completed', 'ThreadCompletedEvent', {
  stop_reason: z.enum(['end_turn', 'max_turns']),
  assistant_message_id: MessageId,
  usage: TokenUsage.describe('Sum over the turn'),
  duration_ms: z.number().nonnegative(),
});
export const ThreadErroredEvent = ev('thread.errored', 'ThreadErroredEvent', {
  code: StreamErrorCode,
  message: z.string(),
  retriable: z.boolean().describe('Whether re-sending the same request may succeed'),
});
export const ThreadCancelledEvent = ev('thread.cancelled', 'ThreadCancelledEvent', {
  reason: z
    .enum(['client_disconnect', 'cancel_request', 'shutdown', 'interrupted'])
    .describe('`interrupted`: a newer turn of the conversation took over (multitask interrupt)'),
});

export const EngineEvent = z
  .discriminatedUnion('event', [
    ThreadStartedEvent,
    TextDeltaEvent,
    ThinkingDeltaEvent,
    ToolCallEvent,
    ToolResultEvent,
    UsageEvent,
    HeartbeatEvent,
    HitlRequestEvent,
    HitlResolvedEvent,
    HitlExpiredEvent,
    ErrorEvent,
    ThreadCompletedEvent,
    ThreadErroredEvent,
    ThreadCancelledEvent,
  ])
  .openapi('EngineEvent', {
    description: [
      'One event of a /execute stream: SSE `event:` = `event`, `id:` = `seq`, `data:` = this',
      'object as JSON. Order: first `thread.started`; then any data events (text_delta,',
      'thinking_delta, tool_call, tool_result, usage, heartbeat, hitl_*, error), where a',
      'tool_call precedes its tool_result and a hitl_request precedes its hitl_resolved or',
      'hitl_expired; last exactly one terminal event (thread.completed | thread.errored |',
      'thread.cancelled), after which the stream closes. `error` is not terminal. Requests',
      'rejected before the turn starts get an HTTP error status instead of a stream. Clients',
      'must ignore event names they do not know (new event types are minor additions).',
    ].join(' '),
  });
export type EngineEvent = z.infer<typeof EngineEvent>;
export type EngineEventName = EngineEvent['event'];

export type ThreadStartedEvent = z.infer<typeof ThreadStartedEvent>;
export type TextDeltaEvent = z.infer<typeof TextDeltaEvent>;
export type ThinkingDeltaEvent = z.infer<typeof ThinkingDeltaEvent>;
export type ToolCallEvent = z.infer<typeof ToolCallEvent>;
export type ToolResultEvent = z.infer<typeof ToolResultEvent>;
export type UsageEvent = z.infer<typeof UsageEvent>;
export type HeartbeatEvent = z.infer<typeof HeartbeatEvent>;
export type HitlRequestEvent = z.infer<typeof HitlRequestEvent>;
export type HitlResolvedEvent = z.infer<typeof HitlResolvedEvent>;
export type HitlExpiredEvent = z.infer<typeof HitlExpiredEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type ThreadCompletedEvent = z.infer<typeof ThreadCompletedEvent>;
export type ThreadErroredEvent = z.infer<typeof ThreadErroredEvent>;
export type ThreadCancelledEvent = z.infer<typeof ThreadCancelledEvent>;

export type TerminalEngineEvent = ThreadCompletedEvent | ThreadErroredEvent | ThreadCancelledEvent;
export const TERMINAL_EVENT_NAMES = [
  'thread.completed',
  'thread.errored',
  'thread.cancelled',
] as const;

/** True for the one event that ends a stream. */
export function isTerminalEvent(event: EngineEvent): event is TerminalEngineEvent {
  return (TERMINAL_EVENT_NAMES as readonly string[]).includes(event.event);
}
