import zlib from 'node:zlib';
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

const created = z.object({ name: z.string() });
const createThing = defineRoute({
  method: 'post',
  path: '/things',
  operationId: 'createThing',
  summary: 'Create',
  request: { body: z.object({ name: z.string() }) },
  responses: { 201: { description: 'created', schema: created } },
});
// Every field optional, like orchestratord's ProductPolicy: `{}` is valid, nothing is not.
const putPolicy = defineRoute({
  method: 'put',
  path: '/policy',
  operationId: 'putPolicy',
  summary: 'Replace',
  request: { body: z.strictObject({ max: z.number().optional() }) },
  responses: { 200: { description: 'ok', schema: z.object({ max: z.number().optional() }) } },
});
const loose = defineRoute({
  method: 'post',
  path: '/loose',
  operationId: 'loose',
  summary: 'Any object',
  request: { body: z.looseObject({}) },
  responses: { 200: { description: 'ok', schema: z.object({ keys: z.array(z.string()) }) } },
});
const health = defineRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  summary: 'Health',
  responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
});
const guarded = defineRoute({
  method: 'post',
  path: '/guarded',
  operationId: 'guarded',
  summary: 'Keyed',
  request: { body: z.object({ n: z.number() }) },
  responses: { 200: { description: 'ok', schema: z.object({ n: z.number() }) } },
});

const { logger } = captureLogger();
let server: Started;
let calls = 0;

beforeAll(async () => {
  const app = createServiceApp({
    name: 'body-test',
    logger,
    bodyLimitBytes: 1024,
    guards: (r) => {
      r.post('/guarded', (req, _res, next) => {
        next(
          req.headers['x-key'] === 'k'
            ? undefined
            : new ApiError({ code: 'UNAUTHORIZED', message: 'X-Key is required' }),
        );
      });
    },
    routes: (r) => {
      registerRoute(r, createThing, ({ body }) => {
        calls++;
        return { status: 201, body: { name: body.name } };
      });
      registerRoute(r, putPolicy, ({ body }) => {
        calls++;
        return { status: 200, body };
      });
      registerRoute(r, loose, ({ body }) => {
        calls++;
        return { status: 200, body: { keys: Object.keys(body) } };
      });
      registerRoute(r, health, () => ({ status: 200, body: { ok: true } }));
      registerRoute(r, guarded, ({ body }) => ({ status: 200, body }));
    },
  });
  server = await start(app);
});

afterAll(async () => {
  await server.close();
});

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  request(server.port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

function errorOf(res: { text: string }) {
  return JSON.parse(res.text).error as {
    code: string;
    correlation_id: string;
    details?: { issues: Array<{ path: string }> };
  };
}

const COMPRESS: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => zlib.gzipSync(b),
  deflate: (b) => zlib.deflateSync(b),
  br: (b) => zlib.brotliCompressSync(b),
  zstd: (b) => zlib.zstdCompressSync(b),
};

