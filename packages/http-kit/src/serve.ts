import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { closeHttpServer } from './shutdown.js';

export interface ListenOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1; containers pass 0.0.0.0. */
  host?: string;
}

export interface Listening {
  server: Server;
  /** The bound port (the real one when 0 was asked). */
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes all connections once `signal` aborts. */
  close(signal?: AbortSignal): Promise<void>;
}

/**
 * Starts `app` and resolves once it listens.
 *
 * @example
 * const { server, port, close } = await listen(app, { port: 0 });
 * shutdown.register('http', close);
 */
export async function listen(app: Express, opts: ListenOptions): Promise<Listening> {
  const server = app.listen(opts.port, opts.host ?? '127.0.0.1');
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
