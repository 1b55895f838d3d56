import type { ServerResponse } from 'node:http';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/** Responses below this many bytes are sent as is (compressing them costs more than it saves). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader('Content-Type');
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

/**
 * gzip/brotli (compression ≥ 1.8 negotiates `br` first) for compressible responses of 1 KB or
 * more, honouring Accept-Encoding. SSE is never compressed: the filter refuses
 * `text/event-stream`, and `openSse` also sets `Cache-Control: no-transform`, which the package
 * honours; either alone keeps events from sitting in a zlib buffer.
 */
export function compressionMiddleware(): RequestHandler {
  return compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    filter: (req: Request, res: Response) => !isEventStream(res) && compression.filter(req, res),
  });
}
