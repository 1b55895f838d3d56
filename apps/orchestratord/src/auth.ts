import type { IncomingMessage } from 'node:http';
import { ADMIN_KEY_SCHEME, PLATFORM_KEY_SCHEME, type RouteDef } from '@agentplane/contracts';
import { ApiError, type IRouter, toExpressPath } from '@agentplane/http-kit';
import type { EngineRow } from './fleet/engine-repo.js';
import type { ProductRepo, ProductRow } from './fleet/product-repo.js';
import { constantTimeEqual, sha256Hex } from './keys/secrets.js';

const PLATFORM_HEADER = 'x-platform-key';
const ADMIN_HEADER = 'x-admin-key';

interface Authenticated {
  product: ProductRow;
  /** The engine of `userId`, read with the product on routes that prefetch it. */
  prefetched?: { userId: string; engine: EngineRow | undefined };
}

const authenticated = new WeakMap<IncomingMessage, Authenticated>();

/** The product a guarded request authenticated as (set by the platform-key middleware). */
export function productOf(req: IncomingMessage): ProductRow {
  const auth = authenticated.get(req);
  if (auth === undefined) {
    throw new Error('productOf: the route is not guarded by the platform key');
  }
  return auth.product;
}

/**
 * The engine of `userId` as read in the same query as the product (`{ engine: undefined }`: no
 * engine), or undefined when the route does not prefetch it or its raw `user_id` was another one.
 */
export function prefetchedEngine(
  req: IncomingMessage,
  userId: string,
): { engine: EngineRow | undefined } | undefined {
  const prefetched = authenticated.get(req)?.prefetched;
  return prefetched?.userId === userId ? prefetched : undefined;
}

type Middleware = (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * X-Platform-Key, else `Authorization: Bearer <key>`: what an OpenAI SDK sends as its apiKey
 * (/v1/chat/completions). Either way the key is only hashed and looked up, never compared.
 */
function platformKey(req: IncomingMessage): string | undefined {
  const key = header(req, PLATFORM_HEADER);
  if (key !== undefined) {
    return key;
  }
  return header(req, 'authorization')?.match(/^Bearer +(\S+) *$/i)?.[1];
}

type WithParams = IncomingMessage & { params?: Record<string, string | undefined> };

/**
 * X-Platform-Key (or a Bearer token) → its product, looked up by SHA-256 (a unique index, so the
 * lookup itself compares digests, not the key). Unknown or missing → 401. With `prefetchEngine`, the same query
 * also reads the engine of the path's `user_id` (a left join: an unknown key is still a 401, a
 * user without an engine is the handler's call), saving the handler a round trip.
 */
function platformKeyAuth(repo: ProductRepo, prefetchEngine: boolean): Middleware {
  const unknownKey = () =>
    new ApiError({ code: 'UNAUTHORIZED', message: 'X-Platform-Key is not valid' });
  return (req, _res, next) => {
    const key = platformKey(req);
    if (key === undefined) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'X-Platform-Key header is required' }));
      return;
    }
    const userId = prefetchEngine ? (req as WithParams).params?.user_id : undefined;
    if (userId === undefined) {
      repo.byKeyHash(sha256Hex(key)).then((product) => {
        if (product === undefined) {
          next(unknownKey());
          return;
        }
        authenticated.set(req, { product });
        next();
      }, next);
      return;
    }
    repo.byKeyHashWithEngine(sha256Hex(key), userId).then((found) => {
      if (found === undefined) {
        next(unknownKey());
        return;
      }
      authenticated.set(req, {
        product: found.product,
        prefetched: { userId, engine: found.engine },
      });
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

/**
 * Mounts the right key check in front of every route by its declared security scheme. Platform
 * routes named in `prefetchEngine` (operationIds, with a `{user_id}` path parameter) read the
 * user's engine with the product: see prefetchedEngine.
 */
export function guardRoutes(
  router: IRouter,
  routes: Readonly<Record<string, RouteDef>>,
  deps: { products: ProductRepo; adminKey: string; prefetchEngine?: ReadonlySet<string> },
): void {
  const platform = platformKeyAuth(deps.products, false);
  const platformWithEngine = platformKeyAuth(deps.products, true);
  const admin = adminKeyAuth(deps.adminKey);
  for (const route of Object.values(routes)) {
    const check =
      route.security === PLATFORM_KEY_SCHEME
        ? deps.prefetchEngine?.has(route.operationId) === true
          ? platformWithEngine
          : platform
        : route.security === ADMIN_KEY_SCHEME
          ? admin
          : undefined;
    if (check !== undefined) {
      router[route.method](toExpressPath(route.path), check);
    }
  }
}
