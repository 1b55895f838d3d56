import { get } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentSource } from './document-source.js';
import { checkedFetch } from './fetch-hook.js';
import { hookNodeHttp } from './http-hook.js';
import { checkExchange, type Violation } from './response-check.js';
import { startTinyService, type TinyService } from './tiny-service.js';

// The check against a real loopback service and its document, without the global install: a
// checked fetch and the node:http hook are built here around a local violation list.

let svc: TinyService;
let double: TinyService;
const violations: Violation[] = [];
const pending = new Set<Promise<unknown>>();
let allowed = false;
const source = createDocumentSource(fetch);
const start = (exchange: Parameters<typeof checkExchange>[2]) =>
  checkExchange(
    source,
    { record: (v) => violations.push(v), track: (p) => pending.add(p) },
    exchange,
  );
const context = () => ({ allowed, test: 'unit' });
const checked = checkedFetch(fetch, context, start);
let unhook: () => void;

async function found(): Promise<Violation[]> {
  await Promise.allSettled([...pending]);
  pending.clear();
  return violations.splice(0);
}

function nodeGet(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  svc = await startTinyService();
  double = await startTinyService({ correlation: false });
  unhook = hookNodeHttp(context, start);
});

afterAll(async () => {
  unhook();
  await svc.close();
  await double.close();
});

afterEach(() => {
  allowed = false;
  source.forgetOrigins();
});

describe('openapi-check', () => {
  it('passes answers that match the document, kit-level 404/405/431 included', async () => {
    const calls: Array<[string, string]> = [
      ['GET', '/items/good'],
      ['GET', '/items/missing'], // 404 through components/responses
      ['DELETE', '/items/good'], // 204, documented without content
      ['POST', '/items/new'], // the literal path wins over /items/{id}
      ['HEAD', '/items/good'], // served by the GET operation
      ['GET', '/nowhere'], // kit-level 404
      ['PUT', '/items/good'], // kit-level 405 with Allow
      ['GET', '/headers'], // kit-level 431
      ['GET', '/openapi.json'], // kit route, not in the document
    ];
    for (const [method, path] of calls) {
      const res = await checked(`${svc.base}${path}`, { method });
      await res.arrayBuffer();
    }
    expect(await found()).toEqual([]);
  });

  it('reports a body that drifts from its schema, with the ajv errors and an excerpt', async () => {
    const res = await checked(`${svc.base}/items/bad`);
    expect(res.status).toBe(200);
    const [v, ...rest] = await found();
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      method: 'GET',
      status: 200,
      operation: 'GET /items/{id}',
      problem: 'the body does not match the schema',
      excerpt: '{"id":"bad","tag":3}',
      test: 'unit',
    });
    expect(v?.errors?.join('\n')).toContain("(root): must have required property 'name'");
    expect(v?.errors?.join('\n')).toContain('/tag: must be string,null');
  });

  it('checks formats', async () => {
    await checked(`${svc.base}/items/bad-date`);
    const [v] = await found();
    expect(v?.errors?.join('\n')).toContain('/created: must match format "date-time"');
  });

  it('reports undocumented statuses, media types, and kit answers off the rules', async () => {
    await checked(`${svc.base}/items/teapot`);
    await checked(`${svc.base}/items/text`);
    await checked(`${svc.base}/items/no-allow`, { method: 'PUT' });
    await checked(`${svc.base}/not-404`);
    const problems = (await found()).map((v) => `${v.operation} → ${v.status}: ${v.problem}`);
    expect(problems).toEqual([
      'GET /items/{id} → 418: status 418 is not documented (documented: 200, 404)',
      'GET /items/{id} → 200: Content-Type text/plain is not documented for 200 (documented: application/json)',
      'PUT /items/no-allow (no operation) → 405: a kit-level 405 without an Allow header',
      'GET /not-404 (no operation) → 400: no documented path; expected 404, got 400',
    ]);
  });

  it('checks each stream event as the test reads it, and changes none of its bytes', async () => {
    const plain = await (await fetch(`${svc.base}/stream`)).text();
    const res = await checked(`${svc.base}/stream?bad=1`);
    const text = await res.text();
    expect(text).toBe(plain.replace('"n":2', '"n":"two"'));
    const [v, ...rest] = await found();
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      operation: 'GET /stream',
      event: 'tick',
      problem: 'event data does not match the stream schema',
      excerpt: '{"event":"tick","n":"two"}',
    });
    await (await checked(`${svc.base}/stream`)).text();
    expect(await found()).toEqual([]);
  });

  it('hands the stream over unbuffered: cancelling it disconnects from the server', async () => {
    const res = await checked(`${svc.base}/stream`);
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain(': hb');
    await reader?.cancel();
    await svc.streamDropped;
    expect(await found()).toEqual([]);
  });

  it('leaves test doubles alone: no document requested, nothing checked', async () => {
    await checked(`${double.base}/items/teapot`);
    await nodeGet(`${double.base}/items/bad`);
    expect(await found()).toEqual([]);
    expect(double.seen).not.toContain('GET /openapi.json');
  });

  it('drops what is received inside allowUndocumented', async () => {
    allowed = true;
    await checked(`${svc.base}/items/teapot`);
    expect(await found()).toEqual([]);
  });

  it('checks node:http responses too, decoding their Content-Encoding', async () => {
    await nodeGet(`${svc.base}/items/good`, { 'accept-encoding': 'gzip' });
    expect(await found()).toEqual([]);
    await nodeGet(`${svc.base}/items/bad`, { 'accept-encoding': 'gzip' });
    const [v] = await found();
    expect(v).toMatchObject({ operation: 'GET /items/{id}', excerpt: '{"id":"bad","tag":3}' });
  });

  it('compiles a document once, whichever origin serves it', async () => {
    const other = await startTinyService();
    try {
      const a = await source.lookup(svc.base, true);
      const b = await source.lookup(other.base, true);
      expect(a).toBeDefined();
      expect(b).toBe(a);
    } finally {
      await other.close();
    }
  });
});
