import { CATALOG_API_VERSION, type Capabilities, TaskRequest } from '@agentplane/contracts';
import type { Config } from '../config.js';
import type { ProductRow } from '../fleet/product-repo.js';
import type { Catalog } from './catalog.js';

// GET /v1/capabilities (llama-orch's Capabilities): one engine per catalog image. The limits are
// the bounds the /v1 TaskRequest schema itself enforces (read from it, so they cannot disagree);
// the rate limits are the queue's config and the asking product's own policy.

const CTX_MAX = TaskRequest.shape.ctx.maxValue ?? Number.MAX_SAFE_INTEGER;
const MAX_TOKENS = TaskRequest.shape.max_tokens.maxValue ?? Number.MAX_SAFE_INTEGER;

/** What every agent engine's task supports on this data plane. */
const FEATURES = {
  streaming: 'sse',
  resume: 'Last-Event-ID',
  cancel: true,
  sessions: true,
  priorities: ['interactive', 'batch'],
  tool_calls: true,
} as const;

export async function capabilitiesFor(
  deps: {
    catalog: Pick<Catalog, 'list'>;
    config: Pick<Config, 'ORCH_QUEUE_CAPACITY' | 'ORCH_QUEUE_POLICY'>;
  },
  product: ProductRow,
): Promise<Capabilities> {
  const rpm = product.policy.rate_limit_rpm;
  const rateLimits = {
    queue_capacity: deps.config.ORCH_QUEUE_CAPACITY,
    full_policy: deps.config.ORCH_QUEUE_POLICY,
    ...(rpm === undefined ? {} : { admit_rpm: rpm }),
  };
  return {
    api_version: CATALOG_API_VERSION,
    engines: (await deps.catalog.list()).map((entry) => ({
      id: entry.id,
      engine: entry.engine,
      digest: entry.digest,
      state: entry.state,
      ctx_max: CTX_MAX,
      max_tokens: MAX_TOKENS,
      supported_workloads: ['completion'],
      rate_limits: rateLimits,
      features: { ...FEATURES },
    })),
  };
}
