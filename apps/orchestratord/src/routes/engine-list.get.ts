import { listEngines } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { productOf } from '../auth.js';
import type { EngineRouteDeps } from './engine-route-deps.js';

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (id === undefined || Number.isNaN(createdAt.getTime())) {
    throw new ApiError({
      code: 'VALIDATION_ERROR',
      message: 'cursor is not a next_cursor this API returned',
      details: { issues: [{ path: 'query.cursor', message: 'invalid cursor', code: 'custom' }] },
    });
  }
  return { createdAt, id };
}

export function registerEngineListGet(router: IRouter, deps: EngineRouteDeps): void {
  registerRoute(router, listEngines, async ({ req, query }) => {
    const rows = await deps.repo.list({
      productId: productOf(req).id,
      status: query.status,
      limit: query.limit + 1,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      status: 200,
      body: {
        engines: page.map(deps.view.info),
        next_cursor:
          rows.length > query.limit && last !== undefined
            ? encodeCursor(last.created_at, last.id)
            : null,
      },
    };
  });
}
