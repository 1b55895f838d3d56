import type {
  AuditAction,
  AuditActor,
  EngineState,
  EngineStatus,
  ProductPolicy,
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

export interface Database {
  products: ProductsTable;
  engines: EnginesTable;
  audit_log: AuditTable;
}
