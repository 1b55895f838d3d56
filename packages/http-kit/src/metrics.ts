import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { routeLabel } from './route-label.js';

/** One app's Prometheus registry (never prom-client's global one, so tests and apps don't clash). */
export interface Metrics {
  /** Add the app's own metrics here: `new Counter({ ..., registers: [metrics.registry] })`. */
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
}

export interface CreateMetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag); default true. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ service: 'orchestratord' }`. */
  defaultLabels?: Record<string, string>;
}

export function createMetrics(opts: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultLabels !== undefined) {
    registry.setDefaultLabels(opts.defaultLabels);
  }
  if (opts.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
  }
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { registry, httpDuration };
}

type DurationChild = ReturnType<Metrics['httpDuration']['labels']>;

/**
 * `(req, res, seconds) => void` observing one request in `metrics.httpDuration`. The labelled
 * children are cached per route, method and status: `observe(labels, v)` builds a closure and
 * checks the label object on every call. Cardinality is bounded (route templates, not URLs).
 * A child stays valid across `reset()`: it looks its series up on every observation.
 */
export function createDurationObserver(
  metrics: Metrics,
): (req: Request, res: Response, seconds: number) => void {
  const byRoute = new Map<string, Map<string, Map<number, DurationChild>>>();
  return (req, res, seconds) => {
    const route = routeLabel(req);
    const method = req.method;
    const status = res.statusCode;
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let child = byStatus.get(status);
    if (child === undefined) {
      child = metrics.httpDuration.labels({ method, route, status_code: String(status) });
      byStatus.set(status, child);
    }
    child.observe(seconds);
  };
}

/** `GET /metrics`: the registry in Prometheus text format. */
export function metricsHandler(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(body);
  };
}
