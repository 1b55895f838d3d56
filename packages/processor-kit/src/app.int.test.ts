import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gunzipSync, gzipSync, zstdCompressSync } from 'node:zlib';
import {
  buildDocument,
  ProcessorErrorEnvelope,
  ProcessorStreamEvent,
  ProcessorSuccessEnvelope,
  readSseEvents,
  readSseMessages,
  type SseMessage,
  surfaceByName,
} from '@agentplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessorError } from './processor-error.js';
import { type KitServer, startKitServer } from './test-support.js';
import { rawRequest } from './testing/contract-edges.js';

const JSON_TYPE = { 'content-type': 'application/json' };

async function* chunks(text: string): AsyncGenerator<string> {
  yield text;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
  }
  return out;
}

function errorOf(text: string) {
  return ProcessorErrorEnvelope.parse(JSON.parse(text));
}

let kit: KitServer;
let local: KitServer;
let failing: KitServer;
let picky: KitServer;

beforeAll(async () => {
  [kit, local, failing, picky] = await Promise.all([
    startKitServer({ ci: true }),
    startKitServer({ ci: false }),
    startKitServer({
      handler: async () => {
        throw new ProcessorError('ERR_UPSTREAM');
      },
    }),
    // Refuses its inputs from inside the handler, as doc/extract does with a document it cannot
    // parse: the run was admitted, the refusal is still the client's.
    startKitServer({
      handler: async (ctx) => {
        if (ctx.inputs.text === 'refuse') {
          throw new ProcessorError('ERR_INPUTS_INVALID', [{ path: '/inputs/text', message: 'no' }]);
        }
        await ctx.writeOutput('outputs/echo.txt', String(ctx.inputs.text));
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([kit?.close(), local?.close(), failing?.close(), picky?.close()]);
});

describe('inputs with a __proto__ key (issue 11 finding 3)', () => {
  it('are refused by name, although zod’s record parse would drop the key', async () => {
    // Valid but for the key: before, zod's record parse dropped it and ajv saw valid inputs. The
    // body reader (http-kit's, as every service's) now refuses the key before any parse.
    for (const inputs of ['{"__proto__":{"repeat":0},"text":"x"}', '{"text":"x","__proto__":1}']) {
      const body = kit.body().replace('{"text":"hello"}', inputs);
      const reply = await rawRequest(kit.base, {
        method: 'POST',
        path: '/run',
        headers: JSON_TYPE,
        body,
      });
      expect(reply.status, reply.text).toBe(400);
      const envelope = errorOf(reply.text);
      expect(envelope.error.code).toBe('ERR_INPUTS_INVALID');
      expect(envelope.error.issues).toContainEqual({
        path: '/inputs/__proto__',
        message: 'Forbidden key (prototype poisoning)',
      });
    }
  });

  it('are refused where the schema leaves an object open (prototype poisoning)', async () => {
    const cases: Array<[string, string]> = [
      ['{"text":"x","meta":{"__proto__":{"admin":true}}}', '/inputs/meta/__proto__'],
      [
        '{"text":"x","meta":{"constructor":{"prototype":{}}}}',
        '/inputs/meta/constructor/prototype',
      ],
    ];
    for (const [inputs, path] of cases) {
      const body = kit.body().replace('{"text":"hello"}', inputs);
      const reply = await rawRequest(kit.base, {
        method: 'POST',
        path: '/run',
        headers: JSON_TYPE,
        body,
      });
      expect(reply.status, reply.text).toBe(400);
      expect(errorOf(reply.text).error).toMatchObject({
        code: 'ERR_INPUTS_INVALID',
        issues: [{ path, message: 'Forbidden key (prototype poisoning)' }],
      });
    }
    // Outside the inputs it is the request's problem.
    const atRoot = `{"__proto__":{"polluted":true},${kit.body().slice(1)}`;
    const root = await rawRequest(kit.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: atRoot,
    });
    expect(root.status, root.text).toBe(400);
    expect(errorOf(root.text).error).toMatchObject({
      code: 'ERR_REQUEST_INVALID',
      issues: [{ path: '/__proto__', message: 'Forbidden key (prototype poisoning)' }],
    });
    const open = kit.body().replace('{"text":"hello"}', '{"text":"x","meta":{"a":{"b":1}}}');
    const ok = await rawRequest(kit.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: open,
    });
    expect(ok.status, ok.text).toBe(200);
  });
});

describe('X-Correlation-Id (finding 7)', () => {
  it('echoes a well-formed id on every kind of response and binds it to the run log', async () => {
    const id = 'caller-id:1.2_3';
    const headers = { ...JSON_TYPE, 'x-correlation-id': id };
    const replies = await Promise.all([
      rawRequest(kit.base, { method: 'POST', path: '/run', headers, body: kit.body() }),
      rawRequest(kit.base, {
        method: 'POST',
        path: '/run',
        headers,
        body: kit.body({ mode: 'real' }),
      }),
      rawRequest(kit.base, { method: 'POST', path: '/run', headers, body: '[' }),
      rawRequest(kit.base, { method: 'POST', path: '/run-stream', headers, body: kit.body() }),
      rawRequest(kit.base, { method: 'GET', path: '/run', headers }),
      rawRequest(kit.base, { method: 'GET', path: '/missing', headers }),
      rawRequest(kit.base, { method: 'GET', path: '/healthz', headers }),
      rawRequest(kit.base, { method: 'GET', path: '/openapi.json', headers }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 403, 400, 200, 405, 404, 200, 200]);
    for (const reply of replies) {
      expect(reply.headers['x-correlation-id']).toBe(id);
    }
    const runLines = kit.logLines().filter((l) => l.correlation_id === id);
    expect(runLines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['http.run.start', 'http.run.settle', 'http.run.error']),
    );
  });

  it('mints a req_ id when the header is absent or malformed, a new one per request', async () => {
    const ids = new Set<string>();
    for (const bad of [undefined, '', 'two words', 'é', 'x'.repeat(129)]) {
      const reply = await rawRequest(kit.base, {
        method: 'GET',
        path: '/healthz',
        headers: bad === undefined ? {} : { 'x-correlation-id': bad },
      });
      const id = String(reply.headers['x-correlation-id']);
      expect(id).toMatch(/^req_[0-9A-HJKMNP-TV-Z]{26}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });
});

describe('compression (finding 7)', () => {
  // 300 unknown keys: 300 issues, an error envelope of ~20 KB.
  const bigInputs = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [`unknown_${i}`, i]).concat([['text', 'x']]),
  );

  it('compresses a large error envelope for a client that accepts gzip or br', async () => {
    const plain = await rawRequest(kit.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: kit.body({ inputs: bigInputs }),
    });
    expect(plain.status).toBe(400);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text.length).toBeGreaterThan(10_000);
    expect(errorOf(plain.text).error.issues).toHaveLength(300);

    const gzip = await fetchRaw('/run', 'gzip', kit.body({ inputs: bigInputs }));
    expect(gzip.status).toBe(400);
    expect(gzip.encoding).toBe('gzip');
    expect(gzip.bytes.length).toBeLessThan(plain.text.length / 4);
    expect(errorOf(gunzipSync(gzip.bytes).toString('utf8')).error.issues).toHaveLength(300);

    const br = await fetchRaw('/run', 'br, gzip', kit.body({ inputs: bigInputs }));
    expect(br.encoding).toBe('br');
  });

  it('leaves small answers and SSE streams alone', async () => {
    const health = await fetchRaw('/healthz', 'gzip', undefined);
    expect(health.encoding).toBeUndefined();
    const stream = await fetchRaw('/run-stream', 'gzip, br', kit.body());
    expect(stream.status).toBe(200);
    expect(stream.encoding).toBeUndefined();
    expect(stream.bytes.toString('utf8')).toContain('event: done');
  });
});

/** node:http with Accept-Encoding, body bytes as received (no decoding). */
async function fetchRaw(path: string, accept: string, body: string | undefined) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; encoding: string | undefined; bytes: Buffer }>(
    (resolve, reject) => {
      const req = request(
        new URL(path, kit.base),
        {
          method: body === undefined ? 'GET' : 'POST',
          headers: { ...JSON_TYPE, 'accept-encoding': accept },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              encoding: res.headers['content-encoding'],
              bytes: Buffer.concat(parts),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

describe('/run-stream (findings 4 and 5)', () => {
  async function stream(server: KitServer, body: string) {
    const res = await fetch(`${server.base}/run-stream`, {
      method: 'POST',
      headers: JSON_TYPE,
      body,
    });
    return { res, text: await res.text() };
  }

  it('ends with event: done whose data is the envelope itself', async () => {
    const { res, text } = await stream(kit, kit.body());
    expect(res.status).toBe(200);
    const messages: SseMessage[] = await collect(readSseMessages(chunks(text)));
    expect(messages.map((m) => m.event)).toEqual(['started', 'progress', 'done']);
    const data = JSON.parse(messages[2]?.data ?? '') as Record<string, unknown>;
    expect(data).not.toHaveProperty('envelope');
    expect(data).not.toHaveProperty('event');
    expect(ProcessorSuccessEnvelope.parse(data).status).toBe('success');
    const events = await collect(readSseEvents(chunks(text), ProcessorStreamEvent));
    expect(events.at(-1)).toEqual({ event: 'done', ...data });
  });

  it('refuses before the stream what /run refuses, with the same status and envelope', async () => {
    const cases: Array<[KitServer, Record<string, unknown>, number, string]> = [
      [kit, { mode: 'real' }, 403, 'ERR_CI_SAFETY'],
      [local, { mode: 'real' }, 503, 'ERR_SECRETS_MISSING'],
      [kit, { schema: 7 }, 400, 'ERR_REQUEST_INVALID'],
      [kit, { inputs: { text: '' } }, 400, 'ERR_INPUTS_INVALID'],
      [kit, { write_prefix: 'relative/{execution_id}' }, 400, 'ERR_WRITE_PREFIX'],
    ];
    for (const [server, over, status, code] of cases) {
      const body = server.body({ execution_id: 'same-id', ...over });
      const [viaStream, viaRun] = await Promise.all([
        stream(server, body),
        rawRequest(server.base, { method: 'POST', path: '/run', headers: JSON_TYPE, body }),
      ]);
      expect(viaStream.res.status, code).toBe(status);
      expect(viaStream.res.headers.get('content-type')).toContain('application/json');
      expect(viaRun.status).toBe(status);
      expect(errorOf(viaStream.text)).toEqual(errorOf(viaRun.text));
      expect(errorOf(viaStream.text).error.code).toBe(code);
    }
  });

  it('delivers a failure during an accepted run as the done envelope', async () => {
    const { res, text } = await stream(failing, failing.body());
    expect(res.status).toBe(200);
    const events = await collect(readSseEvents(chunks(text), ProcessorStreamEvent));
    const done = events.at(-1);
    expect(events.map((e) => e.event)).toEqual(['started', 'done']);
    expect(done?.event === 'done' && done.status === 'error' && done.error.code).toBe(
      'ERR_UPSTREAM',
    );
  });
});

describe('Content-Encoding (finding 1a)', () => {
  const codings = ['gzip', 'deflate', 'br', 'zstd'] as const;

  it('answers a plain body that claims an encoding with a 400 envelope, never 500', async () => {
    for (const coding of codings) {
      const reply = await rawRequest(kit.base, {
        method: 'POST',
        path: '/run',
        headers: { ...JSON_TYPE, 'content-encoding': coding },
        body: kit.body(),
      });
      expect(reply.status, `${coding}: ${reply.text}`).toBe(400);
      const envelope = errorOf(reply.text);
      expect(envelope.error.code).toBe('ERR_REQUEST_INVALID');
      expect(envelope.error.issues?.[0]?.message).not.toBe('');
    }
  });

  it('decodes a body really encoded so', async () => {
    const encode = {
      gzip: gzipSync,
      deflate: deflateSync,
      br: brotliCompressSync,
      zstd: zstdCompressSync,
    };
    for (const coding of codings) {
      const reply = await rawRequest(kit.base, {
        method: 'POST',
        path: '/run',
        headers: { ...JSON_TYPE, 'content-encoding': coding },
        body: encode[coding](Buffer.from(kit.body())),
      });
      expect(reply.status, `${coding}: ${reply.text}`).toBe(200);
    }
  });
});

describe('methods and /openapi.json (findings 5 and 6)', () => {
  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/run', 'POST'],
      ['DELETE', '/run', 'POST'],
      ['GET', '/run-stream', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['PUT', '/openapi.json', 'GET, HEAD'],
      ['OPTIONS', '/run', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const reply = await rawRequest(kit.base, { method, path });
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.headers.allow).toBe(allow);
      expect(errorOf(reply.text).error.code).toBe('ERR_METHOD_NOT_ALLOWED');
    }
    expect((await rawRequest(kit.base, { method: 'HEAD', path: '/healthz' })).status).toBe(200);
  });

  it('serves the processor surface document', async () => {
    const res = await fetch(`${kit.base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildDocument(surfaceByName('processor')))));
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/run', '/run-stream']);
  });
});

describe('a run the handler refuses (fuzz: a refused request rewrote an earlier trace)', () => {
  async function traceSoon(path: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const text = await readFile(path, 'utf8').catch(() => '');
      if (text !== '') {
        return text;
      }
      await sleep(20);
    }
    throw new Error(`no trace at ${path}`);
  }

  it('leaves the trace of an earlier run under the same execution_id as it was', async () => {
    const execution_id = `picky-${process.pid}`;
    const write_prefix = join(picky.tmp, execution_id);
    const trace = join(write_prefix, 'logs', 'trace.ndjson');
    const first = await rawRequest(picky.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: picky.body({ execution_id, write_prefix }),
    });
    expect(first.status, first.text).toBe(200);
    const before = await traceSoon(trace);
    const refused = await rawRequest(picky.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: picky.body({ execution_id, write_prefix, inputs: { text: 'refuse' } }),
    });
    expect(refused.status, refused.text).toBe(400);
    expect(errorOf(refused.text).error.code).toBe('ERR_INPUTS_INVALID');
    await sleep(100); // the mirror would be written just after the reply
    expect(await readFile(trace, 'utf8')).toBe(before);
  });

  it('still leaves the trace of a run that failed on our side (5xx)', async () => {
    const execution_id = `failing-${process.pid}`;
    const write_prefix = join(failing.tmp, execution_id);
    const reply = await rawRequest(failing.base, {
      method: 'POST',
      path: '/run',
      headers: JSON_TYPE,
      body: failing.body({ execution_id, write_prefix }),
    });
    expect(reply.status).toBe(502);
    expect(await traceSoon(join(write_prefix, 'logs', 'trace.ndjson'))).toContain('http.run.error');
  });
});
