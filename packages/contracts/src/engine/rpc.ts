import type { ErrorCode } from '../common/errors.js';
import { z } from '../common/zod.js';
import { GatewayConfig } from './gateway-config.js';

export const RpcSubsystem = z.enum(['control', 'telemetry']).openapi('RpcSubsystem');
export type RpcSubsystem = z.infer<typeof RpcSubsystem>;

/** A SHA-256 hex digest of an engine key. */
export const KeyHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 digest')
  .openapi('KeyHash');

const call = <S extends RpcSubsystem, O extends string, P extends z.ZodRawShape>(
  subsystem: S,
  op: O,
  params: P,
) => z.object({ subsystem: z.literal(subsystem), op: z.literal(op), ...params });

export const SetConfigRpc = call('control', 'set_config', { config: GatewayConfig }).openapi(
  'SetConfigRpc',
  { description: 'Validate and atomically swap the active gateway config (not written to disk).' },
);
export const GetConfigRpc = call('control', 'get_config', {}).openapi('GetConfigRpc');
export const ReloadRpc = call('control', 'reload', {}).openapi('ReloadRpc', {
  description:
    'Re-read the gateway config file; on a parse/validation error the active config stays.',
});
export const SetKeyHashesRpc = call('control', 'set_key_hashes', {
  hashes: z
    .array(KeyHash)
    .min(1)
    .max(8)
    .refine((h) => new Set(h).size === h.length, 'hashes must be unique'),
}).openapi('SetKeyHashesRpc', {
  description:
    'Replace the set of accepted X-Engine-Key hashes (key rotation: send old and new, later only ' +
    'new). Every hash in the set is accepted. The engine persists the set under /data so a ' +
    'restart keeps it; ENGINE_KEY_HASH only seeds it when nothing is stored.',
});
export const QuotaStateRpc = call('telemetry', 'quota_state', {}).openapi('QuotaStateRpc');
export const CacheStateRpc = call('telemetry', 'cache_state', {}).openapi('CacheStateRpc');

/** POST /rpc body: discriminated on `op` (op names are unique across subsystems). */
export const RpcRequestBody = z
  .discriminatedUnion('op', [
    SetConfigRpc,
    GetConfigRpc,
    ReloadRpc,
    SetKeyHashesRpc,
    QuotaStateRpc,
    CacheStateRpc,
  ])
  .openapi('RpcRequestBody');
export type RpcRequestBody = z.infer<typeof RpcRequestBody>;
export type RpcOp = RpcRequestBody['op'];

const ConfigSource = z.enum(['default', 'file', 'rpc']);

export const ConfigState = z
  .object({
    config: GatewayConfig,
    generation: z.int().positive().describe('Increments on every successful swap'),
    source: ConfigSource,
    applied_at: z.iso.datetime(),
  })
  .openapi('ConfigState');
export type ConfigState = z.infer<typeof ConfigState>;

export const KeyHashesResult = z
  .object({ accepted_hashes: z.int().min(1).max(8) })
  .openapi('KeyHashesResult');
export type KeyHashesResult = z.infer<typeof KeyHashesResult>;

export const QuotaState = z
  .object({
    day: z.iso.date().describe('UTC day the token counter covers'),
    tokens_used: z.int().nonnegative(),
    tokens_per_day: z.int().positive().nullable(),
    requests_last_minute: z.int().nonnegative(),
    requests_per_minute: z.int().positive().nullable(),
    resets_at: z.iso.datetime(),
  })
  .openapi('QuotaState');
export type QuotaState = z.infer<typeof QuotaState>;

export const CacheState = z
  .object({
    enabled: z.boolean(),
    calls: z.int().nonnegative(),
    input_tokens: z.int().nonnegative(),
    cache_hit_tokens: z.int().nonnegative(),
    hit_ratio: z.number().min(0).max(1).describe('cache_hit_tokens / input_tokens; 0 if none'),
    since: z.iso.datetime(),
  })
  .openapi('CacheState');
export type CacheState = z.infer<typeof CacheState>;

const reply = <S extends RpcSubsystem, O extends RpcOp, R extends z.ZodType>(
  subsystem: S,
  op: O,
  result: R,
) => z.object({ subsystem: z.literal(subsystem), op: z.literal(op), result });

/** The result schema of each op, keyed by op (what the engine's dispatcher must return). */
export const RpcResults = {
  set_config: ConfigState,
  get_config: ConfigState,
  reload: ConfigState,
  set_key_hashes: KeyHashesResult,
  quota_state: QuotaState,
  cache_state: CacheState,
} as const satisfies Record<RpcOp, z.ZodType>;
export type RpcResult<O extends RpcOp> = z.infer<(typeof RpcResults)[O]>;

/** POST /rpc 200 body: echoes subsystem and op, so a client narrows `result` by `op`. */
export const RpcResponseBody = z
  .discriminatedUnion('op', [
    reply('control', 'set_config', RpcResults.set_config),
    reply('control', 'get_config', RpcResults.get_config),
    reply('control', 'reload', RpcResults.reload),
    reply('control', 'set_key_hashes', RpcResults.set_key_hashes),
    reply('telemetry', 'quota_state', RpcResults.quota_state),
    reply('telemetry', 'cache_state', RpcResults.cache_state),
  ])
  .openapi('RpcResponseBody');
export type RpcResponseBody = z.infer<typeof RpcResponseBody>;

const OPS: Record<string, RpcSubsystem> = {
  set_config: 'control',
  get_config: 'control',
  reload: 'control',
  set_key_hashes: 'control',
  quota_state: 'telemetry',
  cache_state: 'telemetry',
} satisfies Record<RpcOp, RpcSubsystem>;

/**
 * UNKNOWN_OPERATION when the body names no existing op, or an op under the wrong subsystem;
 * other failures (missing fields, bad params) stay VALIDATION_ERROR. Wired into the /rpc route.
 */
export function rpcValidationErrorCode(issues: readonly z.core.$ZodIssue[]): ErrorCode | undefined {
  for (const issue of issues) {
    // The HTTP kit prefixes each path with its request part (`body.op`); a bare parse has `op`.
    const path = issue.path[0] === 'body' ? issue.path.slice(1) : issue.path;
    const at = path.join('.');
    if (issue.code === 'invalid_union' && at === 'op') {
      return 'UNKNOWN_OPERATION';
    }
    if (issue.code === 'invalid_value' && at === 'subsystem') {
      return 'UNKNOWN_OPERATION';
    }
  }
  return undefined;
}

/** Whether `subsystem`/`op` name an existing operation. */
export function isKnownRpcOperation(subsystem: string, op: string): boolean {
  return Object.hasOwn(OPS, op) && OPS[op] === subsystem;
}
