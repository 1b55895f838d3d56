import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';

declare global {
  namespace Express {
    interface Request {
      /** The request's correlation id (accepted from X-Correlation-Id or generated). */
      correlationId: string;
      /** A child logger bound to `correlation_id`. */
      log: Logger;
    }
  }
}

interface CorrelationStore {
  readonly correlationId: string;
  readonly log: Logger;
}

/**
 * One request's correlation id and its logger. The child logger is built on first use: at warn
 * (or for a request that never logs) the `logger.child` call, ~1 µs, is never paid.
 */
export class RequestScope implements CorrelationStore {
  readonly correlationId: string;
  readonly #base: Logger;
  #log: Logger | undefined;

  constructor(correlationId: string, base: Logger) {
    this.correlationId = correlationId;
    this.#base = base;
  }

  get log(): Logger {
    this.#log ??= this.#base.child({ correlation_id: this.correlationId });
    return this.#log;
  }

  /** Whether `log` logs at `level`, without building the child (which inherits the base level). */
  isLevelEnabled(level: string): boolean {
    return (this.#log ?? this.#base).isLevelEnabled(level);
  }
}

const storage = new AsyncLocalStorage<CorrelationStore>();
const SCOPE = Symbol('http-kit.request-scope');

type Scoped = Request & { [SCOPE]?: RequestScope };

/** The correlation id of the request being served, if any (read from AsyncLocalStorage). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** The request-bound logger of the request being served, if any. */
export function currentLogger(): Logger | undefined {
  return storage.getStore()?.log;
}

/** Runs `fn` with `correlationId` as the current id (for work started outside a request). */
export function runWithCorrelation<T>(correlationId: string, log: Logger, fn: () => T): T {
  return storage.run({ correlationId, log }, fn);
}

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** True for ids we accept from a caller: at most 128 chars of `[A-Za-z0-9._:-]`. */
export function isValidCorrelationId(id: string): boolean {
  return VALID_ID.test(id);
}

// One randomBytes call per 256 ids: a 16-byte call per request showed up at ~4% of CPU. An id's
// 16 bytes are mapped to Crockford characters in place, so its random part is one latin1 slice
// (building it char by char cost ~1 µs per id, a few % of a trivial request). They are mapped per
// id, not per refill: a 4096-step loop in the first request made V8 compile it on the spot with
// its optimizing compiler (OSR), paging ~5 MB of compiler code into an otherwise idle process.
const POOL_BYTES = 4096;
const CROCKFORD_CODES = Buffer.from(CROCKFORD, 'latin1');
let pool = Buffer.alloc(0);
let poolOffset = 0;
// Ids minted in the same millisecond share their time prefix.
let lastTime = -1;
let lastTimePrefix = '';

function timePrefix(now: number): string {
  if (now !== lastTime) {
    let time = '';
    let t = now;
    for (let i = 0; i < 10; i++) {
      time = CROCKFORD.charAt(t % 32) + time;
      t = Math.floor(t / 32);
    }
    lastTime = now;
    lastTimePrefix = `req_${time}`;
  }
  return lastTimePrefix;
}

/** `req_` + 10 chars of millisecond time + 16 random chars (Crockford base32, ULID-like: sortable). */
export function newCorrelationId(now = Date.now()): string {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const end = poolOffset + 16;
  for (let i = poolOffset; i < end; i++) {
    pool[i] = CROCKFORD_CODES[(pool[i] ?? 0) & 31] ?? 48;
  }
  const rand = pool.toString('latin1', poolOffset, end);
  poolOffset = end;
  return timePrefix(now) + rand;
}

/** The caller's valid `X-Correlation-Id`, else a new id. */
export function resolveCorrelationId(req: Request): string {
  const incoming = req.headers[CORRELATION_HEADER];
  return typeof incoming === 'string' && isValidCorrelationId(incoming)
    ? incoming
    : newCorrelationId();
}

/**
 * Sets the id on the response first thing (so errors, 404s and SSE carry it), attaches `scope` to
 * `req` and runs `next` inside it (AsyncLocalStorage, for `correlationHeaders()` on outgoing calls).
 */
export function enterRequestScope(
  req: Request,
  res: Response,
  scope: RequestScope,
  next: () => void,
): void {
  res.setHeader('X-Correlation-Id', scope.correlationId);
  req.correlationId = scope.correlationId;
  (req as Scoped)[SCOPE] = scope;
  storage.run(scope, next);
}

/**
 * Makes `req.log` lazy for the requests of one express app (`app.request` is their prototype):
 * the getter returns the request scope's logger, built on first read; assigning `req.log` still
 * works (it shadows the getter on that request).
 */
export function installLazyRequestLog(requestPrototype: object): void {
  Object.defineProperty(requestPrototype, 'log', {
    configurable: true,
    enumerable: true,
    get(this: Scoped): Logger | undefined {
      return this[SCOPE]?.log;
    },
    set(this: Scoped, value: Logger) {
      Object.defineProperty(this, 'log', {
        value,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    },
  });
}
