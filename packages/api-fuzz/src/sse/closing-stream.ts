import net from 'node:net';
import { parseSse, type SseEvent } from './stream-events.js';

export interface ClosingStreamResult {
  /** The status line and headers, lower-cased names. */
  status: number;
  headers: Record<string, string>;
  events: SseEvent[];
  /** ms from the terminal event to the server's FIN; undefined when it never came. */
  closedAfterMs: number | undefined;
}

/** Decodes as much of a chunked body as has arrived. */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) {
      break;
    }
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0 || eol + 2 + size > body.length) {
      break;
    }
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** The head and the (dechunked) body received so far; undefined before the head is complete. */
function decode(raw: Buffer) {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) {
    return undefined;
  }
  const { status, headers } = parseHead(raw.subarray(0, split).toString('latin1'));
  const rest = raw.subarray(split + 4);
  const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest;
  return { status, headers, events: parseSse(body.toString('utf8')) };
}

/**
 * Sends one request with `Connection: close` over a raw socket (so nothing on our side closes
 * it) and reads the stream until the server closes the connection. Resolves when it does, or
 * `graceMs` after `isTerminal` saw the last event, or at `timeoutMs`.
 */
export function readClosingStream(opts: {
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  isTerminal: (e: SseEvent) => boolean;
  graceMs: number;
  timeoutMs: number;
}): Promise<ClosingStreamResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(opts.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let terminalAt: number | undefined;
    let grace: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      clearTimeout(grace);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const got = decode(raw);
      if (got === undefined) {
        reject(new Error(`no response head: ${raw.toString('latin1').slice(0, 200)}`));
        return;
      }
      const closedAfterMs =
        closed && terminalAt !== undefined ? Math.round(performance.now() - terminalAt) : undefined;
      resolve({ ...got, closedAfterMs });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (terminalAt !== undefined) {
        return;
      }
      if (decode(Buffer.concat(chunks))?.events.some(opts.isTerminal)) {
        terminalAt = performance.now();
        grace = setTimeout(() => finish(false), opts.graceMs);
      }
    });
    socket.on('end', () => finish(true));
    socket.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(grace);
      reject(error);
    });
    const head = [
      `POST ${opts.path} HTTP/1.1`,
      `Host: 127.0.0.1:${opts.port}`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(opts.body)}`,
      ...Object.entries(opts.headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n${opts.body}`);
  });
}
