import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { correlationHeaders } from '@agentplane/http-kit';

/** How one HTTP exchange with a processor ended. */
export type HttpOutcome =
  | { kind: 'answer'; status: number; body: string }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'too-large'; limit: number };

export interface HttpCallOptions {
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Deadline for the whole exchange, connect to last body byte. */
  timeoutMs: number;
  /** Answers past this many bytes are abandoned (a processor answers one small envelope). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Keep-alive pools for processor calls; one per adapter, destroyed on close. */
export interface HttpPool {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

export function createHttpPool(): HttpPool {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * One request with node:http (not global fetch: limits.md §1, a quarter of the throughput on a
 * relay path). Never rejects: every transport failure is an outcome the adapters map to an
 * envelope.
 */
export function httpCall(pool: HttpPool, url: URL, options: HttpCallOptions): Promise<HttpOutcome> {
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HttpOutcome) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      }
    };
    // The caller's correlation id (when it runs inside a request of ours) reaches the processor,
    // which echoes it and binds it to the run's log: one id from product to processor.
    const headers: Record<string, string | number> = {
      accept: 'application/json',
      ...correlationHeaders(),
      ...options.headers,
    };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const req = send(
      url,
      { method: options.method, agent: https ? pool.https : pool.http, headers },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            settle({ kind: 'too-large', limit: maxBytes });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          settle({
            kind: 'answer',
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) =>
          settle({ kind: 'unreachable', reason: `connection lost mid-answer: ${error.message}` }),
        );
        res.on('close', () => {
          if (!res.complete) {
            settle({ kind: 'unreachable', reason: 'connection lost mid-answer' });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'timeout' });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      settle({ kind: 'unreachable', reason: 'aborted by the caller' });
      req.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) {
      onAbort();
    }
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'unreachable', reason: error.code ?? error.message }),
    );
    req.end(options.body);
  });
}
