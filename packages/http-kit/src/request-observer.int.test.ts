import http from 'node:http';
import { commonErrorResponses, defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { currentLogger } from './correlation.js';
import { createMetrics } from './metrics.js';
import { registerRoute } from './route.js';
import { createShutdownRegistry } from './shutdown.js';
import { captureLogger, request, type Started, start } from './test-support.js';

// createServiceApp folds correlation, request log, metrics and in-flight tracking into one layer
// with a lazy req.log, and registerRoute answers sync handlers in the same tick: these pin down
// what that must keep doing.

const Ok = z.object({ ok: z.boolean() });
const route = (path: string, operationId: string) =>
  defineRoute({
    method: 'get',
    path,
    operationId,
    summary: operationId,
    responses: { 200: { description: 'ok', schema: Ok }, ...commonErrorResponses },
  });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const info = captureLogger('info');
const metrics = createMetrics({ defaultMetrics: false });
const shutdown = createShutdownRegistry({ logger: info.logger, graceMs: 1000 });
let server: Started;
let aborted = deferred<string>();
let waiting = deferred<void>();

beforeAll(async () => {
  server = await start(
    createServiceApp({
      name: 'observer-test',
      logger: info.logger,
      bodyLimitBytes: 1024,
      metrics,
      shutdown,
      routes: (r) => {
        registerRoute(r, route('/logs', 'logs'), ({ log, req }) => {
          log.info({ step: 'handler' }, 'from ctx.log');
          // The same child is seen through req.log and AsyncLocalStorage.
          if (req.log !== log || currentLogger() !== log) {
            throw new Error('req.log, ctx.log and currentLogger() differ');
          }
          return { status: 200, body: { ok: true } };
        });
        registerRoute(r, route('/own-logger', 'ownLogger'), ({ req }) => {
          req.log = req.log.child({ own: true });
          req.log.info('from an assigned req.log');
          return { status: 200, body: { ok: true } };
        });
        registerRoute(r, route('/sync-throw', 'syncThrow'), () => {
          throw new Error('sync boom');
        });
        registerRoute(r, route('/async-throw', 'asyncThrow'), async () => {
          await Promise.resolve();
          throw new Error('async boom');
        });
        registerRoute(r, route('/wait', 'wait'), async ({ signal }) => {
          waiting.resolve();
          const reason = await new Promise<string>((resolve) =>
            signal.addEventListener('abort', () => resolve(String(signal.reason)), { once: true }),
          );
          aborted.resolve(reason);
          return undefined;
        });
      },
    }),
  );
});

afterAll(async () => {
  await server.close();
});

describe('request observer layer', () => {
  it('binds ctx.log, req.log and currentLogger() to one child carrying the correlation id', async () => {
    const res = await request(server.port, {
      path: '/logs',
      headers: { 'x-correlation-id': 'obs-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('obs-1');
    // The summary line is written when the response closes, which may follow the client's read.
    const lines = () => info.lines().filter((l) => l.correlation_id === 'obs-1');
    await expect.poll(() => lines().map((l) => l.msg)).toEqual(['from ctx.log', 'request']);
    expect(lines()[1]).toMatchObject({ method: 'GET', route: '/logs', status: 200 });
  });

  it('lets a handler assign req.log', async () => {
    const res = await request(server.port, {
      path: '/own-logger',
      headers: { 'x-correlation-id': 'obs-2' },
    });
    expect(res.status).toBe(200);
    const own = () => info.lines().filter((l) => l.own === true);
    await expect
      .poll(() => own().map((l) => l.msg))
      .toEqual(['from an assigned req.log', 'request']);
  });

  it('keeps quiet paths out of the log at info', async () => {
    const res = await request(server.port, {
      path: '/metrics',
      headers: { 'x-correlation-id': 'obs-3' },
    });
    expect(res.status).toBe(200);
    expect(info.lines().some((l) => l.correlation_id === 'obs-3')).toBe(false);
  });

  it('sends sync and async handler errors to the error middleware', async () => {
    for (const path of ['/sync-throw', '/async-throw']) {
      const res = await request(server.port, { path, headers: { 'x-correlation-id': 'obs-4' } });
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text).error).toMatchObject({
        code: 'INTERNAL_ERROR',
        correlation_id: 'obs-4',
      });
    }
  });

  it('counts every request in metrics and releases it from in-flight, aborted ones too', async () => {
    aborted = deferred();
    waiting = deferred();
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/wait', agent: false });
    req.on('error', () => {});
    await waiting.promise;
    expect(shutdown.inFlight).toBe(1);
    req.destroy();
    // ctx.signal (built on first read) aborts when the client leaves.
    expect(await aborted.promise).toContain('client disconnected');
    await expect.poll(() => shutdown.inFlight).toBe(0);

    const res = await request(server.port, { path: '/metrics' });
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/logs",status_code="200"\} 1\n/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/sync-throw",status_code="500"\} 1\n/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/wait",status_code="200"\} 1\n/,
    );
  });

  it('logs nothing per request at warn', async () => {
    const warn = captureLogger('warn');
    const quiet = await start(
      createServiceApp({
        name: 'observer-warn',
        logger: warn.logger,
        bodyLimitBytes: 1024,
        metrics: false,
        routes: (r) =>
          registerRoute(r, route('/ok', 'ok'), () => ({ status: 200, body: { ok: true } })),
      }),
    );
    try {
      const res = await request(quiet.port, { path: '/ok' });
      expect(res.status).toBe(200);
      expect(res.headers['x-correlation-id']).toMatch(/^req_/);
      expect(warn.lines()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
