import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { buildDocument, ProcessorErrorEnvelope, surfaceByName } from '@agentplane/contracts';
import { expect, it } from 'vitest';
import type { SuiteContext } from './suite-support.js';

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request over node:http: any method, header or body bytes, nothing decoded. */
export function rawRequest(
  base: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(opts.path, base),
      { method: opts.method, headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const GENERATED_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The HTTP edges of the contract (issue 11): correlation ids, wrong methods, the OpenAPI document,
 * oversized headers, `__proto__` in inputs. Registered inside `processorContractSuite`'s describe.
 */
export function contractEdgeCases(ctx: SuiteContext): void {
  it('echoes a well-formed X-Correlation-Id on every response, binds it to the run log, mints one otherwise', async () => {
    const base = ctx.ci().baseUrl;
    const id = `corr-${process.pid}-${Date.now()}`;
    const json = { 'content-type': 'application/json', 'x-correlation-id': id };
    const replies = await Promise.all([
      rawRequest(base, { method: 'POST', path: '/run', headers: json, body: ctx.body() }),
      rawRequest(base, { method: 'POST', path: '/run', headers: json, body: '{"x": ' }),
      rawRequest(base, { method: 'POST', path: '/run-stream', headers: json, body: ctx.body() }),
      rawRequest(base, { method: 'GET', path: '/nope', headers: json }),
      rawRequest(base, { method: 'GET', path: '/healthz', headers: json }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 400, 200, 404, 200]);
    for (const reply of replies) {
      expect(reply.headers['x-correlation-id']).toBe(id);
    }
    const runLines = ctx
      .ci()
      .stderr()
      .map((line) => JSON.parse(line) as { msg?: string; correlation_id?: string });
    expect(runLines.some((l) => l.msg === 'http.run.start' && l.correlation_id === id)).toBe(true);

    for (const bad of [undefined, 'has space', 'x'.repeat(129)]) {
      const reply = await rawRequest(base, {
        method: 'POST',
        path: '/run',
        headers: {
          'content-type': 'application/json',
          ...(bad === undefined ? {} : { 'x-correlation-id': bad }),
        },
        body: ctx.body({ mode: 'real' }),
      });
      expect(reply.status).toBe(403);
      expect(reply.headers['x-correlation-id']).toMatch(GENERATED_ID);
    }
  });

  it('answers a wrong method with 405 ERR_METHOD_NOT_ALLOWED and an Allow header', async () => {
    const base = ctx.ci().baseUrl;
    const cases: Array<[string, string, string]> = [
      ['GET', '/run', 'POST'],
      ['PUT', '/run-stream', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/openapi.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const reply = await rawRequest(base, { method, path });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.headers.allow).toBe(allow);
      const envelope = ProcessorErrorEnvelope.parse(JSON.parse(reply.text));
      expect(envelope.error.code).toBe('ERR_METHOD_NOT_ALLOWED');
    }
    const head = await rawRequest(base, { method: 'HEAD', path: '/healthz' });
    expect(head.status).toBe(200);
  });

  it('serves the processor OpenAPI document at GET /openapi.json', async () => {
    const res = await fetch(`${ctx.ci().baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(
      JSON.parse(JSON.stringify(buildDocument(surfaceByName('processor')))),
    );
  });

  it('answers headers over 16 KB with 431 and an error envelope, not a bare status line', async () => {
    const reply = await rawRequest(ctx.ci().baseUrl, {
      method: 'GET',
      path: '/healthz',
      headers: { 'x-padding': 'x'.repeat(20 * 1024) },
    });
    expect(reply.status).toBe(431);
    expect(reply.headers['x-correlation-id']).toMatch(GENERATED_ID);
    const envelope = ProcessorErrorEnvelope.parse(JSON.parse(reply.text));
    expect(envelope.error.code).toBe('ERR_HEADERS_TOO_LARGE');
    expect(envelope.meta.env_fingerprint).not.toBe('');
  });

  // Only a schema that closes its top level can refuse the key (both processors' do).
  if (ctx.registry.inputs.additionalProperties === false) {
    it('refuses a __proto__ key in inputs with ERR_INPUTS_INVALID naming it', async () => {
      // Spliced as text: an object literal's __proto__ would set a prototype, not send a key.
      const valid = JSON.stringify(ctx.exampleInputs);
      const inputs = `{"__proto__":{"polluted":true},${valid.slice(1)}`;
      const body = ctx.body().replace(valid, inputs);
      expect(body).toContain('"__proto__"');
      const reply = await rawRequest(ctx.ci().baseUrl, {
        method: 'POST',
        path: '/run',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(reply.status, reply.text).toBe(400);
      const envelope = ProcessorErrorEnvelope.parse(JSON.parse(reply.text));
      expect(envelope.error.code).toBe('ERR_INPUTS_INVALID');
      expect(envelope.error.issues?.map((i) => i.path)).toContain('/inputs/__proto__');
    });
  }
}
