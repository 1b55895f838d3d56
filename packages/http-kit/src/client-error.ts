import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@agentplane/contracts/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, isValidCorrelationId, newCorrelationId } from './correlation.js';
import { type ErrorBodyFormat, errorEnvelope } from './errors.js';
import { statusFor } from './status-for.js';

/**
 * The JSON body of a reply to a request node's HTTP parser refused (no express, no route): the
 * platform's error envelope by default; processors pass their own envelope shape.
 */
export type ClientErrorBody = (status: number, code: ErrorCode, correlationId: string) => object;

export interface ClientErrorOptions {
  logger?: Logger;
  body?: ClientErrorBody;
  /**
   * The app's error formats by path prefix (createServiceApp's errorFormats): a request refused
   * after its path is known (no Host) is answered in its route's format, as the app would.
   */
  formats?: readonly ErrorBodyFormat[];
}

interface Reply {
  code: ErrorCode;
  message: string;
}

// Node's own defaults answer these bare (no body, no correlation id); everything else the parser
// refuses (HPE_*) is a 400.
const REPLIES: Readonly<Record<string, Reply>> = {
  HPE_HEADER_OVERFLOW: {
    code: 'HEADERS_TOO_LARGE',
    message: 'The request line and headers are over the size limit',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The chunk extensions are over the size limit',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    message: 'The request did not arrive in time',
  },
};

const NOT_HTTP: Reply = { code: 'MALFORMED_REQUEST', message: 'The request is not valid HTTP' };

function replyFor(code: unknown): Reply | undefined {
  if (typeof code !== 'string') {
    return undefined;
  }
  return REPLIES[code] ?? (code.startsWith('HPE_') ? NOT_HTTP : undefined);
}

// A socket whose peer never reads the reply is destroyed anyway after this long.
const LINGER_MS = 5_000;

type HttpSocket = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * Answers what node's HTTP parser refuses before express sees a request (headers or URL over
 * 16 KB → 431, malformed HTTP → 400, a request that did not arrive in time → 408) with a JSON body
 * carrying a generated correlation id (also in X-Correlation-Id) and `Connection: close`, then
 * closes the socket. Transport errors (ECONNRESET…) and sockets already writing a response are
 * just destroyed, as node does.
 */
export function answerClientErrors(server: Server, opts: ClientErrorOptions = {}): void {
  server.on('clientError', (err: NodeJS.ErrnoException, duplex: Duplex) => {
    const socket = duplex as HttpSocket;
    const reply = replyFor(err.code);
    // Writing after a response started on this socket would corrupt it for the peer.
    if (reply === undefined || !socket.writable || socket._httpMessage?.headersSent === true) {
      socket.destroy();
      return;
    }
    const status = statusFor(reply.code);
    const correlationId = newCorrelationId();
    opts.logger?.debug(
      { correlation_id: correlationId, status, code: reply.code, err_code: err.code },
      'refused by the HTTP parser',
    );
    const payload =
      opts.body?.(status, reply.code, correlationId) ??
      errorEnvelope(reply.code, reply.message, correlationId);
    const body = JSON.stringify(payload);
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Correlation-Id: ${correlationId}`,
      'Connection: close',
    ].join('\r\n');
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // Destroyed once the reply is flushed: the peer may still be sending the rest of its headers.
    socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
  });
}

function correlationIdOf(req: IncomingMessage): string {
  const incoming = req.headers[CORRELATION_HEADER];
  return typeof incoming === 'string' && isValidCorrelationId(incoming)
    ? incoming
    : newCorrelationId();
}

/**
 * HTTP/1.1 requires Host (RFC 9112 §3.2: a server MUST answer 400). Node enforces it by writing a
 * bare 400 before any handler runs; the server is created with `requireHostHeader: false` so that
 * this wrapper answers it instead, with the envelope and the caller's correlation id.
 */
export function requireHost(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  opts: ClientErrorOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.headers.host !== undefined || req.httpVersion !== '1.1') {
      handler(req, res);
      return;
    }
    const code: ErrorCode = 'MALFORMED_REQUEST';
    const status = statusFor(code);
    const correlationId = correlationIdOf(req);
    opts.logger?.debug({ correlation_id: correlationId, status, code }, 'no Host header');
    const message = 'HTTP/1.1 requires a Host header';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const format = opts.formats?.find((f) => path.startsWith(f.prefix));
    const payload =
      opts.body?.(status, code, correlationId) ??
      format?.render({ code, message, correlationId }, undefined, req as Request).body ??
      errorEnvelope(code, message, correlationId);
    const body = JSON.stringify(payload);
    res.shouldKeepAlive = false;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-correlation-id': correlationId,
    });
    res.end(body);
  };
}
