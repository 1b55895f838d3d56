import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { openSse } from './sse.js';
import { captureLogger, request, type Started, start } from './test-support.js';

const Items = z.object({ items: z.array(z.string()) });
const list = defineRoute({
  method: 'get',
  path: '/items',
  operationId: 'listItems',
  summary: 'Items',
  request: { query: z.object({ n: z.coerce.number().int().min(0) }) },
  responses: { 200: { description: 'ok', schema: Items } },
});

const { logger } = captureLogger();
let server: Started;
const items = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

beforeAll(async () => {
  server = await start(
    createServiceApp({
      name: 'compression-test',
      logger,
      bodyLimitBytes: 1024,
      routes: (r) => {
        registerRoute(r, list, ({ query }) => ({ status: 200, body: { items: items(query.n) } }));
        r.get('/pieces', (_req, res) => {
          const body = JSON.stringify({ items: items(500) });
          res.type('application/json');
          res.write(body.slice(0, 100));
          res.end(body.slice(100));
        });
        r.get('/events', (req, res) => {
          const sse = openSse(req, res);
          void sse.send({ event: 'one', data: 1 });
          sse.close();
        });
      },
    }),
  );
});

afterAll(async () => {
  await server.close();
});

describe('compression', () => {
  it('gzips a response over 1 KB when gzip is accepted', async () => {
    const res = await request(server.port, {
      path: '/items?n=500',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toContain('Accept-Encoding');
    expect(JSON.parse(gunzipSync(res.body).toString())).toEqual({ items: items(500) });
    // A whole body goes out compressed in one piece, with its length (not chunked).
    expect(Number(res.headers['content-length'])).toBe(res.body.byteLength);
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('still compresses a body written in pieces, as a stream', async () => {
    const res = await request(server.port, {
      path: '/pieces',
      headers: { 'accept-encoding': 'br' },
    });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(brotliDecompressSync(res.body).toString())).toEqual({ items: items(500) });
  });

  it('prefers brotli when both are accepted', async () => {
    const res = await request(server.port, {
      path: '/items?n=500',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.body).toString())).toEqual({ items: items(500) });
  });

  it('sends small responses as is', async () => {
    const res = await request(server.port, {
      path: '/items?n=3',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.text)).toEqual({ items: items(3) });
  });

  it('sends as is when the client does not ask for compression', async () => {
    const res = await request(server.port, { path: '/items?n=500' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.text).items).toHaveLength(500);
  });

  // Such requests skip the compression package; they must still get its Vary header, since the
  // body would have differed with another Accept-Encoding.
  it('still sends Vary: Accept-Encoding when compression was ruled out', async () => {
    const cases: Array<Record<string, string>> = [{}, { 'accept-encoding': 'identity' }];
    for (const headers of cases) {
      const big = await request(server.port, { path: '/items?n=500', headers });
      expect(big.headers['content-encoding']).toBeUndefined();
      expect(big.headers.vary).toBe('Accept-Encoding');
      const small = await request(server.port, { path: '/items?n=3', headers });
      expect(small.headers.vary).toBe('Accept-Encoding');
    }
  });

  it('adds Vary to error responses too, never to SSE', async () => {
    const notFound = await request(server.port, { path: '/nothing-here' });
    expect(notFound.headers['content-type']).toContain('application/json');
    expect(notFound.headers.vary).toBe('Accept-Encoding');
    const sse = await request(server.port, { path: '/events' });
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers.vary).toBeUndefined();
    const gzipSse = await request(server.port, {
      path: '/events',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipSse.headers.vary).toBeUndefined();
    expect(gzipSse.text).toBe('event: one\ndata: 1\n\n');
  });
});
