import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import {
  captureLogger,
  parseRawResponse,
  rawExchange,
  request,
  type Started,
  start,
} from './test-support.js';

const Params = z.object({ engine_id: z.string() });
const Engine = z.object({ id: z.string() });
const getEngine = defineRoute({
  method: 'get',
  path: '/engines/{engine_id}',
  operationId: 'getEngine',
  summary: 'Get',
  request: { params: Params },
  responses: { 200: { description: 'ok', schema: Engine } },
});
const deleteEngine = defineRoute({
  method: 'delete',
  path: '/engines/{engine_id}',
  operationId: 'deleteEngine',
  summary: 'Delete',
  request: { params: Params },
  responses: { 204: { description: 'gone', kind: 'empty' } },
});
const wake = defineRoute({
  method: 'post',
  path: '/engines/{engine_id}/wake',
  operationId: 'wake',
  summary: 'Wake',
  request: { params: Params },
  responses: { 200: { description: 'ok', schema: Engine } },
});

const thrower = defineRoute({
  method: 'get',
  path: '/throw/{status}',
  operationId: 'thrower',
  summary: 'Throws an http-errors-style error',
  request: { params: z.object({ status: z.coerce.number() }) },
  responses: { 200: { description: 'never', schema: Engine } },
});

const capture = captureLogger();
let server: Started;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'routing-test',
    logger: capture.logger,
    bodyLimitBytes: 1024,
    openapi: () => ({ openapi: '3.1.0' }),
    guards: (r) => {
      // A guard on a parameterised path: the router decodes the parameter before it runs.
      r.post('/engines/:engine_id/wake', (req, _res, next) => {
        next(
          req.headers['x-key'] === 'k'
            ? undefined
            : new ApiError({ code: 'UNAUTHORIZED', message: 'no key' }),
        );
      });
    },
    routes: (r) => {
      registerRoute(r, getEngine, ({ params }) => ({
        status: 200,
        body: { id: params.engine_id },
      }));
      registerRoute(r, deleteEngine, () => ({ status: 204 }));
      registerRoute(r, wake, ({ params }) => ({ status: 200, body: { id: params.engine_id } }));
      registerRoute(r, thrower, ({ params }) => {
        // What http-errors (body-parser, raw-body, a dependency) throws for a client's mistake.
        throw Object.assign(new Error(`client mistake ${params.status}`), {
          status: params.status,
          expose: params.status < 500,
        });
      });
    },
  });
  server = await start(app);
});

afterAll(async () => {
  await server.close();
});

/** One request as raw bytes: node:http and fetch refuse or rewrite a path like `/engines/%`. */
async function raw(method: string, path: string, headers = '') {
  const { text } = await rawExchange(
    server.port,
    `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}\r\n`,
  );
  const res = parseRawResponse(text);
  return { ...res, error: JSON.parse(res.body).error as Record<string, unknown> };
}

describe('malformed percent-encoding in a path parameter', () => {
  it.each(['%', '%zz', '%E0%A4%A', 'a%2'])('answers /engines/%s with 400, not 500', async (bad) => {
    const res = await raw('GET', `/engines/${bad}`, 'X-Correlation-Id: pct-1\r\n');
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ code: 'MALFORMED_REQUEST', correlation_id: 'pct-1' });
    expect(res.headers['x-correlation-id']).toBe('pct-1');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 400 on a guarded route and generates a correlation id when none was sent', async () => {
    const res = await raw('POST', '/engines/%zz/wake');
    expect(res.status).toBe(400);
    expect(res.error.code).toBe('MALFORMED_REQUEST');
    expect(res.error.correlation_id).toMatch(/^req_/);
    expect(res.headers['x-correlation-id']).toBe(res.error.correlation_id);
  });

  it('does not log it as an unhandled error', () => {
    expect(capture.lines().filter((l) => l.msg === 'unhandled error')).toEqual([]);
  });

  it('still decodes a well-formed one', async () => {
    const res = await request(server.port, { path: '/engines/a%20b' });
    expect(JSON.parse(res.text)).toEqual({ id: 'a b' });
  });
});

describe('a wrong method on an existing path', () => {
  it('answers 405 METHOD_NOT_ALLOWED with Allow, envelope and correlation id', async () => {
    const res = await request(server.port, {
      method: 'PUT',
      path: '/engines/e1',
      headers: { 'x-correlation-id': 'wrong-method-1' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, DELETE');
    expect(res.headers['x-correlation-id']).toBe('wrong-method-1');
    expect(JSON.parse(res.text).error).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      correlation_id: 'wrong-method-1',
    });
  });

  it('matches paths as express does (case, trailing slash) and covers the kit’s own routes', async () => {
    const wrong = await request(server.port, { method: 'GET', path: '/Engines/e1/wake/' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    const openapi = await request(server.port, { method: 'POST', path: '/openapi.json' });
    expect(openapi.status).toBe(405);
    expect(openapi.headers.allow).toBe('GET, HEAD');
    const options = await request(server.port, { method: 'OPTIONS', path: '/metrics' });
    expect(options.status).toBe(405);
  });

  it('keeps HEAD on a GET route and 404 for an unknown path', async () => {
    expect((await request(server.port, { method: 'HEAD', path: '/engines/e1' })).status).toBe(200);
    const unknown = await request(server.port, { method: 'GET', path: '/engines/e1/nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect(JSON.parse(unknown.text).error.code).toBe('NOT_FOUND');
  });
});

describe('an http-errors-style error', () => {
  it.each([
    [400, 400, 'MALFORMED_REQUEST'],
    [413, 413, 'PAYLOAD_TOO_LARGE'],
    [418, 400, 'MALFORMED_REQUEST'],
    [503, 500, 'INTERNAL_ERROR'],
  ])('with status %i answers %i %s', async (thrown, status, code) => {
    const res = await request(server.port, { path: `/throw/${thrown}` });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text).error.code).toBe(code);
  });
});
