import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, runWithCorrelation } from '@agentplane/http-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPool, httpCall } from './http-call.js';

const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});
const pool = createHttpPool();
let url: URL;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
});

afterAll(() => {
  pool.destroy();
  server.close();
});

describe('httpCall and the correlation id', () => {
  it('forwards the id of the request it runs in, and sends none outside one', async () => {
    const log = createLogger({ name: 'http-call-test', level: 'silent' });
    const inside = await runWithCorrelation('req_from-the-product', log, () =>
      httpCall(pool, url, { method: 'GET', timeoutMs: 5000 }),
    );
    const outside = await httpCall(pool, url, { method: 'GET', timeoutMs: 5000 });
    expect(inside.kind).toBe('answer');
    expect(outside.kind).toBe('answer');
    expect(seen[0]?.['x-correlation-id']).toBe('req_from-the-product');
    expect(seen[1]?.['x-correlation-id']).toBeUndefined();
  });
});
