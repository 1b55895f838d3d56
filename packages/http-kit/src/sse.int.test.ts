import http from 'node:http';
import { defineRoute } from '@agentplane/contracts';
import type { Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { formatSseEvent, openSse, type SseTimers, type SseWriter } from './sse.js';
import { captureLogger, request, type Started, start } from './test-support.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Real timers that count the intervals still alive. */
function countingTimers(): SseTimers & { live: () => number } {
  const live = new Set<unknown>();
  return {
    setInterval(fn, ms) {
      const h = setInterval(fn, ms);
      live.add(h);
      return h;
    },
    clearInterval(h) {
      live.delete(h);
      clearInterval(h as NodeJS.Timeout);
    },
    live: () => live.size,
  };
}

const sseRoute = (path: string, operationId: string) =>
  defineRoute({
    method: 'get',
    path,
    operationId,
    summary: operationId,
    responses: { 200: { description: 'events', kind: 'sse', events: z.unknown() } },
  });

interface Opened {
  writer: SseWriter;
  res: Response;
  /** Listeners present before openSse (the app's own `once('close')` ones go away on close). */
  baseline: { close: Set<unknown>; drain: Set<unknown> };
  timers: ReturnType<typeof countingTimers>;
}

/** Listeners on `res` for `event` that were not there before openSse. */
function added(res: Response, event: 'close' | 'drain', baseline: Set<unknown>): number {
  return res.listeners(event).filter((l) => !baseline.has(l)).length;
}

let opened = deferred<Opened>();
let lateOpened = deferred<{ writer: SseWriter; timers: ReturnType<typeof countingTimers> }>();
/**
 * True when `p` is still unresolved after `ms` AND after the poll phase that follows: under load
 * a late timer and a ready 'drain' land in the same loop turn, and timers run first, so the timer
 * alone would call a stream "stuck" a moment before it drains.
 */
async function staysPending(p: Promise<void>, ms: number): Promise<boolean> {
  let settled = false;
  void p.then(() => {
    settled = true;
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return !settled;
}

let flooded = deferred<{ pending: Promise<void>; sent: number; writer: SseWriter }>();
const { logger } = captureLogger();
let server: Started;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'sse-test',
    logger,
    bodyLimitBytes: 1024,
    routes: (r) => {
      registerRoute(r, sseRoute('/hold', 'hold'), async ({ req, res, log }) => {
        const timers = countingTimers();
        const baseline = {
          close: new Set(res.listeners('close')),
          drain: new Set(res.listeners('drain')),
        };
        // Heartbeat every 20 ms so the stream also carries comments while the test reads it.
        const writer = openSse(req, res, { heartbeatMs: 20, timers, log });
        await writer.send({ event: 'hello', id: 1, data: { n: 1 } });
        opened.resolve({ writer, res, baseline, timers });
      });
      registerRoute(r, sseRoute('/late', 'late'), async ({ req, res }) => {
        // Opens the stream only after the client already left.
        await new Promise((resolve) => res.once('close', resolve));
        const timers = countingTimers();
        lateOpened.resolve({ writer: openSse(req, res, { timers }), timers });
      });
      registerRoute(r, sseRoute('/burst', 'burst'), ({ req, res }) => {
        const writer = openSse(req, res);
        for (let i = 1; i <= 50; i++) {
          void writer.send({ event: 'n', id: i, data: { i } });
        }
        // Mid-stream failure, thrown synchronously: the error middleware ends the response in
        // this same tick.
        throw new Error('failed after a burst');
      });
      registerRoute(r, sseRoute('/mixed', 'mixed'), async ({ req, res }) => {
        const writer = openSse(req, res);
        void writer.send({ event: 'a', data: 1 });
        res.write(': written directly\n\n');
        void writer.send({ event: 'b', data: 2 });
        writer.comment('c');
        writer.close();
      });
      registerRoute(r, sseRoute('/flood', 'flood'), async ({ req, res }) => {
        const writer = openSse(req, res);
        const payload = 'x'.repeat(1000);
        for (let i = 0; i < 200_000; i++) {
          const p = writer.send({ event: 'chunk', id: i, data: payload });
          // write() says "full" long before the kernel buffers are: keep going until a send
          // stays unresolved, i.e. the reader really stopped reading.
          if (res.writableNeedDrain && (await staysPending(p, 50))) {
            flooded.resolve({ pending: p, sent: i + 1, writer });
            return;
          }
          await p;
        }
        throw new Error('the socket never filled up');
      });
    },
  });
  server = await start(app);
});

afterAll(async () => {
  await server.close();
});

/** Opens a stream and resolves with the response once the first bytes arrived. */
function connect(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ req: http.ClientRequest; res: http.IncomingMessage; first: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path, headers, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      res.once('data', (chunk: Buffer) => resolve({ req, res, first: chunk.toString('utf8') }));
    });
  });
}

