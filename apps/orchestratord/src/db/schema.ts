import type {
  AuditAction,
  AuditActor,
  CatalogModel,
  CatalogModelState,
  EngineState,
  EngineStatus,
  ProductPolicy,
  TaskRequest,
} from '@agentplane/contracts';
import type { ColumnType, Generated } from 'kysely';

/** Postgres schema holding orchestratord's tables (agent-manager has its own). */
export const DB_SCHEMA = 'orchestratord';

/** The product that owns warm-pool engines (created by migration 002; has no platform key). */
export const WARM_PRODUCT_ID = '00000000-0000-4000-8000-00000000a000';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export interface ProductsTable {
  id: string;
  slug: string;
  display_name: string;
  key_hash: string;
  policy: ColumnType<ProductPolicy, string, string>;
  created_at: Timestamp;
}

export interface EnginesTable {
  id: string;
  product_id: string;
  user_id: string;
  status: EngineStatus;
  pool: string;
  host_port: number;
  image: string;
  key_hash: string;
  /** AES-256-GCM under ORCH_MASTER_KEY, bound to the engine id (see keys/sealer.ts). */
  key_enc: string;
  prev_key_hash: string | null;
  prev_key_expires_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_health_at: NullableTimestamp;
  last_admit_at: NullableTimestamp;
  health_failures: Generated<number>;
  restart_count: Generated<number>;
  /** Auto-restart attempts since the engine was last healthy. */
  restart_attempts: Generated<number>;
  next_restart_at: NullableTimestamp;
  boot_ms: number | null;
}

export interface AuditTable {
  id: Generated<string>;
  at: Generated<Date>;
  product_id: string | null;
  engine_id: string | null;
  user_id: string | null;
  actor: AuditActor;
  action: AuditAction;
  from_status: EngineState | null;
  to_status: EngineState | null;
  duration_ms: number | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** queued → running → completed | failed | cancelled; queued → cancelled | dropped | failed. */
export type TaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'dropped';

export interface TasksTable {
  id: string;
  product_id: string;
  user_id: string;
  session_id: string;
  pool: string;
  /** 0 interactive, 1 batch: the dispatch order is (rank, queue_seq). */
  rank: number;
  queue_seq: Generated<string>;
  status: TaskStatus;
  request: ColumnType<TaskRequest, string, string>;
  request_hash: string;
  correlation_id: string;
  enqueued_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** The replica relaying it (running tasks). */
  claimed_by: string | null;
  heartbeat_at: NullableTimestamp;
  cancel_requested_at: NullableTimestamp;
  /** Events written to task_events (the last one's seq). */
  event_count: Generated<number>;
  /** The engine event seq relayed last (a resumed relay replays after it). */
  engine_seq: Generated<number>;
  tokens_out: Generated<number>;
}

export interface TaskEventsTable {
  task_id: string;
  seq: number;
  event: string;
  data: ColumnType<Record<string, unknown>, string, string>;
}

export interface SessionsTable {
  product_id: string;
  id: string;
  user_id: string;
  turns: Generated<number>;
  tokens_used: ColumnType<string, string | number | undefined, string | number>;
  expires_at: Timestamp;
}

export interface PoolDrainsTable {
  pool: string;
  deadline_at: Timestamp;
  /** The deadline passed and the pool's tasks were stopped. */
  expired: Generated<boolean>;
}

/** One engine image in the catalog (migration 005). */
export interface CatalogModelsTable {
  id: string;
  /** The engine family the image implements (default `agentplane`). */
  engine: string;
  /** The reference engines run: source_url, else the digest. */
  image: string;
  digest: string;
  state: CatalogModelState;
  /** The entry as created (llama-orch's CatalogModel: tags, signatures, trust_policy…). */
  model: ColumnType<CatalogModel, string, string>;
  created_at: Timestamp;
  verified_at: NullableTimestamp;
}

export interface Database {
  products: ProductsTable;
  engines: EnginesTable;
  audit_log: AuditTable;
  tasks: TasksTable;
  task_events: TaskEventsTable;
  sessions: SessionsTable;
  pool_drains: PoolDrainsTable;
  catalog_models: CatalogModelsTable;
}
