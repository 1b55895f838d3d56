import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import vary from 'vary';

const CODINGS = ['br', 'gzip', 'deflate'] as const;
type Coding = (typeof CODINGS)[number];

// The package's own `Cache-Control: no-transform` test.
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/;

function compress(coding: Coding, body: Buffer): Buffer {
  switch (coding) {
    case 'br':
      return brotliCompressSync(body, {
        params: {
          // The package's quality; a window no larger than the body saves the encoder
          // allocating (and clearing) a 4 MB ring buffer per response.
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_LGWIN]: Math.min(
            22,
            Math.max(10, Math.ceil(Math.log2(body.byteLength))),
          ),
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      });
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
  }
}

function wholeBody(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  return Buffer.isBuffer(chunk) ? chunk : undefined;
}

function codingFor(req: Request, res: Response): Coding | undefined {
  const cacheControl = res.getHeader('Cache-Control');
  if (
    req.method === 'HEAD' ||
    res.statusCode === 204 ||
    res.statusCode === 304 ||
    res.getHeader('Content-Encoding') !== undefined ||
    (typeof cacheControl === 'string' && NO_TRANSFORM.test(cacheControl))
  ) {
    return undefined;
  }
  // Our preference, as the package's (br first), among what the client accepts at all.
  return CODINGS.find((coding) => req.acceptsEncodings(coding) === coding);
}

/**
 * A response sent whole (res.json, res.send: one `end` with the body, nothing written before) is
 * compressed here, synchronously, and sent in one write with its Content-Length. The compression
 * package would stream it through an async zlib instance: a thread-pool round trip, a chunked
 * body in several writes and an encoder set up per response, ~1 ms of a small JSON answer.
 * Setting Content-Encoding makes the package pass the body through untouched; anything written
 * in pieces (res.write) is still the package's.
 */
export function compressWholeBody(
  req: Request,
  res: Response,
  opts: { threshold: number; compressible: (req: Request, res: Response) => boolean },
): void {
  const write = res.write;
  const end = res.end;
  let streamed = false;
  res.write = function (this: Response, ...args: unknown[]) {
    streamed = true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  res.end = function (this: Response, ...args: unknown[]) {
    const [chunk, encoding] = args;
    const body = streamed || res.headersSent ? undefined : wholeBody(chunk, encoding);
    const coding =
      body !== undefined && body.byteLength >= opts.threshold && opts.compressible(req, res)
        ? codingFor(req, res)
        : undefined;
    if (body === undefined || coding === undefined) {
      return (end as (...a: unknown[]) => Response).apply(this, args);
    }
    const compressed = compress(coding, body);
    res.setHeader('Content-Encoding', coding);
    res.setHeader('Content-Length', compressed.byteLength);
    vary(res, 'Accept-Encoding');
    const callback = args.find((a) => typeof a === 'function');
    return (end as (...a: unknown[]) => Response).call(this, compressed, callback);
  } as typeof res.end;
}
