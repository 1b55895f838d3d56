import fc from 'fast-check';
import type { ApiDocument, Operation } from '../openapi/api-document.js';
import { basePath } from './assemble.js';
import type { Category } from './fuzz-case.js';
import { templatePattern } from './param-check.js';

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods served on a raw path, as `Allow` should list them: every documented template the
 * path matches counts (`/engines/provision` is also `/engines/{user_id}`), and GET implies HEAD.
 */
export function allowedOn(doc: ApiDocument, path: string): string[] {
  const methods = new Set<string>();
  for (const [template, list] of doc.methodsByPath) {
    if (templatePattern(template).test(path)) {
      for (const m of list) {
        methods.add(m);
      }
    }
  }
  if (methods.has('GET')) {
    methods.add('HEAD');
  }
  return [...methods];
}

const wrongMethod: Category = {
  name: 'method.wrong',
  applies: (ctx) => ctx.op.path !== UNKNOWN_PATH.path,
  drafts: (ctx) =>
    fc.nat().map((n) => () => {
      const allowed = allowedOn(ctx.doc, basePath(ctx.op, ctx.base));
      const wrong = ALL_METHODS.filter((m) => !allowed.includes(m));
      const method = wrong[n % Math.max(1, wrong.length)];
      if (method === undefined) {
        return undefined;
      }
      return {
        defect: `${method} on a path documented for ${allowed.join(', ')}`,
        method,
        body: null,
        expect: { statuses: [405] },
      };
    }),
};

/** Stands for "no operation": the category below runs once per document under this name. */
export const UNKNOWN_PATH: Operation = {
  id: 'unknown-path',
  method: 'GET',
  path: '/__unknown__',
  params: [],
  body: undefined,
  security: [],
  statuses: new Set(),
};

// Served by every service and in no document: their absence is not a 404.
const KIT_PATHS = ['/openapi.json', '/metrics'];

const unknownPath: Category = {
  name: 'path.unknown',
  applies: (ctx) => ctx.op === UNKNOWN_PATH,
  drafts: (ctx) =>
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom(
            '/',
            '//',
            '/..',
            '/%2e%2e/',
            '/index.html',
            '/.env',
            '/api',
            '/v1',
            '/admin',
            '/openapi.yaml',
            '/metrics/x',
            '/health/x',
            '/%zz',
          ),
          fc
            .array(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 4 })
            .map((parts) => `/${parts.join('/')}`),
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      )
      .map(([path, method]) => () => {
        const documented = [...ctx.doc.methodsByPath.keys()].some((t) =>
          templatePattern(t).test(path),
        );
        const kit = KIT_PATHS.some((k) => templatePattern(k).test(path));
        if (documented || kit) {
          return undefined;
        }
        return {
          defect: `${method} ${path} (no such path)`,
          method,
          rawPath: path,
          rawQuery: '',
          auth: [],
          body: null,
          expect: { statuses: [404] },
        };
      }),
};

export const routeCategories: readonly Category[] = [wrongMethod, unknownPath];
