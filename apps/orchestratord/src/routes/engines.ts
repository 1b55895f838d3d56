import {
  admitEngine,
  destroyEngine,
  getEngine,
  listEngines,
  provisionEngine,
  rotateEngineKey,
  sleepEngine,
  startEngine,
  stopEngine,
  waitEngine,
} from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import { type AdmitDeps, admit } from '../admission/admit.js';
import { prefetchedEngine, productOf } from '../auth.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { Lifecycle } from '../fleet/lifecycle.js';
import type { StateWatch } from '../fleet/state-watch.js';
import { waitForState } from '../fleet/wait-state.js';

export interface EngineRouteDeps extends AdmitDeps {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  watch: StateWatch;
}

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

export function registerEngineRoutes(router: IRouter, deps: EngineRouteDeps): void {
  const { lifecycle } = deps;
  const lifecycleBody = (row: Parameters<Lifecycle['info']>[0]) => ({
    engine_id: row.id,
    user_id: row.user_id,
    status: row.status,
    url: lifecycle.urlOf(row),
  });

  registerRoute(router, provisionEngine, async ({ req, body }) => ({
    status: 201,
    body: await lifecycle.provision(productOf(req), body, 'api'),
  }));

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
        engines: page.map(lifecycle.info),
        next_cursor:
          rows.length > query.limit && last !== undefined
            ? encodeCursor(last.created_at, last.id)
            : null,
      },
    };
  });

  registerRoute(router, getEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycle.withKey(await lifecycle.mustFind(productOf(req).id, params.user_id)),
  }));

  registerRoute(router, startEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycleBody(await lifecycle.start(productOf(req).id, params.user_id, 'api', 'start')),
  }));

  registerRoute(router, stopEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycleBody(await lifecycle.stop(productOf(req).id, params.user_id, 'stopped', 'api')),
  }));

  registerRoute(router, sleepEngine, async ({ req, params }) => ({
    status: 200,
    body: lifecycleBody(await lifecycle.stop(productOf(req).id, params.user_id, 'sleeping', 'api')),
  }));

  registerRoute(router, destroyEngine, async ({ req, params }) => {
    const row = await lifecycle.destroy(productOf(req).id, params.user_id, 'api');
    return { status: 200, body: { engine_id: row.id, user_id: row.user_id, status: 'destroyed' } };
  });

  registerRoute(router, rotateEngineKey, async ({ req, params }) => {
    const { row, newKey, expiresAt } = await lifecycle.rotateKey(productOf(req).id, params.user_id);
    return {
      status: 200,
      body: {
        engine_id: row.id,
        user_id: row.user_id,
        engine_key: newKey,
        previous_key_expires_at: expiresAt.toISOString(),
      },
    };
  });

  registerRoute(router, admitEngine, async ({ req, params, body }) => ({
    status: 200,
    body: await admit(
      deps,
      productOf(req),
      params.user_id,
      body.auto_wake,
      prefetchedEngine(req, params.user_id),
    ),
  }));

  registerRoute(router, waitEngine, async ({ req, params, query, signal }) => {
    const row = await lifecycle.mustFind(productOf(req).id, params.user_id);
    const waited = await waitForState(
      deps,
      row.id,
      (status) => status === query.state || status === 'destroyed',
      query.timeout_s * 1000,
      signal,
    );
    if (waited.row === undefined) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `The engine of ${params.user_id} was destroyed`,
      });
    }
    return {
      status: 200,
      body: {
        engine_id: waited.row.id,
        user_id: waited.row.user_id,
        status: waited.row.status,
        reached: waited.row.status === query.state,
      },
    };
  });
}
