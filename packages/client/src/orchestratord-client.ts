import {
  type Client,
  type ClientOptions,
  createClient,
  orchestratordCatalogRoutes,
  orchestratordDataRoutes,
  orchestratordRoutes,
} from '@agentplane/contracts';
import { headersWith, type Secret } from './auth-headers.js';

export interface OrchestratordClientOptions extends ClientOptions {
  /** Your product's platform key (`pk-…`): `X-Platform-Key`, for every engine operation. */
  platformKey?: Secret;
  /** The operator's ORCH_ADMIN_KEY: `X-Admin-Key`, for registerProduct and putProductPolicy. */
  adminKey?: Secret;
}

/** One method per control-plane operation: registerProduct, provisionEngine, admitEngine, … */
export type OrchestratordClient = Client<typeof orchestratordRoutes>;

/**
 * A typed client of orchestratord's control plane.
 *
 * ```ts
 * const orch = createOrchestratordClient({ baseUrl: 'http://127.0.0.1:8080', platformKey });
 * const res = await orch.admitEngine({ params: { user_id: 'alice' }, body: {} });
 * if (res.status === 200 && res.body.admitted) console.log(res.body.url);
 * ```
 */
export function createOrchestratordClient(
  options: OrchestratordClientOptions,
): OrchestratordClient {
  const { platformKey, adminKey, headers, ...rest } = options;
  return createClient(orchestratordRoutes, {
    ...rest,
    headers: headersWith({ 'x-platform-key': platformKey, 'x-admin-key': adminKey }, headers),
  });
}

/** One method per /v1 data-plane operation: createTask, streamTask, cancelTask, getSession, … */
export type OrchestratordDataClient = Client<typeof orchestratordDataRoutes>;

/**
 * A typed client of orchestratord's /v1 task data plane (llama-orch's data.yaml, plus
 * `user_id` and chat completions): submit a task for a user, stream it, cancel it.
 *
 * ```ts
 * const data = createOrchestratordDataClient({ baseUrl, platformKey });
 * const res = await data.createTask({ body: { task_id, session_id, workload: 'completion',
 *   model_ref: 'default', engine: 'agentplane', ctx: 8192, priority: 'interactive',
 *   max_tokens: 256, deadline_ms: 30000, prompt: 'Hello', user_id: 'alice' } });
 * ```
 */
export function createOrchestratordDataClient(
  options: Omit<OrchestratordClientOptions, 'adminKey'>,
): OrchestratordDataClient {
  const { platformKey, headers, ...rest } = options;
  return createClient(orchestratordDataRoutes, {
    ...rest,
    headers: headersWith({ 'x-platform-key': platformKey }, headers),
  });
}

/** One method per catalog operation: createCatalogModel, verifyCatalogModel, getCapabilities, … */
export type OrchestratordCatalogClient = Client<typeof orchestratordCatalogRoutes>;

/** A typed client of orchestratord's engine-image catalog and capabilities (/v1/catalog, …). */
export function createOrchestratordCatalogClient(
  options: OrchestratordClientOptions,
): OrchestratordCatalogClient {
  const { platformKey, adminKey, headers, ...rest } = options;
  return createClient(orchestratordCatalogRoutes, {
    ...rest,
    headers: headersWith({ 'x-platform-key': platformKey, 'x-admin-key': adminKey }, headers),
  });
}
