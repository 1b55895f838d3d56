import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const Op = z.discriminatedUnion('op', [
  z.object({ op: z.literal('ping') }),
  z.object({ op: z.literal('echo'), text: z.string() }),
]);
const rpc = defineRoute({
  method: 'post',
  path: '/rpc',
  operationId: 'rpc',
  summary: 'Dispatch',
  request: { body: Op },
  validationErrorCode: (issues) =>
    issues.some((i) => i.path.join('.') === 'body.op') ? 'UNKNOWN_OPERATION' : undefined,
  responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
});

const { logger } = captureLogger();
let ready = false;
let server: Started;

beforeAll(async () => {
  server = await start(
    createServiceApp({
      name: 'app-test',
      logger,
      bodyLimitBytes: 1024,
      readiness: { isReady: () => ready },
      routes: (r) => registerRoute(r, rpc, () => ({ status: 200, body: { ok: true } })),
    }),
  );
});

afterAll(async () => {
  await server.close();
});

const post = (body: unknown) =>
  request(server.port, {
    method: 'POST',
    path: '/rpc',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('createServiceApp', () => {
  it('answers 503 NOT_READY until the readiness gate opens, but serves /metrics', async () => {
    ready = false;
    const res = await post({ op: 'ping' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error.code).toBe('NOT_READY');
    expect((await request(server.port, { path: '/metrics' })).status).toBe(200);
    ready = true;
    expect((await post({ op: 'ping' })).status).toBe(200);
  });

  it('lets a route refine its validation error code, keeping the issues', async () => {
    ready = true;
    const unknown = await post({ op: 'launch' });
    expect(unknown.status).toBe(400);
    const body = JSON.parse(unknown.text);
    expect(body.error.code).toBe('UNKNOWN_OPERATION');
    expect(body.error.details.issues[0].path).toBe('body.op');
    const invalid = await post({ op: 'echo', text: 3 });
    expect(JSON.parse(invalid.text).error.code).toBe('VALIDATION_ERROR');
  });
});
