import type { Request, Response } from 'express';
import type { RequestScope } from './correlation.js';
import { routeLabel } from './route-label.js';

// Probes hit these every few seconds; at info they would drown the useful lines.
const QUIET_PATHS = new Set(['/health', '/healthz', '/metrics']);

/**
 * Writes the summary line of a request whose response closed. With `scope`, the levels are checked
 * on it first, so a line that would be dropped (at warn, the bench and noisy deployments) costs
 * neither the line object, the `req.path` parse nor the child logger.
 */
export function logRequestLine(
  req: Request,
  res: Response,
  durationMs: number,
  scope?: RequestScope,
): void {
  // debug < info: below info nothing of this is logged.
  if (scope !== undefined && !scope.isLevelEnabled('info')) {
    return;
  }
  const quiet = QUIET_PATHS.has(req.path);
  if (scope !== undefined && quiet && !scope.isLevelEnabled('debug')) {
    return;
  }
  const line = {
    method: req.method,
    route: routeLabel(req),
    status: res.statusCode,
    duration_ms: Math.round(durationMs * 1000) / 1000,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
  if (quiet) {
    req.log.debug(line, 'request');
  } else {
    req.log.info(line, 'request');
  }
}
