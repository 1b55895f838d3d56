import { z } from '../common/zod.js';

/** A product's handle for its end user: safe in container labels, volume names and paths. */
export const UserId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits and . _ @ - (not first)')
  .openapi('UserId', { example: 'user_42' });

export const ProductId = z.uuid().openapi('ProductId');
export const EngineId = z.uuid().openapi('EngineId');

export const EngineStatus = z
  .enum(['provisioning', 'running', 'sleeping', 'stopped', 'failed', 'destroying'])
  .openapi('EngineStatus');
export type EngineStatus = z.infer<typeof EngineStatus>;

/** An engine's status, or `destroyed` once its row is gone (destroy, failed provision). */
export const EngineState = z.enum([...EngineStatus.options, 'destroyed']).openapi('EngineState');
export type EngineState = z.infer<typeof EngineState>;

/** `{}` = unlimited. Replaced whole by PUT …/policy; read on every request, so it applies at once. */
export const ProductPolicy = z
  .strictObject({
    max_engines: z
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Engines in every state but destroyed'),
    rate_limit_rpm: z
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Admits per minute across the product (sliding 60 s window)'),
    auto_provision: z
      .boolean()
      .optional()
      .describe('Admit provisions an engine for an unknown user (default false)'),
  })
  .openapi('ProductPolicy');
export type ProductPolicy = z.infer<typeof ProductPolicy>;

export const RegisterProductBody = z
  .strictObject({
    slug: z
      .string()
      .min(2)
      .max(63)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    display_name: z.string().min(1).max(200),
    policy: ProductPolicy.optional(),
  })
  .openapi('RegisterProductBody');

export const Product = z
  .object({
    product_id: ProductId,
    slug: z.string(),
    display_name: z.string(),
    policy: ProductPolicy,
    created_at: z.iso.datetime(),
  })
  .openapi('Product');
export type Product = z.infer<typeof Product>;

export const RegisterProductResponse = Product.extend({
  platform_key: z.string().describe('`pk-…`: shown once; the orchestrator keeps only its SHA-256'),
}).openapi('RegisterProductResponse');

export const ProductParams = z.object({ product_id: ProductId });
export const UserParams = z.object({ user_id: UserId });

export const ProvisionBody = z
  .strictObject({
    user_id: UserId,
    engine_version: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Image reference (pinned by digest); default ORCH_ENGINE_IMAGE'),
  })
  .openapi('ProvisionBody');

/** An engine as listed: never a key. */
export const EngineInfo = z
  .object({
    engine_id: EngineId,
    user_id: UserId,
    status: EngineStatus,
    url: z.string().describe('Where the product calls the engine (/execute, /rpc…)'),
    engine_version: z.string(),
    pool: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    last_health_at: z.iso.datetime().nullable(),
    last_admit_at: z.iso.datetime().nullable(),
    boot_ms: z.number().nullable().describe('Create/start → /health ok, last boot'),
    restart_count: z.int(),
  })
  .openapi('EngineInfo');
export type EngineInfo = z.infer<typeof EngineInfo>;

export const EngineWithKey = EngineInfo.extend({
  engine_key: z.string().describe('`sk-…`: the current X-Engine-Key'),
}).openapi('EngineWithKey');
export type EngineWithKey = z.infer<typeof EngineWithKey>;

export const ListEnginesQuery = z.object({
  status: EngineStatus.optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
});

export const ListEnginesResponse = z
  .object({ engines: z.array(EngineInfo), next_cursor: z.string().nullable() })
  .openapi('ListEnginesResponse');

export const LifecycleResponse = z
  .object({ engine_id: EngineId, user_id: UserId, status: EngineStatus, url: z.string() })
  .openapi('LifecycleResponse');

export const DestroyResponse = z
  .object({ engine_id: EngineId, user_id: UserId, status: z.literal('destroyed') })
  .openapi('DestroyResponse');

export const RotateKeyResponse = z
  .object({
    engine_id: EngineId,
    user_id: UserId,
    engine_key: z.string().describe('The new key; the old one works until previous_key_expires_at'),
    previous_key_expires_at: z.iso.datetime(),
  })
  .openapi('RotateKeyResponse');

