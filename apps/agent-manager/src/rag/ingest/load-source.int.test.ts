import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLoaderFetch } from './guarded-loader-fetch.js';
import { type LoadSourceDeps, loadSource } from './load-source.js';
import { SourceError } from './source-error.js';

// A loopback server stands in for the web; the guard must refuse it unless told otherwise.
let server: Server;
let origin: string;
const pdfBytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0xfe, 0x00, 0x80]);

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/doc.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end(pdfBytes);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/doc.pdf' });
      res.end();
    } else if (req.url === '/to-localhost') {
      res.writeHead(302, {
        location: `http://localhost:${(server.address() as AddressInfo).port}/doc.pdf`,
      });
      res.end();
    } else if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'.repeat(1024)), 1);
      res.on('close', () => clearInterval(timer));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const deps = (fetch: LoadSourceDeps['fetch']): LoadSourceDeps => ({
  fetch,
  maxBytes: 64 * 1024,
  timeoutMs: 5_000,
});

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe('loadSource with guardedLoaderFetch', () => {
  it('refuses a loopback server by default, by literal address or after DNS', async () => {
    const fetch = guardedLoaderFetch({ resolve: async () => ['127.0.0.1'] });
    const port = new URL(origin).port;
    for (const url of [`${origin}/doc.pdf`, `http://docs.example:${port}/doc.pdf`]) {
      const err = await failure(loadSource(url, deps(fetch)));
      expect(err.code).toBe('SOURCE_NOT_ALLOWED');
      expect(err.cause).toMatchObject({ name: 'NetGuardRefused', reason: 'PRIVATE_ADDRESS' });
    }
  });

  it('loads binary bodies byte for byte and follows redirects when private hosts are allowed', async () => {
    const fetch = guardedLoaderFetch({ privateAddresses: 'allow' });
    const loaded = await loadSource(`${origin}/moved`, deps(fetch));
    expect(Buffer.from(loaded.bytes)).toEqual(pdfBytes);
    expect(loaded).toMatchObject({ contentType: 'application/pdf', name: 'moved' });
  });

  it('re-checks every redirect hop against the allowlist', async () => {
    const fetch = guardedLoaderFetch({
      allowedHosts: [new URL(origin).host],
      privateAddresses: 'exact-entries',
    });
    const ok = await loadSource(`${origin}/moved`, deps(fetch));
    expect(ok.bytes.byteLength).toBe(pdfBytes.byteLength);
    const err = await failure(loadSource(`${origin}/to-localhost`, deps(fetch)));
    expect(err.code).toBe('SOURCE_NOT_ALLOWED');
    expect(err.cause).toMatchObject({ reason: 'HOST_NOT_ALLOWED' });
  });

  it('gives up on redirect loops and stops endless bodies at maxBytes', async () => {
    const fetch = guardedLoaderFetch({ privateAddresses: 'allow', maxRedirects: 3 });
    const loop = await failure(loadSource(`${origin}/loop`, deps(fetch)));
    expect(loop.code).toBe('SOURCE_FETCH_FAILED');
    expect(loop.cause).toMatchObject({ reason: 'TOO_MANY_REDIRECTS' });
    const endless = await failure(loadSource(`${origin}/stream`, deps(fetch)));
    expect(endless.code).toBe('SOURCE_TOO_LARGE');
    const missing = await failure(loadSource(`${origin}/none`, deps(fetch)));
    expect(missing.code).toBe('SOURCE_NOT_FOUND');
  });
});
