import type { Express } from 'express';
import type { Logger } from 'pino';
import type { ClientErrorBody } from './client-error.js';
import { ConfigError } from './config.js';
import { type Listening, listen } from './serve.js';
import { installSignalHandlers, type ShutdownRegistry } from './shutdown.js';

export interface StartServiceOptions {
  app: Express;
  logger: Logger;
  shutdown: ShutdownRegistry;
  port: number;
  host: string;
  /**
   * The body answered to a request node's HTTP parser refused (431/400/408); default the
   * platform's error envelope. Processors pass their own envelope shape.
   */
  clientErrorBody?: ClientErrorBody;
}

/**
 * The last step of every `main.ts`: listen, make the HTTP server the first thing shutdown closes
 * (hooks run in reverse order, so it is registered last), and turn SIGTERM/SIGINT into a drain.
 */
export async function startService(opts: StartServiceOptions): Promise<Listening> {
  const listening = await listen(opts.app, {
    port: opts.port,
    host: opts.host,
    logger: opts.logger.child({ component: 'http' }),
    clientErrorBody: opts.clientErrorBody,
  });
  opts.shutdown.register('http', (signal) => listening.close(signal));
  installSignalHandlers(opts.shutdown, { logger: opts.logger });
  opts.logger.info({ host: opts.host, port: listening.port }, 'listening');
  return listening;
}

/**
 * Runs `load` (a config parser) and, on a ConfigError, prints its message — which names every bad
 * variable — and exits 1 instead of dumping a stack trace.
 */
export function loadConfigOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
