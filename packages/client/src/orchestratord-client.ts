import {
  type Client,
  type ClientOptions,
  createClient,
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
