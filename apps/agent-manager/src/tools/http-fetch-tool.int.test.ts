import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFetchOptions, httpFetchTool } from './http-fetch-tool.js';

let server: Server;
let host: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') {
      return; // never answers
    }
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          path: req.url,
          body,
          type: req.headers['content-type'] ?? null,
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const fetchWith = (options: Partial<HttpFetchOptions>, input: Record<string, unknown>) =>
  httpFetchTool({
    allowedHosts: [host],
    allowPrivate: true,
    maxResponseBytes: 10_000,
    timeoutMs: 5_000,
    ...options,
  }).run(input, {
    agentId: 'agt_0000000000aa',
    stepId: '1',
    toolCallId: 'call_1',
    signal: new AbortController().signal,
  });

describe('http.fetch tool', () => {
  it('GETs and POSTs an allowlisted loopback server (allowPrivate)', async () => {
    const got = (await fetchWith({}, { url: `http://${host}/a?b=1` })) as {
      status: number;
      body: string;
    };
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ method: 'GET', path: '/a?b=1' });
    const posted = (await fetchWith(
      {},
      {
        url: `http://${host}/p`,
        method: 'POST',
        body: '{"x":1}',
        content_type: 'application/json',
      },
    )) as {
      body: string;
    };
    expect(JSON.parse(posted.body)).toEqual({
      method: 'POST',
      path: '/p',
      body: '{"x":1}',
      type: 'application/json',
    });
  });

  it('a host that is not allowlisted → HOST_NOT_ALLOWED', async () => {
    await expect(fetchWith({}, { url: 'http://example.com/' })).rejects.toMatchObject({
      code: 'HOST_NOT_ALLOWED',
    });
    await expect(fetchWith({ allowedHosts: [] }, { url: `http://${host}/` })).rejects.toMatchObject(
      {
        code: 'HOST_NOT_ALLOWED',
      },
    );
  });

  it('loopback without allowPrivate is refused, even when allowlisted', async () => {
    await expect(
      fetchWith({ allowPrivate: false }, { url: `http://${host}/` }),
    ).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS',
    });
    // A name that resolves to loopback is refused the same way.
    await expect(
      fetchWith(
        { allowPrivate: false, allowedHosts: ['internal.test'], resolve: async () => ['10.0.0.7'] },
        { url: 'http://internal.test/' },
      ),
    ).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS' });
  });

  it('other schemes are invalid input; a silent server → TIMEOUT; a big body is truncated', async () => {
    await expect(fetchWith({}, { url: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      fetchWith({ timeoutMs: 200 }, { url: `http://${host}/hang` }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    const small = await fetchWith(
      { maxResponseBytes: 10 },
      { url: `http://${host}/long-path-for-a-long-body` },
    );
    expect(small).toMatchObject({ truncated: true, bytes: 10 });
  });
});
