import { z } from '../common/zod.js';

/**
 * A model reference: `mock` (the built-in deterministic model) or `<vendor>/<model>` /
 * a bare model name understood by the configured OpenAI-compatible endpoint.
 */
const ModelRef = z.string().min(1).max(200);

/** A tool name (`memory.search`), a namespace wildcard (`memory.*`) or `*` (every catalog tool). */
const ToolPattern = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/, 'a tool name, `ns.*` or `*`');

/** A host name, optionally with a leading `*.` wildcard for subdomains. */
const HostPattern = z
  .string()
  .max(253)
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
    'a lowercase host',
  );

// `.prefault({})` (not `.default({})`) so an omitted section is parsed and gets its inner defaults.
export const GatewayModels = z
  .strictObject({
    default: ModelRef.default('mock'),
    planner: ModelRef.optional().describe('Planning sub-steps; falls back to `default`'),
    light: ModelRef.optional().describe('Compaction and summaries; falls back to `default`'),
    fallback: z.array(ModelRef).max(8).default([]).describe('Tried in order when a call fails'),
  })
  .openapi('GatewayModels');

export const GatewaySuperThinking = z
  .strictObject({
    model: ModelRef.optional().describe('Model used when super_thinking is on; default `default`'),
    reasoning_effort: z.enum(['low', 'medium', 'high']).default('high'),
    max_thinking_tokens: z.int().min(1024).max(200_000).optional(),
  })
  .openapi('GatewaySuperThinking');

export const GatewayQuotas = z
  .strictObject({
    tokens_per_day: z.int().positive().nullable().default(null).describe('null = unlimited'),
    requests_per_minute: z.int().positive().nullable().default(null).describe('null = unlimited'),
  })
  .openapi('GatewayQuotas');

export const GatewayTools = z
  .strictObject({
    allowlist: z.array(ToolPattern).max(500).default(['*']).describe('Empty = no tools at all'),
  })
  .openapi('GatewayTools');

export const GatewayPromptCache = z
  .strictObject({
    enabled: z.boolean().default(true),
    min_prefix_tokens: z.int().min(0).default(1024).describe('Shorter prefixes are not marked'),
  })
  .openapi('GatewayPromptCache');

export const GatewayHttpFetch = z
  .strictObject({
    allowed_hosts: z.array(HostPattern).max(500).default([]).describe('Empty = http.fetch denied'),
    max_response_bytes: z.int().positive().max(50_000_000).default(1_000_000),
    timeout_ms: z.int().min(100).max(120_000).default(10_000),
  })
  .openapi('GatewayHttpFetch');

/**
 * The engine's runtime configuration (`/config/gateway.yaml`, or `control.set_config`). Every
 * section is optional; an empty document is a valid config with the defaults below. Unknown keys
 * are rejected so a typo cannot silently disable a quota.
 */
export const GatewayConfig = z
  .strictObject({
    version: z.literal(1).default(1).describe('Schema version of this file'),
    models: GatewayModels.prefault({}),
    super_thinking: GatewaySuperThinking.prefault({}),
    quotas: GatewayQuotas.prefault({}),
    tools: GatewayTools.prefault({}),
    prompt_cache: GatewayPromptCache.prefault({}),
    http_fetch: GatewayHttpFetch.prefault({}),
  })
  .openapi('GatewayConfig');
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;
