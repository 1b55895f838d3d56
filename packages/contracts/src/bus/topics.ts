import { AgentId, AgentStatus, RunId } from '../agent-manager/agents.js';
import { z } from '../common/zod.js';
import { AuditAction, EngineId, EngineState, ProductId, UserId } from '../orchestratord/schemas.js';

// The platform's bus topics (seed §4 "System Events"): per topic, one union of messages
// discriminated on `event`, each `{ event, payload }`. Payloads are plain objects (unknown keys
// are dropped, not refused) so a reader keeps working when a newer publisher adds a field.

export const BusTopic = z
  .enum(['agent.lifecycle', 'agent.trace', 'rag.events', 'engine.lifecycle'])
  .openapi('BusTopic');
export type BusTopic = z.infer<typeof BusTopic>;

const message = <N extends string, P extends z.ZodRawShape>(event: N, payload: P) =>
  z.object({ event: z.literal(event), payload: z.object(payload) });

/** Milliseconds since the epoch, a number as in the seed (`"timestamp": 123456789`). */
const TimestampMs = z.int().nonnegative();
/** 1-based, as the agent run stream's step ids (the seed's `"step_id": 1`). */
const StepId = z.int().positive();
const DurationMs = z.number().nonnegative();

const agentLifecyclePayload = {
  agent_id: AgentId,
  run_id: RunId.optional(),
  timestamp: TimestampMs,
  status: AgentStatus.optional(),
  reason: z.string().optional().describe('Why it failed or was cancelled'),
  by: z.string().optional().describe('Who cancelled: the API key’s name, or `system`'),
};

const AgentLifecycleMessage = z.discriminatedUnion('event', [
  message('agent.created', agentLifecyclePayload),
  message('agent.started', agentLifecyclePayload),
  message('agent.completed', agentLifecyclePayload),
  message('agent.failed', agentLifecyclePayload),
  message('agent.cancelled', agentLifecyclePayload),
]);

const AgentTraceMessage = z.discriminatedUnion('event', [
  message('step.start', {
    agent_id: AgentId,
    run_id: RunId,
    step_id: StepId,
    timestamp: TimestampMs,
  }),
  message('step.complete', {
    agent_id: AgentId,
    run_id: RunId.optional(),
    step_id: StepId,
    duration_ms: DurationMs,
    status: z.enum(['ok', 'error']).optional(),
  }),
  message('tool.complete', {
    agent_id: AgentId,
    run_id: RunId,
    step_id: StepId,
    tool: z.string().min(1),
    tool_call_id: z.string().min(1),
    duration_ms: DurationMs,
    ok: z.boolean(),
  }),
]);

const Count = z.int().nonnegative();

const RagEventsMessage = z.discriminatedUnion('event', [
  message('ingest.progress', {
    job_id: z.string().min(1),
    docs_done: Count,
    docs_total: Count,
    chunks_done: Count,
  }),
  message('ingest.complete', { job_id: z.string().min(1), docs_indexed: Count }),
]);

const EngineLifecycleMessage = z.discriminatedUnion('event', [
  message('engine.transition', {
    engine_id: EngineId,
    product_id: ProductId,
    user_id: UserId,
    from: EngineState.nullable().describe('null: the engine is new to its user (provision)'),
    to: EngineState,
    action: AuditAction.describe('The audit action that recorded the transition'),
    timestamp: TimestampMs,
  }),
]);

/** Topic → the schema of its messages; the bus validates every publish with it. */
export const BusEvents = {
  'agent.lifecycle': AgentLifecycleMessage,
  'agent.trace': AgentTraceMessage,
  'rag.events': RagEventsMessage,
  'engine.lifecycle': EngineLifecycleMessage,
} as const satisfies Record<BusTopic, z.ZodType>;

/** A message of `T` (of any topic by default): `{ event, payload }`. */
export type BusMessage<T extends BusTopic = BusTopic> = z.infer<(typeof BusEvents)[T]>;
