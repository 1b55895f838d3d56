import { z } from '../common/zod.js';

// llama-orch's OrchQueue v1 data plane (reference/llama-orch-contracts/data.yaml), kept field for
// field; where agent engines differ the fields are re-read (README "Data plane mapping").

export const TaskPriority = z.enum(['interactive', 'batch']).openapi('TaskPriority');
export type TaskPriority = z.infer<typeof TaskPriority>;

/** Only `completion` (one agent turn) is served; the others are refused with INVALID_PARAMS. */
export const Workload = z.enum(['completion', 'embedding', 'rerank']).openapi('Workload');

const Uuid = z.uuid();

/** What a product may name as the end user; the same rule as the control plane's user_id. */
const UserId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and . _ : @ - (not first)');

export const PROMPT_MAX_CHARS = 100_000;

export const PlacementOverrides = z
  .object({
    mode: z.enum(['pin', 'prefer', 'auto']).optional(),
    pin_pool_id: z.string().min(1).max(64).optional(),
    prefer_pools: z.array(z.string().min(1).max(64)).max(16).optional(),
    avoid_pools: z.array(z.string().min(1).max(64)).max(16).optional(),
    require_device_mask: z.string().max(64).optional(),
    allow_fallback: z.boolean().optional(),
  })
  .openapi('PlacementOverrides');

export const TaskRequest = z
  .object({
    task_id: Uuid,
    session_id: Uuid.describe('The engine conversation this turn continues'),
    user_id: UserId.optional().describe(
      'Whose engine runs the task (beyond llama-orch); default: the session’s user, or for a ' +
        'new session the session id itself',
    ),
    workload: Workload,
    model_ref: z
      .string()
      .min(1)
      .max(512)
      .describe(
        'A catalog entry (an engine image): its id, `default` (the pool’s image), or the ' +
          'image’s digest `sha256:<hex>` (a unique prefix of ≥ 3 hex will do)',
      ),
    engine: z
      .string()
      .min(1)
      .max(64)
      .describe('The engine family that image implements (recorded, reported back on errors)'),
    ctx: z.int().positive().max(1_048_576).describe('Context bound of the turn, in tokens'),
    priority: TaskPriority,
    seed: z.int().optional(),
    determinism: z.enum(['strict', 'best_effort']).optional(),
    sampler_profile_version: z.string().max(64).optional(),
    prompt: z
      .string()
      .min(1)
      .max(PROMPT_MAX_CHARS)
      .optional()
      .describe('The user turn; with neither prompt nor inputs the turn continues the session'),
    inputs: z
      .array(z.string().min(1).max(PROMPT_MAX_CHARS))
      .min(1)
      .max(64)
      .optional()
      .describe('User turn parts, joined by blank lines (when there is no prompt)'),
    max_tokens: z
      .int()
      .positive()
      .max(1_000_000)
      .describe('Tokens the turn may stream; the relay ends the turn there (end.stop_reason)'),
    deadline_ms: z
      .int()
      .positive()
      .max(86_400_000)
      .describe('Latest start, from admission; an infeasible one is refused (DEADLINE_UNMET)'),
    expected_tokens: z.int().nonnegative().optional(),
    kv_hint: z.enum(['reuse', 'cold']).optional(),
    placement: PlacementOverrides.optional(),
  })
  .openapi('TaskRequest');
export type TaskRequest = z.infer<typeof TaskRequest>;

export const StreamsLinks = z
  .object({ sse: z.string(), sse_verbose: z.string() })
  .openapi('StreamsLinks');

export const PreparationStep = z
  .object({
    id: z.string(),
    kind: z.enum(['engine_provision', 'model_fetch', 'pool_warmup']),
    description: z.string().optional(),
    estimated_ms: z.int().nonnegative().optional(),
    group: z.string().optional(),
    status: z.enum(['pending', 'running', 'completed', 'failed']).optional(),
  })
  .openapi('PreparationStep');

export const AdmissionResponse = z
  .object({
    task_id: Uuid,
    queue_position: z.int().nonnegative().describe('Tasks of the pool dispatched before this one'),
    predicted_start_ms: z.int().nonnegative(),
    backoff_ms: z.int().nonnegative(),
    streams: StreamsLinks,
    preparation: z.object({ steps: z.array(PreparationStep) }).optional(),
  })
  .openapi('AdmissionResponse');
export type AdmissionResponse = z.infer<typeof AdmissionResponse>;

export const QueuedTaskParams = z.object({ id: Uuid });
export const SessionParams = z.object({ id: Uuid });

export const TaskStreamQuery = z.object({
  verbose: z
    .enum(['true', 'false'])
    .optional()
    .describe('Richer `metrics` frames (`human`, `phase`)'),
});

/** Resume: the SSE `id:` of the last event received; only later events are sent. */
export const TaskStreamHeaders = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,15}$/, 'a non-negative integer (an event id)')
    .optional(),
});

export const SessionInfo = z
  .object({
    ttl_ms_remaining: z.int().nonnegative(),
    turns: z.int().nonnegative().describe('Tasks admitted in this session'),
    kv_bytes: z.int().nonnegative(),
    kv_warmth: z.boolean(),
    tokens_budget_remaining: z.int().optional(),
    time_budget_remaining_ms: z.int().optional(),
    cost_budget_remaining: z.number().optional(),
  })
  .openapi('SessionInfo');
export type SessionInfo = z.infer<typeof SessionInfo>;