export const AdmitBody = z
  .strictObject({
    auto_wake: z
      .boolean()
      .default(true)
      .describe('Start a sleeping or stopped engine (default true)'),
  })
  .openapi('AdmitBody');

export const AdmitDenialReason = z
  .enum(['engine_not_found', 'engine_sleeping', 'engine_unhealthy'])
  .openapi('AdmitDenialReason');

export const AdmitResponse = z
  .discriminatedUnion('admitted', [
    z.object({
      admitted: z.literal(true),
      engine_id: EngineId,
      user_id: UserId,
      status: z.literal('running'),
      url: z.string(),
      engine_key: z.string(),
      provisioned: z.boolean().describe('This admit created the engine'),
      woke: z.boolean().describe('This admit started a sleeping/stopped engine'),
    }),
    z.object({
      admitted: z.literal(false),
      reason: AdmitDenialReason,
      status: EngineStatus.nullable(),
      message: z.string(),
    }),
  ])
  .openapi('AdmitResponse');
export type AdmitResponse = z.infer<typeof AdmitResponse>;

export const WaitQuery = z.object({
  state: EngineStatus,
  timeout_s: z.number().min(0).max(300).default(30),
});

export const WaitResponse = z
  .object({
    engine_id: EngineId,
    user_id: UserId,
    status: EngineStatus,
    reached: z.boolean().describe('false when timeout_s passed first'),
  })
  .openapi('WaitResponse');

export const FleetStatus = z
  .object({
    total: z.int(),
    by_status: z.record(EngineStatus, z.int()),
    health: z.object({
      healthy: z.int().describe('Running and its last probe was ok'),
      unhealthy: z.int().describe('Running with failed probes, or failed'),
    }),
    provisions_1h: z.int(),
    crashes_1h: z.int(),
    restarts_1h: z.int(),
    avg_boot_ms: z.number().nullable(),
    pools: z.array(z.object({ name: z.string(), driver: z.string(), engines: z.int() })),
  })
  .openapi('FleetStatus');
export type FleetStatus = z.infer<typeof FleetStatus>;

/** Who did it: a caller (api, admin, admit) or one of orchestratord's own loops. */
export const AuditActor = z
  .enum([
    'api',
    'admin',
    'admit',
    'health',
    'events',
    'reconcile',
    'idle',
    'rotation',
    'warm_pool',
    'shutdown',
  ])
  .openapi('AuditActor');
export type AuditActor = z.infer<typeof AuditActor>;

/**
 * Every action the audit log records. `*_fallback`: a start that failed was retried on a fresh
 * container (same volume); `*_failed`: the boot failed for good; `crash`: the container engine
 * reported a death; `health_failed`: probes (or reconcile) found it down; `adopt`: reconcile kept
 * a provision cut short that came up; `provision_abandoned`: one that did not; `reload`: a pool
 * reload moved the engine to another image (`reload_failed`: it did not come up on it, and was
 * put back on its old image).
 */
export const AuditAction = z
  .enum([
    'policy_register',
    'policy_update',
    'provision',
    'provision_failed',
    'provision_abandoned',
    'adopt',
    'start',
    'start_fallback',
    'start_failed',
    'wake',
    'wake_fallback',
    'wake_failed',
    'stop',
    'sleep',
    'destroy',
    'rotate_key',
    'key_overlap_ended',
    'crash',
    'health_failed',
    'auto_restart_start',
    'auto_restart',
    'auto_restart_fallback',
    'auto_restart_failed',
    'auto_restart_gave_up',
    'reload',
    'reload_failed',
  ])
  .openapi('AuditAction');
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z
  .object({
    id: z.int(),
    at: z.iso.datetime(),
    engine_id: EngineId.nullable(),
    user_id: z.string().nullable(),
    actor: AuditActor,
    action: AuditAction,
    from: EngineState.nullable().describe(
      'The engine’s status before the action; null when the action changed no status',
    ),
    to: EngineState.nullable().describe(
      'Its status after; `destroyed` when the row went; null when no status changed',
    ),
    duration_ms: z.number().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  user_id: UserId.optional(),
  after: z.number().int().min(0).default(0).describe('Only entries with id > after'),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const AuditResponse = z
  .object({ entries: z.array(AuditEntry), last_id: z.int() })
  .openapi('AuditResponse');
