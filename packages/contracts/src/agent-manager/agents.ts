import { z } from '../common/zod.js';
import { TokenUsage } from '../engine/events.js';

/** Goals and follow-up messages stay well under the body limit and one database row. */
export const GOAL_MAX_CHARS = 100_000;
export const MAX_STEPS_LIMIT = 500;
/** Agents per POST /agents/batch (one transaction: all or none). */
export const AGENT_BATCH_LIMIT = 1000;

export const AgentId = z
  .string()
  .regex(/^agt_[0-9a-z]{10,40}$/, 'an agent id (agt_…)')
  .openapi('AgentId', { example: 'agt_01jbz3x4m5q7r8s9t0' });
export type AgentId = z.infer<typeof AgentId>;

export const RunId = z
  .string()
  .regex(/^run_[0-9a-z]{10,40}$/, 'a run id (run_…)')
  .openapi('RunId');
export type RunId = z.infer<typeof RunId>;

export const Capability = z
  .enum(['fs', 'db', 'ai', 'http', 'processor', 'rag', 'memory'])
  .openapi('Capability', {
    description:
      'What an agent may touch: `fs` file.*, `db` db.query, `ai` ai.complete, `http` ' +
      'http.fetch, `processor` processor.run, `rag` rag.query, `memory` memory.*',
  });
export type Capability = z.infer<typeof Capability>;

export const AgentResources = z
  .strictObject({
    cpu: z
      .string()
      .regex(/^(\d{1,3}(\.\d{1,3})?|\d{1,6}m)$/, 'cores ("1", "0.5") or millicores ("500m")')
      .optional()
      .describe('A concurrency weight on the worker; over AM_WORKER_MAX_CPU is refused'),
    ram: z
      .string()
      .regex(/^\d{1,7}(KB|MB|GB|Ki|Mi|Gi)$/, 'a size such as "512MB" or "1Gi"')
      .optional()
      .describe('Heap cap of a dedicated worker; over AM_WORKER_MAX_RAM_MB is refused'),
  })
  .openapi('AgentResources');
export type AgentResources = z.infer<typeof AgentResources>;

const Goal = z.string().trim().min(1).max(GOAL_MAX_CHARS);

export const CreateAgentRequestBody = z
  .strictObject({
    goal: Goal,
    capabilities: z
      .array(Capability)
      .max(7)
      .refine((list) => new Set(list).size === list.length, 'capabilities must be unique')
      .default([]),
    max_steps: z.int().min(1).max(MAX_STEPS_LIMIT).default(50),
    resources: AgentResources.optional(),
    agent: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/)
      .optional()
      .describe('A catalog agent whose system prompt and model the run uses'),
    model: z.string().min(1).max(200).optional().describe('Default: the service’s model'),
  })
  .openapi('CreateAgentRequestBody');
export type CreateAgentRequestBody = z.infer<typeof CreateAgentRequestBody>;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII')
    .optional()
    .describe('A retried create with the same key (and the same API key) returns the same agent'),
});

export const CreateAgentResponseBody = z
  .object({ agent_id: AgentId, status: z.literal('created') })
  .openapi('CreateAgentResponseBody');
export type CreateAgentResponseBody = z.infer<typeof CreateAgentResponseBody>;

export const BatchCreateAgentsRequestBody = z
  .strictObject({ agents: z.array(CreateAgentRequestBody).min(1).max(AGENT_BATCH_LIMIT) })
  .openapi('BatchCreateAgentsRequestBody');
export type BatchCreateAgentsRequestBody = z.infer<typeof BatchCreateAgentsRequestBody>;

export const BatchCreateAgentsResponseBody = z
  .object({ agent_ids: z.array(AgentId) })
  .openapi('BatchCreateAgentsResponseBody');
export type BatchCreateAgentsResponseBody = z.infer<typeof BatchCreateAgentsResponseBody>;

export const AgentStatus = z
  .enum(['created', 'queued', 'running', 'completed', 'failed', 'cancelled'])
  .openapi('AgentStatus');
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AgentParams = z.object({ agent_id: AgentId });