describe('openSse', () => {
  it('streams events unbuffered and uncompressed, even when gzip is accepted', async () => {
    opened = deferred();
    const { req, res, first } = await connect('/hold', { 'accept-encoding': 'gzip, br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['x-correlation-id']).toMatch(/^req_/);
    // The first event arrives while the stream is still open: nothing buffers it.
    expect(first).toBe('event: hello\nid: 1\ndata: {"n":1}\n\n');
    const next = await new Promise<string>((resolve) =>
      res.once('data', (c: Buffer) => resolve(c.toString())),
    );
    expect(next).toBe(': hb\n\n');
    const { writer } = await opened.promise;
    req.destroy();
    await new Promise((resolve) => writer.signal.addEventListener('abort', resolve));
  });

  it('leaves no timer or listener behind when the client disconnects', async () => {
    opened = deferred();
    const { req } = await connect('/hold');
    const { writer, res, baseline, timers } = await opened.promise;
    expect(timers.live()).toBe(1);
    expect(added(res, 'close', baseline.close)).toBe(1);
    expect(added(res, 'drain', baseline.drain)).toBe(1);
    expect(writer.signal.aborted).toBe(false);

    req.destroy();
    await new Promise((resolve) => writer.signal.addEventListener('abort', resolve));

    expect(writer.closed).toBe(true);
    expect(writer.signal.aborted).toBe(true);
    expect(timers.live()).toBe(0);
    expect(added(res, 'close', baseline.close)).toBe(0);
    expect(added(res, 'drain', baseline.drain)).toBe(0);
    // Sending after the disconnect is a no-op, not an error.
    await expect(writer.send({ event: 'late', data: 1 })).resolves.toBeUndefined();
  });

  it('cleans up the same way when the server closes the stream', async () => {
    opened = deferred();
    const { res: clientRes } = await connect('/hold');
    const { writer, res, baseline, timers } = await opened.promise;
    const ended = new Promise((resolve) => clientRes.on('end', resolve).resume());
    writer.close();
    writer.close();
    await ended;
    expect(writer.signal.aborted).toBe(true);
    expect(timers.live()).toBe(0);
    expect(added(res, 'close', baseline.close)).toBe(0);
    expect(added(res, 'drain', baseline.drain)).toBe(0);
  });

  it('is closed at once when the client left before the stream opened', async () => {
    lateOpened = deferred();
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/late', agent: false });
    req.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 30));
    req.destroy();
    const { writer, timers } = await lateOpened.promise;
    expect(writer.closed).toBe(true);
    expect(writer.signal.aborted).toBe(true);
    expect(timers.live()).toBe(0);
  });

  // Frames already sent must neither be lost when the response ends mid-stream nor be overtaken
  // by a direct res.write.
  it('delivers a burst sent right before the handler throws and the response ends', async () => {
    const res = await request(server.port, { path: '/burst' });
    const frames = res.text.split('\n\n').filter((f) => f !== '');
    expect(frames).toHaveLength(50);
    expect(frames[0]).toBe('event: n\nid: 1\ndata: {"i":1}');
    expect(frames[49]).toBe('event: n\nid: 50\ndata: {"i":50}');
  });

  it('keeps a direct res.write in order with the frames around it', async () => {
    const res = await request(server.port, { path: '/mixed' });
    expect(res.text).toBe(
      'event: a\ndata: 1\n\n: written directly\n\nevent: b\ndata: 2\n\n: c\n\n',
    );
  });

  it('makes send wait for drain while the reader is slow', async () => {
    flooded = deferred();
    const { res } = await connect('/flood');
    res.pause();
    const { pending, sent, writer } = await flooded.promise;
    expect(sent).toBeGreaterThan(10);
    const state = await Promise.race([
      pending.then(() => 'resolved'),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 150)),
    ]);
    expect(state).toBe('pending');

    let received = 0;
    res.on('data', (c: Buffer) => {
      received += c.length;
    });
    res.resume();
    await pending;
    expect(received).toBeGreaterThan(0);
    writer.close();
  });
});

describe('formatSseEvent', () => {
  it('frames JSON data on one line', () => {
    expect(formatSseEvent({ event: 'token', id: 7, data: { text: 'a\nb' } })).toBe(
      'event: token\nid: 7\ndata: {"text":"a\\nb"}\n\n',
    );
  });

  it('splits a multi-line string into data lines and keeps fields single-line', () => {
    expect(formatSseEvent({ event: 'x\ny', data: 'line1\nline2\r\nline3' })).toBe(
      'event: x y\ndata: line1\ndata: line2\ndata: line3\n\n',
    );
  });
});
