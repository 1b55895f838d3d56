import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { openSse } from './sse.js';
import { captureLogger, rawExchange, type Started, start } from './test-support.js';

const stream = defineRoute({
  method: 'get',
  path: '/stream',
  operationId: 'stream',
  summary: 'Two events, then the end',
  responses: { 200: { description: 'events', kind: 'sse', events: z.unknown() } },
});

const { logger } = captureLogger();
let server: Started;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'sse-connection-test',
    logger,
    bodyLimitBytes: 1024,
    routes: (r) => {
      registerRoute(r, stream, async ({ req, res }) => {
        const sse = openSse(req, res);
        await sse.send({ event: 'a', id: 1, data: { n: 1 } });
        await sse.send({ event: 'done', id: 2, data: { n: 2 } });
        sse.close();
      });
    },
  });
  server = await start(app);
});

afterAll(async () => {
  await server.close();
});

const get = (connection: string) =>
  `GET /stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: ${connection}\r\n\r\n`;

describe('an SSE stream and the Connection header', () => {
  it('honours a client’s Connection: close (says close, closes after the stream)', async () => {
    const { text, closed } = await rawExchange(server.port, get('close'), 1500);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
    expect(text).not.toMatch(/Connection: keep-alive/i);
    expect(text).toContain('event: done');
    expect(closed).toBe(true);
  });

  it('keeps a keep-alive client’s connection open for its next request', async () => {
    const { text, closed } = await rawExchange(server.port, get('keep-alive') + get('close'), 1500);
    expect(text).toMatch(/\r\nConnection: keep-alive\r\n/i);
    // Both streams were served on the one connection, which the second request then closed.
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(closed).toBe(true);
  });
});
