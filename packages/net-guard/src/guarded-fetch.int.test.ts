import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetGuardRefused } from './address-policy.js';
import { type FetchPolicy, guardedFetch, NetGuardTimeout } from './guarded-fetch.js';

let server: Server;
let other: Server;
let host: string;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const s = createServer(handler);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return s;
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  other = await listen((_req, res) => res.end('other host'));
  server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/echo') {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        res.setHeader('set-cookie', 'secret=1');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, body }));
      });
    } else if (url.pathname === '/big') {
      res.end('x'.repeat(200_000));
    } else if (url.pathname === '/hang') {
      // Never answers: the timeout must end it.
    } else if (url.pathname === '/redirect-307') {
      res.writeHead(307, { location: '/echo' }).end();
    } else if (url.pathname === '/redirect-302') {
      res.writeHead(302, { location: '/echo' }).end();
    } else if (url.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (url.pathname === '/redirect-away') {
      res.writeHead(302, { location: `http://localhost:${portOf(other)}/` }).end();
    } else {
      res.writeHead(404).end('nope');
    }
  });
  host = `127.0.0.1:${portOf(server)}`;
});

afterAll(() => {
  for (const s of [server, other]) {
    s.closeAllConnections();
    s.close();
  }
});

const policy = (extra: Partial<FetchPolicy> = {}): FetchPolicy => ({
  allowedHosts: [host],
  privateAddresses: 'allow',
  maxResponseBytes: 1 << 20,
  timeoutMs: 5_000,
  ...extra,
});

describe('guardedFetch on loopback', () => {
  it('POSTs, keeps only the chosen headers', async () => {
    const result = await guardedFetch(
      { url: `http://${host}/echo`, method: 'POST', body: 'hi' },
      policy(),
    );
    expect(result).toMatchObject({ status: 200, truncated: false, url: `http://${host}/echo` });
    expect(JSON.parse(result.body)).toEqual({ method: 'POST', body: 'hi' });
    expect(result.headers).toEqual({
      'content-type': 'application/json',
      'content-length': expect.any(String),
    });
  });

  it('follows redirects: 307 keeps the method and body, 302 becomes GET, too many are refused', async () => {
    const kept = await guardedFetch(
      { url: `http://${host}/redirect-307`, method: 'POST', body: 'b' },
      policy(),
    );
    expect(JSON.parse(kept.body)).toEqual({ method: 'POST', body: 'b' });
    const get = await guardedFetch(
      { url: `http://${host}/redirect-302`, method: 'POST', body: 'b' },
      policy(),
    );
    expect(JSON.parse(get.body)).toEqual({ method: 'GET', body: '' });
    await expect(
      guardedFetch({ url: `http://${host}/loop` }, policy({ maxRedirects: 2 })),
    ).rejects.toMatchObject({
      reason: 'TOO_MANY_REDIRECTS',
    });
  });

  it('checks every redirect hop against the allowlist', async () => {
    const refused = guardedFetch({ url: `http://${host}/redirect-away` }, policy());
    await expect(refused).rejects.toBeInstanceOf(NetGuardRefused);
    await expect(refused).rejects.toMatchObject({
      reason: 'HOST_NOT_ALLOWED',
      host: `localhost:${portOf(other)}`,
    });
    const allowed = policy({ allowedHosts: [host, `localhost:${portOf(other)}`] });
    await expect(
      guardedFetch({ url: `http://${host}/redirect-away` }, allowed),
    ).resolves.toMatchObject({
      body: 'other host',
    });
  });

  it('truncates at maxResponseBytes and times out after timeoutMs', async () => {
    const big = await guardedFetch(
      { url: `http://${host}/big` },
      policy({ maxResponseBytes: 1000 }),
    );
    expect(big).toMatchObject({ truncated: true, bytes: 1000, body: 'x'.repeat(1000) });
    const hang = guardedFetch({ url: `http://${host}/hang` }, policy({ timeoutMs: 200 }));
    await expect(hang).rejects.toBeInstanceOf(NetGuardTimeout);
    await expect(hang).rejects.toThrow(`timed out after 200 ms (${host})`);
  });

  it('an abort of the caller signal is not reported as a timeout', async () => {
    const controller = new AbortController();
    const pending = guardedFetch({ url: `http://${host}/hang` }, policy(), controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });

  it('refuses loopback unless the policy allows private addresses', async () => {
    await expect(
      guardedFetch({ url: `http://${host}/echo` }, policy({ privateAddresses: 'refuse' })),
    ).rejects.toMatchObject({ reason: 'PRIVATE_ADDRESS' });
    await expect(guardedFetch({ url: `http://${host}/nope` }, policy())).resolves.toMatchObject({
      status: 404,
      body: 'nope',
    });
  });

  it('connects only to the addresses it checked: a name rebound to loopback is refused', async () => {
    // Public to the allowlist check, loopback (where the server listens) to the connection.
    let lookups = 0;
    const rebinding = async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']);
    const port = portOf(server);
    await expect(
      guardedFetch(
        { url: `http://a.rebind.test:${port}/echo` },
        policy({
          allowedHosts: [`*.rebind.test:${port}`],
          privateAddresses: 'refuse',
          resolve: rebinding,
        }),
      ),
    ).rejects.toMatchObject({ reason: 'PRIVATE_ADDRESS' });
    expect(lookups).toBe(2);
  });
});
