import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ENGINE_KEY_SCHEME, type RouteDef } from '@agentplane/contracts/engine';
import { ApiError, type IRouter, toExpressPath } from '@agentplane/http-kit';
import type { KeySet } from './key-set.js';

export const ENGINE_KEY_HEADER = 'x-engine-key';

/** An express middleware, typed on node's request so the engine needs no express types. */
export type KeyCheck = (req: IncomingMessage, res: unknown, next: () => void) => void;

/** SHA-256 hex of a key: what ENGINE_KEY_HASH and `set_key_hashes` hold. */
export function hashEngineKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Whether `key` hashes to one of `hashes`. Digests are compared as 32-byte buffers with
 * timingSafeEqual, and every hash is checked even after a match, so the time taken says nothing
 * about which hash (or how much of one) matched.
 */
export function keyMatches(key: string, hashes: readonly string[]): boolean {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  let matched = false;
  for (const hash of hashes) {
    const expected = Buffer.from(hash, 'hex');
    if (expected.length === digest.length && timingSafeEqual(digest, expected)) {
      matched = true;
    }
  }
  return matched;
}

export interface EngineKeyAuthOptions {
  keys: KeySet;
  /**
   * With no hash configured at all: true lets requests through (NODE_ENV=development only, so
   * `pnpm dev` works keyless); false refuses them with 401 naming ENGINE_KEY_HASH.
   */
  openWhenUnset: boolean;
}

/** X-Engine-Key check: 401 UNAUTHORIZED unless the key hashes to an accepted hash. */
export function engineKeyAuth(opts: EngineKeyAuthOptions): KeyCheck {
  return (req, _res, next) => {
    const hashes = opts.keys.hashes();
    if (hashes.length === 0) {
      if (opts.openWhenUnset) {
        next();
        return;
      }
      throw new ApiError({
        code: 'UNAUTHORIZED',
        message: 'No engine key is configured: set ENGINE_KEY_HASH',
      });
    }
    // The key itself is never logged: the kit's logger redacts the x-engine-key header.
    const key = req.headers[ENGINE_KEY_HEADER];
    if (typeof key !== 'string' || key.length === 0) {
      throw new ApiError({ code: 'UNAUTHORIZED', message: 'X-Engine-Key header is required' });
    }
    if (!keyMatches(key, hashes)) {
      throw new ApiError({ code: 'UNAUTHORIZED', message: 'X-Engine-Key is not valid' });
    }
    next();
  };
}

/**
 * Mounts `auth` in front of every route the contract marks with the engine key scheme, so a
 * route gets guarded by being declared guarded (call before the routes are registered).
 */
export function guardRoutes(
  router: IRouter,
  routes: Readonly<Record<string, RouteDef>>,
  auth: KeyCheck,
): void {
  for (const route of Object.values(routes)) {
    if (route.security === ENGINE_KEY_SCHEME) {
      router[route.method](toExpressPath(route.path), auth);
    }
  }
}
