import express, { type Request, type RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { protoPoisoningPath } from './proto-poisoning.js';
import { JSON_TYPES } from './validate.js';

/** body-parser's own default, for routes registered on an app not built by createServiceApp. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

/** `app.locals` key of the app's JSON body reader (set by createServiceApp). */
export const JSON_BODY_LOCAL = 'httpKitJsonBody';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const FIRST_NON_WHITESPACE = /[^ \t\n\r]/;

function malformed(): ApiError {
  return new ApiError({ code: 'MALFORMED_JSON', message: 'The body is not valid JSON' });
}

/**
 * The body text as the route's input: no bytes at all is "missing" (undefined, which the body
 * schema then refuses when the body is required: an empty PUT must never read as `{}`); otherwise
 * an object or array (body-parser's strict mode) without prototype-poisoning keys.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) {
    return undefined;
  }
  const first = FIRST_NON_WHITESPACE.exec(text)?.[0];
  if (first !== '{' && first !== '[') {
    throw malformed();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed();
  }
  const path = protoPoisoningPath(value, text);
  if (path !== undefined) {
    throw new ApiError({
      code: 'VALIDATION_ERROR',
      message: 'The request is invalid',
      details: {
        issues: [
          {
            path: ['body', ...path].join('.'),
            message: 'Forbidden key (prototype poisoning)',
            code: 'forbidden_key',
          },
        ],
      },
    });
  }
  return value;
}

function contentEncoding(req: Request): string {
  return (req.headers['content-encoding'] ?? 'identity').toLowerCase();
}

/**
 * body-parser reports bytes that do not decompress as the zlib error with status 400 and no
 * `type`; typed failures (too large, unsupported encoding or charset, aborted) keep their type
 * for the error middleware's table.
 */
function translate(err: unknown, req: Request): unknown {
  const typed = typeof err === 'object' && err !== null && 'type' in err;
  const status = (err as { status?: unknown } | null)?.status;
  if (!typed && status === 400 && contentEncoding(req) !== 'identity') {
    return new ApiError({
      code: 'MALFORMED_REQUEST',
      message: `The body does not decode as Content-Encoding ${contentEncoding(req).slice(0, 40)}`,
    });
  }
  return err;
}

function hasNoBytes(req: Request): boolean {
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) === 0;
}

// JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). A lenient decoder would turn invalid
// bytes into U+FFFD and store a corrupted string as if the client had sent it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiError({ code: 'MALFORMED_JSON', message: 'The body is not valid UTF-8' });
  }
}

export interface JsonBodyReaderOptions {
  /**
   * Read any Content-Type as JSON (the processors: curl without a header still gets a run);
   * default false: a body of another type → 415 before a byte is read.
   */
  anyContentType?: boolean;
}

/**
 * Reads a JSON route's body (decompressing gzip, deflate, br and zstd, up to `limitBytes` after
 * decompression) into `req.body`. Mounted on routes with a body schema only, after their key
 * guards: other routes never read a body (node drains it), and a stranger's body is never read.
 * A body with another Content-Type → 415 before a byte is read; none or an empty one → undefined;
 * bytes that are not UTF-8 → 400 MALFORMED_JSON.
 */
export function jsonBodyReader(
  limitBytes: number,
  opts: JsonBodyReaderOptions = {},
): RequestHandler {
  // As bytes, so the kit decodes and parses them: body-parser's json turns an empty body into
  // `{}` and decodes invalid UTF-8 into U+FFFD. Created on the first body, not with the app: the
  // engine's bundle loads body-parser's parsers only then (apps/engine/build/lazy-body-parser.mjs,
  // ~20 ms of boot CPU).
  let readBytes: RequestHandler | undefined;
  return (req, res, next) => {
    if (hasNoBytes(req)) {
      req.body = undefined;
      next();
      return;
    }
    // type-is: null when there is no body at all, false for a body of another type.
    const is = req.is(JSON_TYPES);
    if (is === null) {
      req.body = undefined;
      next();
      return;
    }
    if (is === false && !opts.anyContentType) {
      next(
        new ApiError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: `Content-Type must be application/json, got ${(req.headers['content-type'] ?? 'none').slice(0, 100)}`,
        }),
      );
      return;
    }
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(
        new ApiError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: `Unsupported charset ${charset.slice(0, 40)}; JSON is UTF-8`,
        }),
      );
      return;
    }
    readBytes ??= express.raw({ type: () => true, limit: limitBytes });
    readBytes(req, res, (err?: unknown) => {
      if (err !== undefined && err !== null) {
        next(translate(err, req));
        return;
      }
      try {
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        req.body = parseJsonBody(decodeUtf8(bytes));
      } catch (parseErr) {
        next(parseErr);
        return;
      }
      next();
    });
  };
}
