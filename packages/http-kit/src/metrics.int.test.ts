import { gunzipSync } from 'node:zlib';
import { defineRoute } from '@agentplane/contracts';
import { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { createMetrics } from './metrics.js';
import { registerRoute } from './route.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const getEngine = defineRoute({
  method: 'get',
  path: '/engines/{engine_id}',
  operationId: 'getEngine',
  summary: 'One engine',
  request: { params: z.object({ engine_id: z.string() }) },
  responses: { 200: { description: 'ok', schema: z.object({ id: z.string() }) } },
});

const capture = captureLogger();
const metrics = createMetrics();
const custom = new Counter({
  name: 'test_things_total',
  help: 'things',
  registers: [metrics.registry],
});
const openapiDoc = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`/p${i}`, { get: { operationId: `op${i}` } }]),
  ),
};
let server: Started;

beforeAll(async () => {
  server = await start(
    createServiceApp({
      name: 'metrics-test',
      logger: capture.logger,
      bodyLimitBytes: 1024,
      metrics,
      openapi: () => openapiDoc,
      routes: (r) =>
        registerRoute(r, getEngine, ({ params }) => {
          custom.inc();
          return { status: 200, body: { id: params.engine_id } };
        }),
    }),
  );
});

afterAll(async () => {
  await server.close();
});

describe('metrics and openapi', () => {
  it('labels the duration histogram with the route template, not the URL', async () => {
    await request(server.port, { path: '/engines/eng_1' });
    await request(server.port, { path: '/engines/eng_2' });
    await request(server.port, { path: '/not/a/route' });
    const res = await request(server.port, { path: '/metrics' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/engines\/\{engine_id\}",status_code="200"\} 2/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    expect(res.text).not.toContain('eng_1');
    expect(res.text).toContain('test_things_total 2');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('logs one summary line per request with the route template', async () => {
    await request(server.port, {
      path: '/engines/eng_3',
      headers: { 'x-correlation-id': 'log-1' },
    });
    const line = capture.lines().find((l) => l.correlation_id === 'log-1' && l.msg === 'request');
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/engines/{engine_id}',
      status: 200,
      duration_ms: expect.any(Number),
    });
  });

  it('serves /openapi.json, compressed when asked', async () => {
    const plain = await request(server.port, { path: '/openapi.json' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toContain('application/json');
    expect(JSON.parse(plain.text)).toEqual(openapiDoc);
    const gz = await request(server.port, {
      path: '/openapi.json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(openapiDoc);
  });
});
