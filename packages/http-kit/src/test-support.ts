import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { listen } from './serve.js';

/** A logger whose NDJSON lines are kept in memory, for assertions on what was logged. */
export function captureLogger(level = 'debug'): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ level, name: 'test', destination });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, text };
}

export interface Started {
  port: number;
  base: string;
  server: http.Server;
  close: () => Promise<void>;
}

/** Starts `app` on 127.0.0.1:0; `close` also drops keep-alive connections. */
export async function start(app: Express): Promise<Started> {
  const l = await listen(app, { port: 0, host: '127.0.0.1' });
  return {
    port: l.port,
    base: `http://127.0.0.1:${l.port}`,
    server: l.server,
    close: () => {
      const ac = new AbortController();
      ac.abort();
      return l.close(ac.signal);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One request over node:http (no automatic decompression or headers, unlike fetch). */
export function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  text: string;
  /** Whether the server closed the connection within the wait. */
  closed: boolean;
}

/**
 * Writes `bytes` on a fresh TCP connection and collects what comes back until the server closes
 * it or `waitMs` passes (then the socket is destroyed): for requests node:http or fetch refuse to
 * send (a bare `%` path, 20 KB of headers, broken HTTP) and to see whether the server closed.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  waitMs = 2000,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the reply still counts as closed by the server.
    socket.on('error', () => finish(true));
    socket.on('end', () => finish(true));
    socket.write(bytes);
  });
}

/** Status, lower-cased headers and body of one raw HTTP/1.1 response. */
export function parseRawResponse(text: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}
