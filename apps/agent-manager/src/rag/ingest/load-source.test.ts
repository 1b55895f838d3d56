import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NetGuardRefused } from '@agentplane/net-guard';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSourceAllowed,
  type LoaderFetch,
  type LoadSourceDeps,
  loadSource,
} from './load-source.js';
import { SourceError } from './source-error.js';

const noFetch: LoaderFetch = () => Promise.reject(new Error('no network in this test'));

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe('loadSource: file://', () => {
  let tmp: TmpDir;
  let root: string;
  let deps: LoadSourceDeps;
  const url = (path: string) => pathToFileURL(path).href;

  beforeAll(async () => {
    tmp = await createTmpDir();
    root = join(tmp.path, 'root');
    await mkdir(join(root, 'docs'), { recursive: true });
    await writeFile(join(root, 'docs', 'a.md'), '# Hello');
    await writeFile(join(tmp.path, 'secret.txt'), 'outside');
    await writeFile(join(root, 'big.txt'), 'x'.repeat(2000));
    await symlink(join(tmp.path, 'secret.txt'), join(root, 'escape.txt'));
    await symlink(join(root, 'docs', 'a.md'), join(root, 'inner-link.md'));
    deps = { fileRoot: root, fetch: noFetch, maxBytes: 1000, timeoutMs: 1000 };
  });
  afterAll(() => tmp.remove());

  it('reads a file under the root, following symlinks that stay inside', async () => {
    const loaded = await loadSource(url(join(root, 'docs', 'a.md')), deps);
    expect(Buffer.from(loaded.bytes).toString()).toBe('# Hello');
    expect(loaded.name).toBe('a.md');
    expect(loaded.contentType).toBeUndefined();
    expect((await loadSource(url(join(root, 'inner-link.md')), deps)).name).toBe('inner-link.md');
  });

  it('refuses paths outside the root, by .. or by symlink, and a missing root', async () => {
    const dotdot = `file://${root}/docs/../../secret.txt`;
    expect((await failure(loadSource(dotdot, deps))).code).toBe('SOURCE_NOT_ALLOWED');
    const escapee = url(join(root, 'escape.txt'));
    expect((await failure(loadSource(escapee, deps))).code).toBe('SOURCE_NOT_ALLOWED');
    const noRoot = { ...deps, fileRoot: undefined };
    const inside = url(join(root, 'docs', 'a.md'));
    expect((await failure(loadSource(inside, noRoot))).code).toBe('SOURCE_NOT_ALLOWED');
    const gone = { ...deps, fileRoot: join(tmp.path, 'nope') };
    const underGone = url(join(tmp.path, 'nope', 'a.md'));
    expect((await failure(loadSource(underGone, gone))).code).toBe('SOURCE_NOT_ALLOWED');
    const remote = 'file://fileserver/share/a.md';
    expect((await failure(loadSource(remote, deps))).code).toBe('SOURCE_NOT_ALLOWED');
  });

  it('reports a missing file or a directory as not found, with the cause', async () => {
    const missing = await failure(loadSource(url(join(root, 'missing.txt')), deps));
    expect(missing.code).toBe('SOURCE_NOT_FOUND');
    expect(missing.cause).toMatchObject({ code: 'ENOENT' });
    expect((await failure(loadSource(url(join(root, 'docs')), deps))).code).toBe(
      'SOURCE_NOT_FOUND',
    );
  });

  it('refuses a file over maxBytes', async () => {
    const big = await failure(loadSource(url(join(root, 'big.txt')), deps));
    expect(big.code).toBe('SOURCE_TOO_LARGE');
    expect(big.retryable).toBe(false);
  });
});

describe('loadSource: data:', () => {
  const deps: LoadSourceDeps = { fetch: noFetch, maxBytes: 100, timeoutMs: 1000 };

  it('decodes base64 and percent-encoded payloads with their media type', async () => {
    const b64 = await loadSource(
      `data:text/markdown;base64,${Buffer.from('# Hé').toString('base64')}`,
      deps,
    );
    expect(Buffer.from(b64.bytes).toString()).toBe('# Hé');
    expect(b64.contentType).toBe('text/markdown');
    const pct = await loadSource('data:,Hello%2C%20W%C3%B6rld%FF', deps);
    expect([...pct.bytes.slice(-2)]).toEqual([0x64, 0xff]); // raw bytes, not UTF-8 text
    expect(pct.contentType).toBe('text/plain;charset=US-ASCII');
  });

  it('refuses payloads over maxBytes, before decoding large base64', async () => {
    const big = `data:text/plain;base64,${Buffer.alloc(200).toString('base64')}`;
    expect((await failure(loadSource(big, deps))).code).toBe('SOURCE_TOO_LARGE');
    const pct = `data:,${'%41'.repeat(101)}`;
    expect((await failure(loadSource(pct, deps))).code).toBe('SOURCE_TOO_LARGE');
  });
});

