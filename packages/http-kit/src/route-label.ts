import type { Request } from 'express';

const ROUTE_LABEL = Symbol('http-kit.route-label');

type Labelled = Request & { [ROUTE_LABEL]?: string };

/** Records the matched route template (`/engines/{id}`) for logs and metrics. */
export function setRouteLabel(req: Request, template: string): void {
  (req as Labelled)[ROUTE_LABEL] = template;
}

/**
 * The route template of a request, never the raw URL (which would explode metric cardinality):
 * what `registerRoute` recorded, else express's matched path, else `unmatched`.
 */
export function routeLabel(req: Request): string {
  const label = (req as Labelled)[ROUTE_LABEL];
  if (label !== undefined) {
    return label;
  }
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
