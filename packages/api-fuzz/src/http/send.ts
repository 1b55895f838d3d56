import http from 'node:http';
import zlib from 'node:zlib';

/** One request exactly as it goes on the wire (fetch normalizes or refuses much of this). */
export interface RawRequest {
  method: string;
  /** Raw path and query, sent as is (latin1 bytes beyond ASCII included). */
  path: string;
  /** Name/value pairs; a name given twice is sent twice. */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  /** Leave out Host (node adds none itself when headers are given as a list). */
  omitHost?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Decoded per Content-Encoding (gzip, deflate, br, zstd). */
  body: Buffer;
  /** Bytes on the wire, before decoding. */
  wireBytes: number;
  ms: number;
}

export type SendResult =
  | { kind: 'response'; response: RawResponse }
  /** No answer within the timeout: the socket is destroyed. */
  | { kind: 'timeout'; ms: number }
  /** The connection failed before a status line arrived (reset, refused, parse error). */
  | { kind: 'transport'; error: string; ms: number };

function decode(encoding: string | undefined, body: Buffer): Buffer {
  switch ((encoding ?? 'identity').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    case 'zstd':
      return zlib.zstdDecompressSync(body);
    default:
      return body;
  }
}

/**
 * Sends `req` to 127.0.0.1:`port` on a fresh connection (no keep-alive: a server that closes
 * after an error must not poison the next request) and reads the whole answer.
 */
const LIVE_STREAM_READ_MS = 300;

export function send(port: number, req: RawRequest, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolve(result);
      }
    };
    const flat: string[] = req.omitHost === true ? [] : ['Host', `127.0.0.1:${port}`];
    // keep-alive as real clients send it (node's default with agent:false is `close`, on which
    // a server may close before reading an unwanted body, losing its own answer in an RST);
    // the socket is still ours alone and destroyed once the answer is read.
    if (!req.headers.some(([name]) => name.toLowerCase() === 'connection')) {
      flat.push('Connection', 'keep-alive');
    }
    for (const [name, value] of req.headers) {
      flat.push(name, value);
    }
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.path,
      headers: flat,
      agent: false,
      // A 431 answer to our own oversized headers is read with room to spare.
      maxHeaderSize: 64 * 1024,
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ kind: 'timeout', ms: elapsed() });
    }, timeoutMs);
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = () => {
        const wire = Buffer.concat(chunks);
        let body: Buffer;
        try {
          body = decode(res.headers['content-encoding'], wire);
        } catch (error) {
          body = Buffer.from(`<undecodable ${res.headers['content-encoding']}: ${error}>`);
        }
        finish({
          kind: 'response',
          response: {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            wireBytes: wire.length,
            ms: elapsed(),
          },
        });
      };
      res.on('end', done);
      // A live stream (the bus's GET /events) never ends: its status and headers are the answer
      // (its events are judged by the SSE tests), so it is read briefly, then dropped.
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        setTimeout(() => {
          done();
          request.destroy();
        }, LIVE_STREAM_READ_MS).unref();
      }
      // The server may close right after its answer (e.g. a 413 it did not read to the end).
      res.on('error', done);
      res.on('aborted', done);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'transport', error: error.code ?? error.message, ms: elapsed() });
    });
    request.end(req.body);
  });
}
