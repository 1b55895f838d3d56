import express, { type Express, type IRouter, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { compressionMiddleware } from './compression.js';
import { type ErrorBodyFormat, errorMiddleware, notFoundHandler } from './errors.js';
import { JSON_BODY_LOCAL, jsonBodyReader } from './json-body.js';
import { createMetrics, type Metrics, metricsHandler } from './metrics.js';
import { type ReadinessGate, readinessMiddleware } from './readiness.js';
import { requestObserverMiddleware } from './request-observer.js';
import { VALIDATE_RESPONSES_LOCAL } from './route.js';
import { recordRoute } from './route-table.js';
import type { ShutdownRegistry } from './shutdown.js';

export interface CreateServiceAppOptions {
  /** Service name, kept as `app.locals.serviceName` (the logger already carries it as `name`). */
  name: string;
  logger: Logger;
  /**
   * Mounts key checks before the routes, whose body is read in their own layer, so a request
   * without a valid key is refused (401) before its body is read: a bad body never outranks a
   * missing key, and strangers cannot make the service parse megabytes.
   */
  guards?: (router: IRouter) => void;
  /** Registers the app's routes (with `registerRoute`) before the 404 and error handlers. */
  routes?: (router: IRouter) => void;
  /** The OpenAPI document served at GET /openapi.json; built on first request, then cached. */
  openapi?: () => object;
  /**
   * Largest JSON body accepted (after decompression) on a route with a body schema; larger → 413
   * PAYLOAD_TOO_LARGE. Other routes never read a body.
   */
  bodyLimitBytes: number;
  /** The app's registry (create it with `createMetrics` to add metrics); false: no /metrics. */
  metrics?: Metrics | false;
  readiness?: ReadinessGate;
  /** Counts in-flight requests (`shutdown.inFlight`). */
  shutdown?: ShutdownRegistry;
  /** Error bodies of another shape under a path prefix (see ErrorBodyFormat). */
  errorFormats?: readonly ErrorBodyFormat[];
  /** Check every handler's response against its route schema (dev/test); default false. */
  validateResponses?: boolean;
}

function openapiHandler(build: () => object): RequestHandler {
  let json: string | undefined;
  return (_req, res) => {
    json ??= JSON.stringify(build());
    res.type('application/json').send(json);
  };
}

/**
 * An express 5 app with the platform's middleware in order: correlation id, request log,
 * metrics, compression, guards, readiness, the app's routes (each route with a body schema reads
 * its JSON body, with the limit), /openapi.json, /metrics, 405/404, and the one error middleware.
 *
 * @example
 * const app = createServiceApp({ name: 'engine', logger, bodyLimitBytes: config.BODY_LIMIT_BYTES,
 *   openapi: () => engineDocument, routes: (r) => registerExecute(r, deps) });
 */
export function createServiceApp(opts: CreateServiceAppOptions): Express {
  const logger = opts.logger.child({ component: 'http' });
  const metrics = opts.metrics === false ? undefined : (opts.metrics ?? createMetrics());
  const app = express();
  // ETags hash every JSON body and our clients never revalidate; the header only leaks the stack.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.locals[VALIDATE_RESPONSES_LOCAL] = opts.validateResponses === true;
  app.locals.serviceName = opts.name;
  app.locals[JSON_BODY_LOCAL] = jsonBodyReader(opts.bodyLimitBytes);

  // Correlation id, request log, metrics and in-flight tracking, as one layer.
  app.use(
    requestObserverMiddleware({
      logger,
      metrics,
      shutdown: opts.shutdown,
      requestPrototype: app.request,
    }),
  );
  app.use(compressionMiddleware());
  opts.guards?.(app);
  if (opts.readiness !== undefined) {
    app.use(readinessMiddleware(opts.readiness));
  }
  opts.routes?.(app);
  if (opts.openapi !== undefined) {
    app.get('/openapi.json', openapiHandler(opts.openapi));
    recordRoute(app, 'get', '/openapi.json');
  }
  if (metrics !== undefined) {
    app.get('/metrics', metricsHandler(metrics));
    recordRoute(app, 'get', '/metrics');
  }
  app.use(notFoundHandler());
  app.use(errorMiddleware(logger, opts.errorFormats));
  // listen() reads them: a request refused before express (no Host) is answered in its format.
  app.locals.errorFormats = opts.errorFormats ?? [];
  return app;
}
