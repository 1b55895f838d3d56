import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import {
  enterRequestScope,
  installLazyRequestLog,
  RequestScope,
  resolveCorrelationId,
} from './correlation.js';
import { createDurationObserver, type Metrics } from './metrics.js';
import { logRequestLine } from './request-log.js';
import type { ShutdownRegistry } from './shutdown.js';

export interface RequestObserverOptions {
  /** The app's http logger; `req.log` is its child bound to `correlation_id`. */
  logger: Logger;
  metrics?: Metrics;
  /** Counts each request in `shutdown.inFlight` until its response closes. */
  shutdown?: ShutdownRegistry;
  /** The app's request prototype (`app.request`), on which `req.log` becomes a lazy getter. */
  requestPrototype: object;
}

/**
 * What `correlationMiddleware`, `requestLogMiddleware`, `metricsMiddleware` and
 * `shutdown.trackRequests()` do, as ONE express layer with ONE 'close' listener and one clock
 * read at each end. As four layers they cost four router hops, four `once` wrappers and two
 * clocks per request, a measurable share of a trivial route (bench/json-route).
 */
export function requestObserverMiddleware(opts: RequestObserverOptions): RequestHandler {
  const { logger, shutdown } = opts;
  const observe = opts.metrics === undefined ? undefined : createDurationObserver(opts.metrics);
  installLazyRequestLog(opts.requestPrototype);
  return (req, res, next) => {
    const start = performance.now();
    const scope = new RequestScope(resolveCorrelationId(req), logger);
    const done = shutdown?.track();
    res.on('close', () => {
      const durationMs = performance.now() - start;
      logRequestLine(req, res, durationMs, scope);
      observe?.(req, res, durationMs / 1000);
      done?.();
    });
    enterRequestScope(req, res, scope, next);
  };
}
