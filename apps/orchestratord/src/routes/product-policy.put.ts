import { putProductPolicy } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { toProduct } from '../fleet/product-repo.js';
import type { ProductRouteDeps } from './product-register.post.js';

export function registerProductPolicyPut(router: IRouter, deps: ProductRouteDeps): void {
  registerRoute(router, putProductPolicy, async ({ params, body }) => {
    const row = await deps.products.setPolicy(params.product_id, body);
    if (row === undefined) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No product ${params.product_id}` });
    }
    await deps.audit.append({
      productId: row.id,
      engineId: null,
      userId: null,
      actor: 'admin',
      action: 'policy_update',
      metadata: { policy: body },
    });
    return { status: 200, body: toProduct(row) };
  });
}
