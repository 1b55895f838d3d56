import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AM_ADMIN_KEY_SCHEME, AM_API_KEY_SCHEME, type RouteDef } from '@agentplane/contracts';
import { ApiError, type IRouter, toExpressPath } from '@agentplane/http-kit';

/** The name of the key a request authenticated with (`local` when keyless on loopback). */
const callers = new WeakMap<IncomingMessage, string>();

export function callerOf(req: IncomingMessage): string {
  return callers.get(req) ?? 'local';
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

function countHeader(req: IncomingMessage, name: string): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) {
      count += 1;
    }
  }
  return count;
}

type Middleware = (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void;

export interface AuthConfig {
  /** Undefined = keyless (the config allows it only on loopback). */
  apiKeys: ReadonlyArray<{ name: string; key: string }> | undefined;
  adminKey: string | undefined;
}

function bearerAuth(keys: AuthConfig['apiKeys']): Middleware {
  // Only digests are kept; a lookup by digest compares digests, never the key itself.
  const byHash = new Map((keys ?? []).map(({ name, key }) => [sha256(key).toString('hex'), name]));
  return (req, _res, next) => {
    if (keys === undefined) {
      next();
      return;
    }
    // Node keeps the first of several Authorization headers and drops the rest: a request
    // carrying two credentials is ambiguous, so it is refused rather than judged by the first.
    if (countHeader(req, 'authorization') > 1) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'Send one Authorization header' }));
      return;
    }
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      next(
        new ApiError({ code: 'UNAUTHORIZED', message: 'Authorization: Bearer <key> is required' }),
      );
      return;
    }
    const name = byHash.get(sha256(match[1]).toString('hex'));
    if (name === undefined) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'The API key is not valid' }));
      return;
    }
    callers.set(req, name);
    next();
  };
}

function adminAuth(config: AuthConfig): Middleware {
  const expected = config.adminKey === undefined ? undefined : sha256(config.adminKey);
  return (req, _res, next) => {
    const sent = req.headers['x-admin-key'];
    if (expected === undefined) {
      // Keyless (loopback only): any caller is the local admin; a configured API-key service
      // without an admin key has no admin at all.
      next(
        config.apiKeys === undefined
          ? undefined
          : new ApiError({ code: 'UNAUTHORIZED', message: 'AM_ADMIN_KEY is not configured' }),
      );
      return;
    }
    if (typeof sent !== 'string' || sent === '') {
      next(
        req.headers.authorization === undefined
          ? new ApiError({ code: 'UNAUTHORIZED', message: 'X-Admin-Key header is required' })
          : new ApiError({
              code: 'FORBIDDEN',
              message: 'This route needs X-Admin-Key, not an API key',
            }),
      );
      return;
    }
    if (!timingSafeEqual(sha256(sent), expected)) {
      next(new ApiError({ code: 'UNAUTHORIZED', message: 'X-Admin-Key is not valid' }));
      return;
    }
    callers.set(req, 'admin');
    next();
  };
}

/** Mounts the key check of each route's declared scheme in front of it. */
export function guardRoutes(
  router: IRouter,
  routes: Readonly<Record<string, RouteDef>>,
  config: AuthConfig,
): void {
  const bearer = bearerAuth(config.apiKeys);
  const admin = adminAuth(config);
  for (const route of Object.values(routes)) {
    const check =
      route.security === AM_API_KEY_SCHEME
        ? bearer
        : route.security === AM_ADMIN_KEY_SCHEME
          ? admin
          : undefined;
    if (check !== undefined) {
      router[route.method](toExpressPath(route.path), check);
    }
  }
}
