import { commonErrorResponses, defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { createServiceApp } from './app.js';
import { INTERNAL_ERROR_MESSAGE } from './errors.js';
import { registerRoute } from './route.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const createThing = defineRoute({
  method: 'post',
  path: '/things/{thing_id}',
  operationId: 'createThing',
  summary: 'Create a thing',
  request: {
    params: z.object({ thing_id: z.string().regex(/^th_/) }),
    query: z.object({ dry_run: z.enum(['true', 'false']).optional() }),
    body: z.object({
      name: z.string().min(1),
      max_turns: z.number().int().positive(),
      tags: z.array(z.string()),
    }),
  },
  responses: {
    201: { description: 'created', schema: z.object({ id: z.string(), name: z.string() }) },
    ...commonErrorResponses,
  },
});

const boom = defineRoute({
  method: 'get',
  path: '/boom',
  operationId: 'boom',
  summary: 'Throws',
  responses: { ...commonErrorResponses },
});

const conflict = defineRoute({
  method: 'get',
  path: '/conflict',
  operationId: 'conflict',
  summary: 'Throws an ApiError',
  responses: { ...commonErrorResponses },
});

const badResponse = defineRoute({
  method: 'get',
  path: '/bad-response',
  operationId: 'badResponse',
  summary: 'Breaks its own contract',
  responses: { 200: { description: 'ok', schema: z.object({ n: z.number() }) } },
});

const capture = captureLogger();
let server: Started;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'errors-test',
    logger: capture.logger,
    bodyLimitBytes: 1024 * 1024,
    validateResponses: true,
    routes: (r) => {
      registerRoute(r, createThing, async ({ params, body }) => ({
        status: 201,
        body: { id: params.thing_id, name: body.name },
      }));
      registerRoute(r, boom, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        throw new Error('db password=hunter2 at 10.0.0.7');
      });
      registerRoute(r, conflict, () => {
        throw new ApiError({ code: 'CONFLICT', message: 'already there', details: { id: 'x' } });
      });
      // Deliberately breaks the declared schema.
      registerRoute(r, badResponse, () => ({ status: 200, body: { n: 'not a number' as any } }));
    },
  });
  server = await start(app);
});

afterAll(async () => {
  await server.close();
});

const json = { 'content-type': 'application/json' };

describe('error envelope', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON carrying the client correlation id', async () => {
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/th_1',
      headers: { ...json, 'x-correlation-id': 'client-abc.123:x' },
      body: '{"name": "a",',
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-correlation-id']).toBe('client-abc.123:x');
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: 'MALFORMED_JSON',
        message: expect.any(String),
        correlation_id: 'client-abc.123:x',
      },
    });
  });

  it('answers a 3 MB body with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), max_turns: 1, tags: [] });
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/th_1',
      headers: { ...json, 'x-correlation-id': 'big-1' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(res.headers['x-correlation-id']).toBe('big-1');
    const body = JSON.parse(res.text);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.correlation_id).toBe('big-1');
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await request(server.port, { path: '/nope/here' });
    expect(res.status).toBe(404);
    const body = JSON.parse(res.text);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.correlation_id).toBe(res.headers['x-correlation-id']);
    expect(body.error.correlation_id).toMatch(/^req_/);
  });

  it('hides an unexpected error behind a generic 500 and logs its stack', async () => {
    const res = await request(server.port, {
      path: '/boom',
      headers: { 'x-correlation-id': 'boom-1' },
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE, correlation_id: 'boom-1' },
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('password');
    expect(res.text).not.toContain('.ts:');
    const logged = capture
      .lines()
      .find((l) => l.correlation_id === 'boom-1' && l.msg === 'unhandled error');
    const err = logged?.err as { message: string; stack: string } | undefined;
    expect(err?.message).toContain('hunter2');
    expect(err?.stack).toMatch(/errors\.int\.test\.ts/);
  });

  it('lists every validation issue with its path', async () => {
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/th_1',
      headers: json,
      body: JSON.stringify({ name: '', max_turns: -1 }),
    });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.error.code).toBe('VALIDATION_ERROR');
    const issues = body.error.details.issues as Array<{ path: string; code: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['body.max_turns', 'body.name', 'body.tags']);
    for (const issue of issues) {
      expect(issue).toEqual({
        path: issue.path,
        message: expect.any(String),
        code: expect.any(String),
      });
    }
  });

  it('collects issues across params, query and body in one error', async () => {
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/bad?dry_run=maybe',
      headers: json,
      body: JSON.stringify({ name: 'ok', max_turns: 1.5, tags: [] }),
    });
    expect(res.status).toBe(400);
    const paths = JSON.parse(res.text).error.details.issues.map((i: { path: string }) => i.path);
    expect(paths.sort()).toEqual(['body.max_turns', 'params.thing_id', 'query.dry_run']);
  });

  it('passes typed, validated input to the handler', async () => {
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/th_9',
      headers: json,
      body: JSON.stringify({ name: 'n', max_turns: 2, tags: ['a'] }),
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ id: 'th_9', name: 'n' });
  });

  it('answers a non-JSON body on a JSON route with 415', async () => {
    const res = await request(server.port, {
      method: 'POST',
      path: '/things/th_1',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('maps an ApiError to its status with details', async () => {
    const res = await request(server.port, { path: '/conflict' });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text).error).toMatchObject({
      code: 'CONFLICT',
      message: 'already there',
      details: { id: 'x' },
    });
  });

  it('turns a response that breaks its schema into a 500 when validation is on', async () => {
    const res = await request(server.port, { path: '/bad-response' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error.code).toBe('INTERNAL_ERROR');
  });

  it('replaces an invalid incoming correlation id with a generated one', async () => {
    const res = await request(server.port, {
      path: '/nope',
      headers: { 'x-correlation-id': 'has spaces and / slashes' },
    });
    expect(res.headers['x-correlation-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  });
});
