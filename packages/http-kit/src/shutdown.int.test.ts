import { defineRoute } from '@agentplane/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { listen } from './serve.js';
import { closeHttpServer, createShutdownRegistry, installSignalHandlers } from './shutdown.js';
import { openSse } from './sse.js';
import { captureLogger, request } from './test-support.js';

const slow = defineRoute({
  method: 'get',
  path: '/slow',
  operationId: 'slow',
  summary: 'Answers after 300 ms',
  responses: { 200: { description: 'ok', schema: z.object({ done: z.boolean() }) } },
});
const events = defineRoute({
  method: 'get',
  path: '/events',
  operationId: 'events',
  summary: 'A stream that ends on shutdown',
  responses: { 200: { description: 'events', kind: 'sse', events: z.unknown() } },
});

describe('shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, runs hooks in reverse', async () => {
    const { logger } = captureLogger();
    const shutdown = createShutdownRegistry({ logger, graceMs: 2000 });
    const app = createServiceApp({
      name: 'shutdown-test',
      logger,
      bodyLimitBytes: 1024,
      shutdown,
      routes: (r) =>
        registerRoute(r, slow, async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return { status: 200, body: { done: true } };
        }),
    });
    const { server, port } = await listen(app, { port: 0 });
    const order: string[] = [];
    shutdown.register('db', async () => {
      order.push('db');
    });
    shutdown.register('queue', async () => {
      order.push('queue');
    });
    shutdown.register('http', async (signal) => {
      order.push('http');
      await closeHttpServer(server)(signal);
    });

    // A keep-alive client: its idle connection must not hold the server open.
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shutdown.inFlight).toBe(1);

    const started = Date.now();
    const report = shutdown.run('test');
    expect(shutdown.shuttingDown.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(request(port, { path: '/slow' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });

    const done = await report;
    expect(done.ok).toBe(true);
    expect(order).toEqual(['http', 'queue', 'db']);
    expect(done.hooks.map((h) => h.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(shutdown.inFlight).toBe(0);
    expect(server.listening).toBe(false);
    // run() is idempotent.
    expect(await shutdown.run('again')).toBe(done);
  });

  it('cuts off a hook that hangs at the grace period and still runs the others', async () => {
    const { logger, lines } = captureLogger();
    const shutdown = createShutdownRegistry({ logger, graceMs: 200, hookSlackMs: 50 });
    const order: string[] = [];
    let sawAbort = false;
    shutdown.register('db', async (signal) => {
      order.push(`db aborted=${signal.aborted}`);
    });
    shutdown.register('stuck', (signal) => {
      order.push('stuck');
      signal.addEventListener('abort', () => {
        sawAbort = true;
      });
      return new Promise<void>(() => {});
    });
    const started = Date.now();
    const report = await shutdown.run('test');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(200);
    expect(elapsed).toBeLessThan(1500);
    expect(sawAbort).toBe(true);
    expect(order).toEqual(['stuck', 'db aborted=true']);
    expect(report.ok).toBe(false);
    expect(report.hooks).toEqual([
      expect.objectContaining({ name: 'stuck', outcome: 'timed_out' }),
      expect.objectContaining({ name: 'db', outcome: 'ok' }),
    ]);
    expect(lines().some((l) => l.hook === 'stuck' && l.level === 50)).toBe(true);
  });

  it('ends SSE streams through shuttingDown and then closes the server', async () => {
    const { logger } = captureLogger();
    const shutdown = createShutdownRegistry({ logger, graceMs: 2000 });
    const app = createServiceApp({
      name: 'sse-shutdown-test',
      logger,
      bodyLimitBytes: 1024,
      shutdown,
      routes: (r) =>
        registerRoute(r, events, async ({ req, res }) => {
          const sse = openSse(req, res);
          await sse.send({ event: 'started', data: {} });
          const finish = async () => {
            await sse.send({ event: 'end', data: { reason: 'shutdown' } });
            sse.close();
          };
          if (shutdown.shuttingDown.aborted) {
            await finish();
          } else {
            shutdown.shuttingDown.addEventListener('abort', () => void finish(), { once: true });
          }
        }),
    });
    const listening = await listen(app, { port: 0 });
    shutdown.register('http', listening.close);
    const res = await fetch(`http://127.0.0.1:${listening.port}/events`);
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('event: started');
    const report = shutdown.run('test');
    let rest = '';
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) {
        break;
      }
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toContain('event: end\ndata: {"reason":"shutdown"}');
    expect((await report).ok).toBe(true);
  });

  it('installSignalHandlers exits 0 after a clean run and 1 after a failed hook', async () => {
    for (const [fail, code] of [
      [false, 0],
      [true, 1],
    ] as const) {
      const { logger } = captureLogger();
      const shutdown = createShutdownRegistry({ logger, graceMs: 200 });
      shutdown.register('hook', async () => {
        if (fail) {
          throw new Error('close failed');
        }
      });
      const exited = new Promise<number>((resolve) => {
        const remove = installSignalHandlers(shutdown, {
          logger,
          signals: ['SIGUSR2'],
          exit: (c) => {
            remove();
            resolve(c);
          },
        });
      });
      process.kill(process.pid, 'SIGUSR2');
      expect(await exited).toBe(code);
    }
  });
});
