import { rotateEngineKey } from '@agentplane/contracts';
import { type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

export function registerEngineRotateKeyPost(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, rotateEngineKey, async ({ req, params }) => {
    const { row, newKey, expiresAt } = await deps.lifecycle.rotateKey(
      productOf(req).id,
      params.user_id,
    );
    return {
      status: 200,
      body: {
        engine_id: row.id,
        user_id: row.user_id,
        engine_key: newKey,
        previous_key_expires_at: expiresAt.toISOString(),
      },
    };
  });
}
