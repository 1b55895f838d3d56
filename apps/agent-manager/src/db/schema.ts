import type { ChatMessage, ModelResponse } from '@agentplane/agent-loop';
import type {
  AgentResources,
  AgentStatus,
  Capability,
  TokenUsage,
  ToolCallRecord,
} from '@agentplane/contracts';
import type { ColumnType } from 'kysely';

/** Postgres schema holding agent-manager's tables (orchestratord has its own). */
export const DB_SCHEMA = 'agent_manager';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** jsonb: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;
/** jsonb with a column default: may be left out of an insert. */
type DefaultedJson<T> = ColumnType<T, string | undefined, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface AgentError {
  code: string;
  message: string;
}

export interface AgentsTable {
  id: string;
  /** Name of the API key that created it (idempotency keys are scoped to it). */
  owner: string;
  goal: string;
  capabilities: Json<Capability[]>;
  max_steps: number;
  resources: NullableJson<AgentResources>;
  agent: string | null;
  model: string;
  status: AgentStatus;
  idempotency_key: string | null;
  /** SHA-256 of the create body, to refuse a reused Idempotency-Key with another body. */
  request_hash: string | null;
  run_count: ColumnType<number, number | undefined, number>;
  current_run_id: string | null;
  /** Steps checkpointed over every run: the next step id is this + 1. */
  step_count: ColumnType<number, number | undefined, number>;
  usage: DefaultedJson<TokenUsage>;
  error: NullableJson<AgentError>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The model's answer of a step that had not finished when its worker stopped. */
export interface PendingStep {
  step_id: number;
  started_at: string;
  response: ModelResponse;
}

export interface RunsTable {
  id: string;
  agent_id: string;
  run_no: number;
  status: AgentStatus;
  /** The user message this run answers (the goal on the first run). */
  message: string;
  /** Workers that claimed the run; also the fencing token of its writes. */
  attempt: ColumnType<number, number | undefined, number>;
  queued_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  output: string | null;
  stop_reason: 'end_turn' | 'max_steps' | null;
  cancel_requested_by: string | null;
  cancelled_by: string | null;
  error: NullableJson<AgentError>;
  pending: NullableJson<PendingStep>;
  usage: DefaultedJson<TokenUsage>;
}

export interface StepsTable {
  agent_id: string;
  step_id: number;
  run_id: string;
  status: 'ok' | 'error';
  output: string;
  messages: Json<ChatMessage[]>;
  tool_calls: Json<ToolCallRecord[]>;
  usage: Json<TokenUsage>;
  started_at: Timestamp;
  duration_ms: number;
}

export interface ToolResultsTable {
  agent_id: string;
  tool_call_id: string;
  tool: string;
  output: NullableJson<unknown>;
  error: NullableJson<AgentError>;
  duration_ms: number;
  created_at: Timestamp;
}

export interface Database {
  agents: AgentsTable;
  runs: RunsTable;
  steps: StepsTable;
  tool_results: ToolResultsTable;
}