export const StartAgentQuery = z.object({
  stream: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: the run’s events as SSE; default `false`: 202 and the run goes on alone'),
});

export const StartAgentRequestBody = z
  .strictObject({
    message: Goal.optional().describe(
      'The next goal message, for an agent that already ran (its history is kept)',
    ),
  })
  .openapi('StartAgentRequestBody');
export type StartAgentRequestBody = z.infer<typeof StartAgentRequestBody>;

export const StartAgentResponseBody = z
  .object({ agent_id: AgentId, run_id: RunId, status: z.literal('queued') })
  .openapi('StartAgentResponseBody');
export type StartAgentResponseBody = z.infer<typeof StartAgentResponseBody>;

export const ToolCallRecord = z
  .object({
    tool_call_id: z.string(),
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    output: z.unknown().optional(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    duration_ms: z.number().nonnegative(),
  })
  .openapi('ToolCallRecord');
export type ToolCallRecord = z.infer<typeof ToolCallRecord>;

export const AgentStep = z
  .object({
    step_id: z.int().positive(),
    run_id: RunId,
    status: z.enum(['ok', 'error']),
    output: z.string(),
    tool_calls: z.array(ToolCallRecord),
    usage: TokenUsage,
    started_at: z.iso.datetime(),
    duration_ms: z.number().nonnegative(),
  })
  .openapi('AgentStep');
export type AgentStep = z.infer<typeof AgentStep>;

export const AgentError = z.object({ code: z.string(), message: z.string() }).openapi('AgentError');

export const AgentRunView = z
  .object({
    run_id: RunId,
    run_no: z.int().positive(),
    status: AgentStatus,
    attempt: z.int().nonnegative().describe('Workers that took this run (1 unless one died)'),
    queued_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    ended_at: z.iso.datetime().nullable(),
    output: z.string().nullable(),
    stop_reason: z.enum(['end_turn', 'max_steps']).nullable(),
    cancelled_by: z.string().nullable(),
  })
  .openapi('AgentRunView');
export type AgentRunView = z.infer<typeof AgentRunView>;

export const AgentSummary = z
  .object({
    agent_id: AgentId,
    status: AgentStatus,
    goal: z.string(),
    capabilities: z.array(Capability),
    max_steps: z.int(),
    resources: AgentResources.nullable(),
    agent: z.string().nullable(),
    model: z.string(),
    runs: z.int().nonnegative(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    usage: TokenUsage,
    error: AgentError.nullable(),
  })
  .openapi('AgentSummary');
export type AgentSummary = z.infer<typeof AgentSummary>;

export const AgentView = AgentSummary.extend({
  run: AgentRunView.nullable().describe('The current or last run'),
  steps: z.array(AgentStep).describe('Checkpointed steps of the current or last run'),
}).openapi('AgentView');
export type AgentView = z.infer<typeof AgentView>;

export const ListAgentsQuery = z.object({
  status: AgentStatus.optional(),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
  limit: z.int().min(1).max(200).default(50),
});

export const ListAgentsResponseBody = z
  .object({ agents: z.array(AgentSummary), next_cursor: z.string().nullable() })
  .openapi('ListAgentsResponseBody');
export type ListAgentsResponseBody = z.infer<typeof ListAgentsResponseBody>;

export const CancelAgentResponseBody = z
  .object({
    agent_id: AgentId,
    status: AgentStatus,
    cancelled: z.boolean().describe('false: nothing was queued or running'),
  })
  .openapi('CancelAgentResponseBody');
export type CancelAgentResponseBody = z.infer<typeof CancelAgentResponseBody>;

export const EventsResumeHeaders = z.object({
  'last-event-id': z
    .string()
    .max(200)
    .regex(/^[0-9]{1,20}-[0-9]{1,20}$/, 'an event id as sent on an `id:` line')
    .optional()
    .describe('Resume exactly after this event'),
});
