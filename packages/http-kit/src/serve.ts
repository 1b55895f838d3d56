import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { answerClientErrors, type ClientErrorBody, requireHost } from './client-error.js';
import type { ErrorBodyFormat } from './errors.js';
import { closeHttpServer } from './shutdown.js';

export interface ListenOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1; containers pass 0.0.0.0. */
  host?: string;
  /** Logs (debug) the requests node's HTTP parser refused. */
  logger?: Logger;
  /**
   * The JSON body answered to a request node's HTTP parser refused (headers over 16 KB → 431,
   * malformed HTTP → 400); default the platform's error envelope. See answerClientErrors.
   */
  clientErrorBody?: ClientErrorBody;
}

export interface Listening {
  server: Server;
  /** The bound port (the real one when 0 was asked). */
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes all connections once `signal` aborts. */
  close(signal?: AbortSignal): Promise<void>;
}

/**
 * Starts `app` and resolves once it listens. Requests refused by node's HTTP parser, or sent
 * without the Host HTTP/1.1 requires, get a JSON envelope with a correlation id, not node's bare
 * status line (answerClientErrors, requireHost).
 *
 * @example
 * const { server, port, close } = await listen(app, { port: 0 });
 * shutdown.register('http', close);
 */
export async function listen(app: Express, opts: ListenOptions): Promise<Listening> {
  // createServiceApp keeps its errorFormats here, so a refusal speaks the route's format.
  const formats = app.locals.errorFormats as readonly ErrorBodyFormat[] | undefined;
  const refusals = { logger: opts.logger, body: opts.clientErrorBody, formats };
  const server = createServer({ requireHostHeader: false }, requireHost(app, refusals));
  answerClientErrors(server, refusals);
  server.listen(opts.port, opts.host ?? '127.0.0.1');
  // events.once rejects if 'error' (EADDRINUSE…) comes first.
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const closeHook = closeHttpServer(server);
  return {
    server,
    port,
    close: (signal) => closeHook(signal ?? new AbortController().signal),
  };
}