describe('Content-Encoding', () => {
  it.each(Object.keys(COMPRESS))(
    'answers a plain body labelled %s with 400, not 500',
    async (enc) => {
      const res = await post('/things', '{"name":"a"}', {
        'content-encoding': enc,
        'x-correlation-id': `enc-${enc}`,
      });
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({
        code: 'MALFORMED_REQUEST',
        correlation_id: `enc-${enc}`,
      });
      expect(res.headers['x-correlation-id']).toBe(`enc-${enc}`);
    },
  );

  it.each(Object.keys(COMPRESS))('reads a real %s body of JSON', async (enc) => {
    const compress = COMPRESS[enc] as (b: Buffer) => Buffer;
    const res = await post('/things', compress(Buffer.from('{"name":"zipped"}')), {
      'content-encoding': enc,
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ name: 'zipped' });
  });

  it('answers an encoding it does not support with 415', async () => {
    const res = await post('/things', '{"name":"a"}', { 'content-encoding': 'compress' });
    expect(res.status).toBe(415);
    expect(errorOf(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('applies the limit to the decompressed size', async () => {
    const big = zlib.gzipSync(Buffer.from(JSON.stringify({ name: 'a'.repeat(50_000) })));
    expect(big.length).toBeLessThan(1024);
    const res = await post('/things', big, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('an empty body', () => {
  it('is a missing body, not {}: 400 VALIDATION_ERROR naming body, handler not called', async () => {
    const before = calls;
    const res = await request(server.port, {
      method: 'PUT',
      path: '/policy',
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(res.status).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details?.issues.map((i) => i.path)).toEqual(['body']);
    expect(calls).toBe(before);
  });

  it('is missing when chunked or sent without a Content-Type too', async () => {
    const chunked = await rawExchange(
      server.port,
      'PUT /policy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    );
    expect(parseRawResponse(chunked.text).status).toBe(400);
    const untyped = await request(server.port, { method: 'PUT', path: '/policy', body: '' });
    expect(untyped.status).toBe(400);
    expect(errorOf(untyped).details?.issues.map((i) => i.path)).toEqual(['body']);
  });

  it('differs from {}, which a body of optional fields accepts', async () => {
    const res = await request(server.port, {
      method: 'PUT',
      path: '/policy',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });

  it('keeps strict JSON: a bare string is malformed', async () => {
    const res = await post('/things', '"name"');
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('MALFORMED_JSON');
  });
});

describe('text encoding', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses %s inside a JSON string (400 MALFORMED_JSON, handler not called)', async (_, bad) => {
    const before = calls;
    const body = Buffer.concat([Buffer.from('{"name":"ab'), Buffer.from(bad), Buffer.from('cd"}')]);
    const res = await post('/things', body);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('MALFORMED_JSON');
    expect(calls).toBe(before);
  });

  it('reads UTF-8 (with or without a BOM) and refuses another charset with 415', async () => {
    expect((await post('/things', Buffer.from('\ufeff{"name":"grüße ✓"}'))).status).toBe(201);
    const latin1 = await post('/things', Buffer.from('{"name":"x"}'), {
      'content-type': 'application/json; charset=iso-8859-1',
    });
    expect(latin1.status).toBe(415);
  });
});

describe('prototype poisoning', () => {
  it.each([
    ['{"__proto__":{"admin":true}}', 'body.__proto__'],
    ['{"a":{"b":[1,{"__proto__":{}}]}}', 'body.a.b.1.__proto__'],
    ['{"\\u005f_proto__":{"admin":true}}', 'body.__proto__'],
    ['{"constructor":{"prototype":{"admin":true}}}', 'body.constructor.prototype'],
  ])('refuses %s with 400 before the handler', async (text, path) => {
    const before = calls;
    const res = await post('/loose', text);
    expect(res.status).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details?.issues.map((i) => i.path)).toEqual([path]);
    expect(calls).toBe(before);
  });

  it('lets harmless look-alikes through', async () => {
    const res = await post('/loose', '{"constructor":"x","proto":{"prototype":1},"__proto":1}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).keys).toEqual(['constructor', 'proto', '__proto']);
  });
});

describe('a body on a route without a body schema', () => {
  it('is ignored: bad JSON, over the limit or undecodable, /health still answers 200', async () => {
    const bodies: Array<[string | Buffer, Record<string, string>]> = [
      ['{"broken":', { 'content-type': 'application/json' }],
      ['x'.repeat(5000), { 'content-type': 'application/json' }],
      ['plain', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      ['plain', { 'content-type': 'text/plain', 'content-encoding': 'compress' }],
    ];
    for (const [body, headers] of bodies) {
      // node:http sends no Content-Length for a GET unless told to (the body would then read as
      // the next request).
      const length = { 'content-length': String(Buffer.byteLength(body)) };
      const res = await request(server.port, {
        method: 'GET',
        path: '/health',
        headers: { ...headers, ...length },
        body,
      });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('is drained: the next request on the same connection is served', async () => {
    const ignored = 'x'.repeat(5000);
    const { text } = await rawExchange(
      server.port,
      `GET /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${ignored.length}\r\n\r\n${ignored}` +
        'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it('still lets the guard answer before the body is read (401, not 400)', async () => {
    expect((await post('/guarded', '{"n":')).status).toBe(401);
    expect((await post('/guarded', '{"n":', { 'x-key': 'k' })).status).toBe(400);
    expect((await post('/guarded', '{"n":1}', { 'x-key': 'k' })).status).toBe(200);
  });

  it('keeps 415 for another content type on a body route', async () => {
    const res = await post('/things', 'name=a', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(errorOf(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