function streamOf(parts: number, size: number, onCancel: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === parts) {
        controller.close();
        return;
      }
      sent += 1;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
    cancel: onCancel,
  });
}

describe('loadSource: http(s) through the given fetch', () => {
  const base: LoadSourceDeps = { fetch: noFetch, maxBytes: 1000, timeoutMs: 200 };

  it('returns the body, the content type and a name from the path', async () => {
    let seen: RequestInit | undefined;
    const fetch: LoaderFetch = async (_url, init) => {
      seen = init;
      return new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } });
    };
    const loaded = await loadSource('https://example.com/docs/Guide%20One.html?x=1', {
      ...base,
      fetch,
    });
    expect(loaded).toMatchObject({ contentType: 'text/html', name: 'Guide One.html' });
    expect(Buffer.from(loaded.bytes).toString()).toBe('<p>hi</p>');
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it('maps statuses: 404 not found, 5xx fetch failed (retryable)', async () => {
    const status =
      (code: number): LoaderFetch =>
      async () =>
        new Response('no', { status: code });
    const gone = await failure(
      loadSource('https://example.com/a', { ...base, fetch: status(404) }),
    );
    expect(gone.code).toBe('SOURCE_NOT_FOUND');
    const down = await failure(
      loadSource('https://example.com/a', { ...base, fetch: status(503) }),
    );
    expect(down).toMatchObject({ code: 'SOURCE_FETCH_FAILED', retryable: true });
  });

  it('stops reading a body that grows past maxBytes', async () => {
    let cancelled = false;
    let pulled = 0;
    const fetch: LoaderFetch = async () =>
      new Response(
        streamOf(1_000_000, 100, () => {
          cancelled = true;
        }).pipeThrough(
          new TransformStream({
            transform(chunk, controller) {
              pulled += 1;
              controller.enqueue(chunk);
            },
          }),
        ),
      );
    const err = await failure(loadSource('https://example.com/huge', { ...base, fetch }));
    expect(err.code).toBe('SOURCE_TOO_LARGE');
    expect(pulled).toBeLessThan(20);
    await expect.poll(() => cancelled).toBe(true);
  });

  it('refuses a declared content-length over maxBytes without reading', async () => {
    const fetch: LoaderFetch = async () =>
      new Response('small', { headers: { 'content-length': '5000' } });
    expect((await failure(loadSource('https://example.com/a', { ...base, fetch }))).code).toBe(
      'SOURCE_TOO_LARGE',
    );
  });

  it('times out a slow server, and maps net-guard refusals to not allowed', async () => {
    const hang: LoaderFetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const slow = await failure(loadSource('https://example.com/slow', { ...base, fetch: hang }));
    expect(slow.code).toBe('SOURCE_FETCH_FAILED');
    expect(slow.message).toMatch(/timed out after 200 ms/);

    const refused = new NetGuardRefused('PRIVATE_ADDRESS', 'resolves to 10.0.0.1', 'intra.test');
    const guard: LoaderFetch = () => Promise.reject(refused);
    const err = await failure(loadSource('https://intra.test/', { ...base, fetch: guard }));
    expect(err).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', cause: refused });
  });

  it("throws the caller's abort reason as is", async () => {
    const controller = new AbortController();
    const hang: LoaderFetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const pending = loadSource('https://example.com/', {
      ...base,
      fetch: hang,
      signal: controller.signal,
    });
    const reason = new Error('job cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('checkSourceAllowed', () => {
  const root = '/srv/docs';
  const refused = (source: string, fileRoot: string | undefined = root) => {
    try {
      checkSourceAllowed(source, fileRoot);
      return undefined;
    } catch (err) {
      return (err as SourceError).code;
    }
  };

  it('admits public http(s), data and files inside the root', () => {
    expect(refused('https://example.com/a.pdf')).toBeUndefined();
    expect(refused('http://93.184.216.34/')).toBeUndefined();
    expect(refused('data:,hello')).toBeUndefined();
    expect(refused('file:///srv/docs/a/b.md')).toBeUndefined();
  });

  it('refuses other schemes, files outside the root and literal private hosts', () => {
    for (const source of [
      'ftp://example.com/a',
      'javascript:alert(1)',
      'not a url',
      'file:///srv/docs/../secret',
      'file:///srv/docs-other/a',
      'file:///etc/passwd',
      'http://localhost:8080/',
      'http://api.localhost/',
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://10.1.2.3/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[::ffff:192.168.0.1]/',
      'https://user:pw@example.com/',
    ]) {
      expect(refused(source), source).toBe('SOURCE_NOT_ALLOWED');
    }
    expect(() => checkSourceAllowed('file:///srv/docs/a.md', undefined)).toThrow(SourceError);
  });
});
