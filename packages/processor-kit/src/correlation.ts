import { resolveCorrelationId } from '@agentplane/http-kit';
import type { RequestHandler } from 'express';

/**
 * The platform's correlation rules (http-kit): a caller's well-formed X-Correlation-Id is kept,
 * anything else (absent, too long, odd characters) is replaced by a new `req_…` id. Set on the
 * response before anything can answer, and kept as `req.correlationId` for the run's log.
 */
export function correlationMiddleware(): RequestHandler {
  return (req, res, next) => {
    const id = resolveCorrelationId(req);
    req.correlationId = id;
    res.setHeader('X-Correlation-Id', id);
    next();
  };
}
