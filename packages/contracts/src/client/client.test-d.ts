import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorEnvelope } from '../common/errors.js';
import type {
  ClientInput,
  RouteInput,
  RouteResponse,
  RouteSseEvent,
} from '../common/route-types.js';
import type { EngineEvent } from '../engine/events.js';
import type { ExecuteRequestBody } from '../engine/execute.js';
import type { HealthResponseBody } from '../engine/health.js';
import {
  type cancelExecution,
  type engineRoutes,
  execute,
  type getHealth,
  type rpc,
} from '../engine/routes.js';
import type { RpcResponseBody } from '../engine/rpc.js';
import type { Client } from './create-client.js';

declare const client: Client<typeof engineRoutes>;

describe('client types', () => {
  it('narrows JSON bodies by status', async () => {
    const res = await client.getHealth();
    expectTypeOf(res.status).toEqualTypeOf<200 | 503 | 500>();
    if (res.status === 500) {
      expectTypeOf(res.body).toEqualTypeOf<ErrorEnvelope>();
    } else {
      expectTypeOf(res.body).toEqualTypeOf<HealthResponseBody>();
    }
  });

  it('gives SSE statuses typed events and the others envelopes', async () => {
    const res = await client.execute({ body: { message: 'hi', task_id: 't' } });
    if (res.status === 200) {
      expectTypeOf(res.events).toEqualTypeOf<AsyncIterable<EngineEvent>>();
      expectTypeOf(res.lastEventId).toEqualTypeOf<() => string | undefined>();
      // @ts-expect-error a stream has no body
      res.body;
    } else {
      expectTypeOf(res.status).toEqualTypeOf<400 | 401 | 404 | 409 | 413 | 429 | 500 | 503>();
      expectTypeOf(res.body).toEqualTypeOf<ErrorEnvelope>();
    }
  });

  it('requires declared inputs (defaults optional) and rejects undeclared ones', () => {
    // @ts-expect-error body is required
    void client.execute();
    // @ts-expect-error task_id is required
    void client.execute({ body: { message: 'hi' } });
    // @ts-expect-error getHealth has no body
    void client.getHealth({ body: {} });
    void client.listHitlPending();
    void client.cancelExecution({ params: { task_id: 't' } });
    expectTypeOf<ClientInput<typeof cancelExecution>>().toEqualTypeOf<{
      params: { task_id: string };
      query?: never;
      headers?: never;
      body?: never;
    }>();
  });

  it('narrows rpc results by op', async () => {
    const res = await client.rpc({ body: { subsystem: 'telemetry', op: 'quota_state' } });
    if (res.status === 200 && res.body.op === 'quota_state') {
      expectTypeOf(res.body.result.tokens_used).toEqualTypeOf<number>();
    }
  });
});

describe('handler types', () => {
  it('RouteInput gives parsed parts with defaults applied', () => {
    expectTypeOf<RouteInput<typeof execute>['body']>().toEqualTypeOf<ExecuteRequestBody>();
    expectTypeOf<RouteInput<typeof execute>['body']['max_turns']>().toEqualTypeOf<number>();
    expectTypeOf<RouteInput<typeof getHealth>['body']>().toEqualTypeOf<undefined>();
    expectTypeOf<RouteInput<typeof cancelExecution>['params']>().toEqualTypeOf<{
      task_id: string;
    }>();
    expectTypeOf<RouteInput<typeof getHealth>['query']>().toEqualTypeOf<Record<string, never>>();
  });

  it('RouteResponse is the union of JSON replies; RouteSseEvent the stream union', () => {
    expectTypeOf<RouteResponse<typeof rpc>>().toEqualTypeOf<
      | { status: 200; body: RpcResponseBody }
      | { status: 400; body: ErrorEnvelope }
      | { status: 401; body: ErrorEnvelope }
      | { status: 413; body: ErrorEnvelope }
      | { status: 422; body: ErrorEnvelope }
      | { status: 500; body: ErrorEnvelope }
      | { status: 503; body: ErrorEnvelope }
    >();
    expectTypeOf<RouteResponse<typeof execute>['status']>().toEqualTypeOf<
      400 | 401 | 404 | 409 | 413 | 429 | 500 | 503
    >();
    expectTypeOf<RouteSseEvent<typeof execute>>().toEqualTypeOf<EngineEvent>();
    expectTypeOf<RouteSseEvent<typeof getHealth>>().toBeNever();
  });
});

void execute;
