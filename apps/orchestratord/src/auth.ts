import type { IncomingMessage } from 'node:http';
import { ADMIN_KEY_SCHEME, PLATFORM_KEY_SCHEME, type RouteDef } from '@agentplane/contracts';
import { ApiError, type IRouter, toExpressPath } from '@agentplane/http-kit';
import type { ProductRepo, ProductRow } from './fleet/product-repo.js';
import { constantTimeEqual, sha256Hex } from './keys/secrets.js';

const PLATFORM_HEADER = 'x-platform-key';
const ADMIN_HEADER = 'x-admin-key';

const products = new WeakMap<IncomingMessage, ProductRow>();

/** The product a guarded request authenticated as (set by the platform-key middleware). */
export function productOf(req: IncomingMessage): ProductRow {
  const product = products.get(req);
  if (product === undefined) {
    throw new Error('productOf: the route is not guarded by the platform key');
  }
  return product;
}

type Middleware = (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * X-Platform-Key → its product, looked up by SHA-256 (a unique index, so the lookup itself
 * compares digests, not the key). Unknown or missing → 401.
 */
function platformKeyAuth(repo: ProductRepo): Middleware {
  return (req, _res, next) => {
    const key = header(req, PLATFORM_HEADER);
    if (key === undefined) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'X-Platform-Key header is required' }));
      return;
    }
    repo.byKeyHash(sha256Hex(key)).then((product) => {
      if (product === undefined) {
        next(new ApiError({ code: 'UNAUTHORIZED', message: 'X-Platform-Key is not valid' }));
        return;
      }
      products.set(req, product);
      next();
    }, next);
  };
}

/** X-Admin-Key, compared in constant time; a platform key where the admin key belongs → 403. */
function adminKeyAuth(adminKey: string): Middleware {
  return (req, _res, next) => {
    const key = header(req, ADMIN_HEADER);
    if (key === undefined) {
      next(
        header(req, PLATFORM_HEADER) === undefined
          ? new ApiError({ code: 'UNAUTHORIZED', message: 'X-Admin-Key header is required' })
          : new ApiError({
              code: 'FORBIDDEN',
              message: 'This route needs X-Admin-Key, not a platform key',
            }),
      );
      return;
    }
    if (!constantTimeEqual(key, adminKey)) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'X-Admin-Key is not valid' }));
      return;
    }
    next();
  };
}

/** Mounts the right key check in front of every route by its declared security scheme. */
export function guardRoutes(
  router: IRouter,
  routes: Readonly<Record<string, RouteDef>>,
  deps: { products: ProductRepo; adminKey: string },
): void {
  const platform = platformKeyAuth(deps.products);
  const admin = adminKeyAuth(deps.adminKey);
  for (const route of Object.values(routes)) {
    const check =
      route.security === PLATFORM_KEY_SCHEME
        ? platform
        : route.security === ADMIN_KEY_SCHEME
          ? admin
          : undefined;
    if (check !== undefined) {
      router[route.method](toExpressPath(route.path), check);
    }
  }
}
