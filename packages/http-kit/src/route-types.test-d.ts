import { commonErrorResponses, defineRoute } from '@agentplane/contracts';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { registerRoute } from './route.js';
import type { RouteInput, RouteResult } from './route-types.js';

const route = defineRoute({
  method: 'post',
  path: '/tasks/{task_id}',
  operationId: 'startTask',
  summary: 'Start',
  request: {
    params: z.object({ task_id: z.string() }),
    body: z.object({ max_turns: z.number().default(3) }),
  },
  responses: {
    202: { description: 'accepted', schema: z.object({ id: z.string() }) },
    204: { description: 'nothing', kind: 'empty' },
    ...commonErrorResponses,
  },
});

describe('route types', () => {
  it('infers validated input, with defaults applied', () => {
    expectTypeOf<RouteInput<typeof route>['params']>().toEqualTypeOf<{ task_id: string }>();
    expectTypeOf<RouteInput<typeof route>['body']>().toEqualTypeOf<{ max_turns: number }>();
    expectTypeOf<RouteInput<typeof route>['query']>().toEqualTypeOf<Record<string, never>>();
  });

  it('accepts only declared statuses with their bodies', () => {
    expectTypeOf<RouteResult<typeof route>['status']>().toEqualTypeOf<
      202 | 204 | 400 | 413 | 500
    >();
    const router = express.Router();
    registerRoute(router, route, ({ params }) => ({ status: 202, body: { id: params.task_id } }));
    registerRoute(router, route, () => ({ status: 204 }));
    // @ts-expect-error 201 is not a declared status
    registerRoute(router, route, () => ({ status: 201, body: { id: 'x' } }));
    // @ts-expect-error the 202 body needs an id
    registerRoute(router, route, () => ({ status: 202, body: {} }));
  });
});
