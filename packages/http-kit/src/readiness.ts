import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/** Answers 503 NOT_READY while the service cannot serve (migrations running, draining…). */
export interface ReadinessGate {
  isReady(): boolean;
  /** Paths served even when not ready; default /health, /healthz, /metrics, /openapi.json. */
  exempt?: readonly string[];
}

const DEFAULT_EXEMPT = ['/health', '/healthz', '/metrics', '/openapi.json'];

export function readinessMiddleware(gate: ReadinessGate): RequestHandler {
  const exempt = new Set(gate.exempt ?? DEFAULT_EXEMPT);
  return (req, _res, next) => {
    if (gate.isReady() || exempt.has(req.path)) {
      next();
      return;
    }
    next(new ApiError({ code: 'NOT_READY', message: 'The service is not ready yet' }));
  };
}
