import type { Server } from 'node:http';
import { defineRoute } from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.js';
import { registerRoute } from './route.js';
import { type Listening, listen } from './serve.js';
import { captureLogger, parseRawResponse, rawExchange, request } from './test-support.js';

const ping = defineRoute({
  method: 'get',
  path: '/ping',
  operationId: 'ping',
  summary: 'Ping',
  responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
});

const capture = captureLogger();
const app = () =>
  createServiceApp({
    name: 'client-error-test',
    logger: capture.logger,
    bodyLimitBytes: 1024,
    routes: (r) => registerRoute(r, ping, () => ({ status: 200, body: { ok: true } })),
  });

let platform: Listening;
let processor: Listening;

beforeAll(async () => {
  platform = await listen(app(), { port: 0, logger: capture.logger });
  // A service with its own envelope shape (the processors).
  processor = await listen(app(), {
    port: 0,
    clientErrorBody: (status, code, correlationId) => ({
      status: 'error',
      error: { code: `ERR_${code}`, http: status, correlation_id: correlationId },
    }),
  });
});

afterAll(async () => {
  const ac = new AbortController();
  ac.abort();
  await Promise.all([platform.close(ac.signal), processor.close(ac.signal)]);
});

const bigHeaders = `X-Big: ${'a'.repeat(20 * 1024)}\r\n`;

async function exchange(target: Listening, bytes: string) {
  const { text, closed } = await rawExchange(target.port, bytes);
  return { ...parseRawResponse(text), closed };
}

describe('requests node’s HTTP parser refuses', () => {
  it('answers 20 KB of headers with 431, an envelope, a correlation id and Connection: close', async () => {
    const res = await exchange(platform, `GET /ping HTTP/1.1\r\nHost: x\r\n${bigHeaders}\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.connection).toBe('close');
    const { error } = JSON.parse(res.body);
    expect(error.code).toBe('HEADERS_TOO_LARGE');
    expect(error.correlation_id).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(res.headers['x-correlation-id']).toBe(error.correlation_id);
    expect(res.closed).toBe(true);
    const logged = capture.lines().find((l) => l.correlation_id === error.correlation_id);
    expect(logged).toMatchObject({ status: 431, err_code: 'HPE_HEADER_OVERFLOW' });
  });

  it('answers a URL over 16 KB with 431 too', async () => {
    const res = await exchange(
      platform,
      `GET /ping?q=${'b'.repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).error.code).toBe('HEADERS_TOO_LARGE');
  });

  it('answers broken HTTP with 400 MALFORMED_REQUEST', async () => {
    const res = await exchange(platform, 'GET /ping HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('MALFORMED_REQUEST');
    expect(res.closed).toBe(true);
  });

  it('lets the service choose the body (processors answer their own envelope)', async () => {
    const res = await exchange(processor, `GET /ping HTTP/1.1\r\nHost: x\r\n${bigHeaders}\r\n`);
    expect(res.status).toBe(431);
    const body = JSON.parse(res.body);
    expect(body).toEqual({
      status: 'error',
      error: { code: 'ERR_HEADERS_TOO_LARGE', http: 431, correlation_id: expect.any(String) },
    });
    expect(res.headers['x-correlation-id']).toBe(body.error.correlation_id);
  });

  it('answers an HTTP/1.1 request without Host with 400, the envelope and the sent correlation id', async () => {
    const id = 'req_no-host-check';
    const res = await exchange(platform, `GET /ping HTTP/1.1\r\nX-Correlation-Id: ${id}\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(res.headers.connection).toBe('close');
    expect(res.headers['x-correlation-id']).toBe(id);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'MALFORMED_REQUEST',
      correlation_id: id,
    });
    const viaProcessor = await exchange(processor, 'GET /ping HTTP/1.1\r\n\r\n');
    expect(JSON.parse(viaProcessor.body).error.code).toBe('ERR_MALFORMED_REQUEST');
  });

  it('serves an HTTP/1.0 request without Host (Host is HTTP/1.1’s rule)', async () => {
    const res = await exchange(platform, 'GET /ping HTTP/1.0\r\n\r\n');
    expect(res.status).toBe(200);
  });

  it('keeps serving afterwards', async () => {
    expect((await request(platform.port, { path: '/ping' })).status).toBe(200);
  });

  it('only destroys a socket whose peer reset it (no write)', () => {
    const server: Server = platform.server;
    const socket = {
      writable: true,
      destroyed: false,
      destroy() {
        this.destroyed = true;
      },
      end() {
        throw new Error('must not write');
      },
    };
    server.emit('clientError', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket);
    expect(socket.destroyed).toBe(true);
  });
});
