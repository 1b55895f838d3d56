import type { HttpMethod } from '@agentplane/contracts/common';

interface PathEntry {
  /** Matches a request path as express does: raw (undecoded), any case, optional trailing slash. */
  pattern: RegExp;
  methods: Set<string>;
}

// Per router: the paths registered on it and their methods. Only the error path (no route
// matched) reads it, so a linear scan over a service's ~20 paths is fine.
const tables = new WeakMap<object, Map<string, PathEntry>>();

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function patternOf(openApiPath: string): RegExp {
  const source = openApiPath
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`, 'i');
}

/**
 * Notes that `router` serves `method` on `openApiPath` (`/engines/{id}`), so a request with
 * another method on that path answers 405 with `Allow` instead of 404. registerRoute calls it;
 * createServiceApp calls it for its own routes (/openapi.json, /metrics).
 */
export function recordRoute(router: object, method: HttpMethod, openApiPath: string): void {
  let table = tables.get(router);
  if (table === undefined) {
    table = new Map();
    tables.set(router, table);
  }
  let entry = table.get(openApiPath);
  if (entry === undefined) {
    entry = { pattern: patternOf(openApiPath), methods: new Set() };
    table.set(openApiPath, entry);
  }
  entry.methods.add(method.toUpperCase());
  if (method === 'get') {
    // express answers HEAD with the GET route (without the body).
    entry.methods.add('HEAD');
  }
}

/**
 * The methods served on `path` by routes recorded on `router` (for an `Allow` header, in a fixed
 * order), or undefined when no recorded route has that path.
 */
export function allowedMethods(router: object, path: string): string[] | undefined {
  const table = tables.get(router);
  if (table === undefined) {
    return undefined;
  }
  const methods = new Set<string>();
  for (const entry of table.values()) {
    if (entry.pattern.test(path)) {
      for (const method of entry.methods) {
        methods.add(method);
      }
    }
  }
  if (methods.size === 0) {
    return undefined;
  }
  return [...methods].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}
