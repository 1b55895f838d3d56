import http from 'node:http';
import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { correlationHeaders, createOutgoingFetch } from './outgoing.js';
import { registerRoute } from './route.js';
import { openSse } from './sse.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const Seen = z.object({ seen: z.string().nullable() });

const whoami = defineRoute({
  method: 'get',
  path: '/whoami',
  operationId: 'whoami',
  summary: 'Echoes the X-Correlation-Id it received',
  responses: { 200: { description: 'ok', schema: Seen } },
});
const relayFetch = defineRoute({
  method: 'get',
  path: '/relay-fetch',
  operationId: 'relayFetch',
  summary: 'Calls the downstream whoami with fetch',
  responses: { 200: { description: 'ok', schema: Seen } },
});
const relayHttp = defineRoute({
  method: 'get',
  path: '/relay-http',
  operationId: 'relayHttp',
  summary: 'Calls the downstream whoami with node:http after an await',
  responses: { 200: { description: 'ok', schema: Seen } },
});
const relayPost = defineRoute({
  method: 'post',
  path: '/relay-post',
  operationId: 'relayPost',
  summary: 'Calls the downstream whoami after the JSON body was read',
  request: { body: z.object({ n: z.number() }) },
  responses: { 200: { description: 'ok', schema: Seen } },
});
const stream = defineRoute({
  method: 'get',
  path: '/stream',
  operationId: 'stream',
  summary: 'One event',
  responses: { 200: { description: 'events', kind: 'sse', events: z.unknown() } },
});

const { logger } = captureLogger();
let downstream: Started;
let upstream: Started;

function httpGetJson(url: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  downstream = await start(
    createServiceApp({
      name: 'downstream',
      logger,
      bodyLimitBytes: 1024,
      routes: (r) =>
        registerRoute(r, whoami, ({ req }) => ({
          status: 200,
          body: { seen: req.headers['x-correlation-id'] ?? null } as { seen: string | null },
        })),
    }),
  );
  const outgoing = createOutgoingFetch();
  upstream = await start(
    createServiceApp({
      name: 'upstream',
      logger,
      bodyLimitBytes: 1024,
      routes: (r) => {
        registerRoute(r, relayFetch, async () => {
          const res = await outgoing(`${downstream.base}/whoami`);
          return { status: 200, body: Seen.parse(await res.json()) };
        });
        registerRoute(r, relayHttp, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          const body = await httpGetJson(`${downstream.base}/whoami`, correlationHeaders());
          return { status: 200, body: Seen.parse(body) };
        });
        registerRoute(r, relayPost, async () => {
          const res = await outgoing(`${downstream.base}/whoami`);
          return { status: 200, body: Seen.parse(await res.json()) };
        });
        registerRoute(r, stream, async ({ req, res }) => {
          const sse = openSse(req, res);
          await sse.send({ event: 'hello', data: { ok: true } });
          sse.close();
        });
      },
    }),
  );
});

afterAll(async () => {
  await upstream.close();
  await downstream.close();
});

describe('correlation id', () => {
  it('is generated when the client sends none', async () => {
    const res = await request(upstream.port, { path: '/nowhere' });
    expect(res.headers['x-correlation-id']).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(JSON.parse(res.text).error.correlation_id).toBe(res.headers['x-correlation-id']);
  });

  it('is echoed on SSE responses', async () => {
    const res = await request(upstream.port, {
      path: '/stream',
      headers: { 'x-correlation-id': 'sse-corr-1' },
    });
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['x-correlation-id']).toBe('sse-corr-1');
    expect(res.text).toBe('event: hello\ndata: {"ok":true}\n\n');
  });

  it('is forwarded on outgoing fetch calls', async () => {
    const res = await request(upstream.port, {
      path: '/relay-fetch',
      headers: { 'x-correlation-id': 'chain-fetch-7' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ seen: 'chain-fetch-7' });
  });

  it('is forwarded on node:http calls through correlationHeaders()', async () => {
    const res = await request(upstream.port, {
      path: '/relay-http',
      headers: { 'x-correlation-id': 'chain-http-8' },
    });
    expect(JSON.parse(res.text)).toEqual({ seen: 'chain-http-8' });
  });

  it('is forwarded from a handler that ran after a late body was parsed', async () => {
    // The body arrives 30 ms after the headers, so parsing ends in a later socket callback.
    const seen = await new Promise<unknown>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: upstream.port,
          method: 'POST',
          path: '/relay-post',
          agent: false,
          headers: { 'x-correlation-id': 'chain-post-9', 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      setTimeout(() => req.end(JSON.stringify({ n: 1 })), 30);
    });
    expect(seen).toEqual({ seen: 'chain-post-9' });
  });

  it('forwards a generated id too', async () => {
    const res = await request(upstream.port, { path: '/relay-fetch' });
    expect(JSON.parse(res.text).seen).toBe(res.headers['x-correlation-id']);
  });

  it('is absent outside a request', () => {
    expect(correlationHeaders()).toEqual({});
  });
});
