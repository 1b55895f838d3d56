import { randomUUID } from 'node:crypto';
import { registerProduct } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { AuditLog } from '../fleet/audit.js';
import { type ProductRepo, toProduct } from '../fleet/product-repo.js';
import { generateKey, sha256Hex } from '../keys/secrets.js';

export interface ProductRouteDeps {
  products: ProductRepo;
  audit: AuditLog;
}

export function registerProductRegisterPost(router: IRouter, deps: ProductRouteDeps): void {
  registerRoute(router, registerProduct, async ({ body }) => {
    const platformKey = generateKey('pk');
    const policy = body.policy ?? {};
    const row = await deps.products.insert({
      id: randomUUID(),
      slug: body.slug,
      display_name: body.display_name,
      key_hash: sha256Hex(platformKey),
      policy,
    });
    if (row === undefined) {
      throw new ApiError({ code: 'CONFLICT', message: `Slug ${body.slug} is taken` });
    }
    await deps.audit.append({
      productId: row.id,
      engineId: null,
      userId: null,
      actor: 'admin',
      action: 'policy_register',
      metadata: { slug: row.slug, policy },
    });
    return { status: 201, body: { ...toProduct(row), platform_key: platformKey } };
  });
}
