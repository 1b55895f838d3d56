/// <reference path="./on-headers.d.ts" />
import type { ServerResponse } from 'node:http';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import vary from 'vary';
import { compressWholeBody } from './compress-whole-body.js';

/** Responses below this many bytes are sent as is (compressing them costs more than it saves). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader('Content-Type');
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

function shouldCompress(req: Request, res: Response): boolean {
  return !isEventStream(res) && compression.filter(req, res);
}

// The package's own `Cache-Control: no-transform` test.
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/;

// Any token the package could negotiate (it offers br, gzip and deflate; `*` matches them all).
// Loose on purpose: a false "maybe" only means the package negotiates, as it always did.
const COMPRESSING_CODING = /br|gzip|deflate|\*/i;

/**
 * True when the request rules compression out whatever the response: no Accept-Encoding (the
 * package then answers identity) or one naming none of its codings.
 */
function cannotCompress(req: Request): boolean {
  const accept = req.headers['accept-encoding'];
  return accept === undefined || !COMPRESSING_CODING.test(accept);
}

/**
 * What the package adds to a response it does not compress: `Vary: Accept-Encoding` on a
 * compressible type without `no-transform` (the body still depends on the request header).
 */
function varyOnly(this: Response): void {
  if (!shouldCompress(this.req, this)) {
    return;
  }
  const cacheControl = this.getHeader('Cache-Control');
  if (typeof cacheControl === 'string' && NO_TRANSFORM.test(cacheControl)) {
    return;
  }
  if (this.getHeader('Vary') === undefined) {
    this.setHeader('Vary', 'Accept-Encoding');
  } else {
    vary(this, 'Accept-Encoding');
  }
}

// The package gives every response a `flush()` (typed as always there); an uncompressed one has
// nothing to flush.
function flushNothing(): void {}

/**
 * gzip/brotli (compression ≥ 1.8 negotiates `br` first) for compressible responses of 1 KB or
 * more, honouring Accept-Encoding. SSE is never compressed: the filter refuses
 * `text/event-stream`, and `openSse` also sets `Cache-Control: no-transform`, which the package
 * honours; either alone keeps events from sitting in a zlib buffer.
 *
 * The package wraps write/end/on/writeHead and adds a listener on every response it sees; a
 * request that cannot be compressed (no usable Accept-Encoding: probes, curl, most load tools)
 * skips it and only gets the same `Vary` header (and a no-op `res.flush`).
 */
export function compressionMiddleware(): RequestHandler {
  const compress = compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    filter: shouldCompress,
  });
  return (req, res, next) => {
    if (cannotCompress(req)) {
      res.flush = flushNothing;
      onHeaders(res, varyOnly);
      next();
      return;
    }
    compress(req, res, (err?: unknown) => {
      // Wrapped after the package, so a whole body meets this wrapper first.
      compressWholeBody(req, res, {
        threshold: COMPRESSION_THRESHOLD_BYTES,
        compressible: shouldCompress,
      });
      next(err);
    });
  };
}
