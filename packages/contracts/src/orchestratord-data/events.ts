import { ErrorCode } from '../common/errors.js';
import { z } from '../common/zod.js';

// The task stream (data.yaml x-sse-events): `started`, then `token`s and `metrics`, then exactly
// one `end` or `error`. Each event's data also carries its name as `event` (our SSE convention:
// one discriminated union per stream); llama-orch's consumers ignore the extra key. The SSE `id:`
// of every event is its position in the task's log (1, 2, …): `Last-Event-ID` resumes after it.

export const PrepItem = z
  .object({
    status: z.enum(['pending', 'running', 'completed', 'failed']),
    phase: z.string().optional().describe('provision | wake | boot'),
    pct: z.int().min(0).max(100).optional(),
    human: z.string().optional(),
  })
  .openapi('PrepItem');

export const TaskStartedEvent = z
  .object({
    event: z.literal('started'),
    queue_position: z.int().nonnegative(),
    predicted_start_ms: z.int().nonnegative(),
  })
  .openapi('TaskStartedEvent');

export const TaskTokenEvent = z
  .object({
    event: z.literal('token'),
    t: z.string().describe('Text of the engine’s text delta'),
    i: z.int().nonnegative().describe('Index of this token event, from 0'),
  })
  .openapi('TaskTokenEvent');

export const TaskMetricsEvent = z
  .object({
    event: z.literal('metrics'),
    queue_depth: z.int().nonnegative().optional(),
    prep: z.record(z.string(), PrepItem).optional().describe('Preparation steps by step id'),
    tool_call: z
      .object({ tool: z.string(), tool_call_id: z.string() })
      .optional()
      .describe('The engine called a tool (additive)'),
    tool_result: z
      .object({ tool: z.string(), tool_call_id: z.string(), ok: z.boolean() })
      .optional(),
    usage: z
      .object({ input_tokens: z.int().nonnegative(), output_tokens: z.int().nonnegative() })
      .optional(),
    human: z.string().optional().describe('Narration (verbose streams only)'),
  })
  .catchall(z.unknown())
  .openapi('TaskMetricsEvent');

export const TaskEndEvent = z
  .object({
    event: z.literal('end'),
    tokens_out: z.int().nonnegative(),
    decode_ms: z.int().nonnegative(),
    decode_time_ms: z.int().nonnegative().describe('The same as decode_ms (llama-orch’s code)'),
    stop_reason: z.enum(['end_turn', 'max_turns', 'max_tokens', 'canceled']),
    canceled: z.boolean().optional().describe('true when the task was cancelled'),
  })
  .openapi('TaskEndEvent');

export const TaskErrorEvent = z
  .object({
    event: z.literal('error'),
    code: ErrorCode,
    message: z.string(),
    engine: z.string().optional(),
    retriable: z.boolean(),
  })
  .openapi('TaskErrorEvent');

export const TaskEvent = z
  .discriminatedUnion('event', [
    TaskStartedEvent,
    TaskTokenEvent,
    TaskMetricsEvent,
    TaskEndEvent,
    TaskErrorEvent,
  ])
  .openapi('TaskEvent', {
    description:
      'One event of a task stream: SSE `event:` = `event`, `id:` = its position in the task’s ' +
      'log, `data:` = this object. `started` first; `token`s and `metrics` in any order; then ' +
      'exactly one terminal `end` or `error`, after which the stream closes.',
  });
export type TaskEvent = z.infer<typeof TaskEvent>;
export type TaskEventName = TaskEvent['event'];
