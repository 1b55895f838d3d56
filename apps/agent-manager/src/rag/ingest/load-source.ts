import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNonPublicAddress, NetGuardRefused, NetGuardTimeout } from '@agentplane/net-guard';
import { SourceError } from './source-error.js';

export interface LoadedSource {
  bytes: Uint8Array;
  /** As the server or data URL declared it; files leave detection to the extension. */
  contentType?: string;
  /** File or last URL path segment: extractText falls back on its extension. */
  name: string;
}

export type LoaderFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface LoadSourceDeps {
  /** `file://` sources must resolve (symlinks included) inside it; unset = no file sources. */
  fileRoot?: string;
  /** For http(s): pass guardedLoaderFetch(...) so private hosts stay unreachable. */
  fetch: LoaderFetch;
  maxBytes: number;
  /** http(s) only: the whole exchange, body included. */
  timeoutMs: number;
  /** Cancels an http(s) load; the signal's reason is thrown as is (it is not a source failure). */
  signal?: AbortSignal;
}

const SCHEMES = new Set(['file:', 'http:', 'https:', 'data:']);

function notAllowed(message: string, cause?: unknown): SourceError {
  return new SourceError('SOURCE_NOT_ALLOWED', message, { cause });
}

function parseSource(source: string): URL {
  try {
    return new URL(source);
  } catch (err) {
    throw notAllowed(`not a valid source URL: ${source.slice(0, 200)}`, err);
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function filePathOf(url: URL, fileRoot: string | undefined): { root: string; file: string } {
  if (fileRoot === undefined || fileRoot === '') {
    throw notAllowed('file sources are disabled (no file root configured)');
  }
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch (err) {
    // Remote hosts (file://server/x) and encoded slashes land here.
    throw notAllowed(`not a local file URL: ${url.href}`, err);
  }
  const root = path.resolve(fileRoot);
  if (!isInside(root, path.resolve(file))) {
    throw notAllowed(`${file} is outside the file root`);
  }
  return { root, file: path.resolve(file) };
}

function checkScheme(url: URL): void {
  if (!SCHEMES.has(url.protocol)) {
    throw notAllowed(`scheme ${url.protocol} is not allowed (file, http, https, data)`);
  }
}

/**
 * Synchronous pre-check (no I/O) so the API can refuse a batch before queueing it: allowed
 * scheme, file path lexically inside `fileRoot`, http(s) host not `localhost` nor a literal
 * private or loopback address. Names that resolve to private addresses are caught at fetch time
 * by net-guard. `allowPrivate` (AM_HTTP_ALLOW_PRIVATE) skips the host check. Throws SourceError
 * `SOURCE_NOT_ALLOWED`.
 */
export function checkSourceAllowed(
  source: string,
  fileRoot: string | undefined,
  opts: { allowPrivate?: boolean } = {},
): void {
  const url = parseSource(source);
  checkScheme(url);
  if (url.protocol === 'file:') {
    filePathOf(url, fileRoot);
    return;
  }
  if (url.protocol === 'data:') {
    if (!source.includes(',')) {
      throw notAllowed('malformed data URL (no comma)');
    }
    return;
  }
  if (url.username !== '' || url.password !== '') {
    throw notAllowed('URLs with credentials are not fetched');
  }
  if (opts.allowPrivate) {
    return;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const literalPrivate = isIP(host) !== 0 && isNonPublicAddress(host);
  if (host === 'localhost' || host.endsWith('.localhost') || literalPrivate) {
    throw notAllowed(`host ${url.hostname} is private or loopback`);
  }
}

/** Leaving the for-await early cancels a web stream and destroys a node one: the transfer stops. */
async function readCapped(
  stream: AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  label: string,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of stream ?? []) {
    total += part.byteLength;
    if (total > maxBytes) {
      throw new SourceError('SOURCE_TOO_LARGE', `${label} is larger than ${maxBytes} bytes`);
    }
    parts.push(part);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

async function loadFile(url: URL, deps: LoadSourceDeps): Promise<LoadedSource> {
  const { root, file } = filePathOf(url, deps.fileRoot);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (err) {
    throw notAllowed('the file root does not exist', err);
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch (err) {
    throw new SourceError('SOURCE_NOT_FOUND', `${file} does not exist`, { cause: err });
  }
  if (!isInside(realRoot, real)) {
    throw notAllowed(`${file} resolves outside the file root`);
  }
  // O_NOFOLLOW: a last component swapped for a symlink after realpath must not be followed.
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch((err) => {
    throw new SourceError('SOURCE_NOT_FOUND', `cannot open ${file}`, { cause: err });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new SourceError('SOURCE_NOT_FOUND', `${file} is not a regular file`);
    }
    if (stat.size > deps.maxBytes) {
      throw new SourceError('SOURCE_TOO_LARGE', `${file} is larger than ${deps.maxBytes} bytes`);
    }
    // `end` is inclusive: one byte past the cap tells a file that grew since stat.
    const stream = handle.createReadStream({ start: 0, end: deps.maxBytes, autoClose: false });
    const bytes = await readCapped(stream, deps.maxBytes, file);
    return { bytes, name: path.basename(file) };
  } finally {
    await handle.close();
  }
}

function percentDecode(text: string): Buffer {
  const raw = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i] as number;
    const hex = byte === 0x25 ? raw.toString('latin1', i + 1, i + 3) : '';
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      out[n++] = Number.parseInt(hex, 16);
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}

function loadDataUrl(source: string, maxBytes: number): LoadedSource {
  const comma = source.indexOf(',');
  const meta = source.slice(5, comma).trim();
  const payload = source.slice(comma + 1);
  const base64 = /;\s*base64$/i.test(meta);
  const mediaType = (base64 ? meta.replace(/;\s*base64$/i, '') : meta).trim();
  // Refuse before decoding: decoded size is at most 3/4 of base64, at most 1:1 percent-encoded.
  const bound = base64 ? Math.floor((payload.length * 3) / 4) - 2 : 0;
  if (bound > maxBytes) {
    throw new SourceError('SOURCE_TOO_LARGE', `data URL is larger than ${maxBytes} bytes`);
  }
  const decoded = percentDecode(payload);
  const bytes = base64 ? Buffer.from(decoded.toString('latin1'), 'base64') : decoded;
  if (bytes.byteLength > maxBytes) {
    throw new SourceError('SOURCE_TOO_LARGE', `data URL is larger than ${maxBytes} bytes`);
  }
  return {
    bytes: new Uint8Array(bytes),
    contentType: mediaType === '' ? 'text/plain;charset=US-ASCII' : mediaType,
    name: 'data-url',
  };
}

function urlName(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  if (last === undefined) {
    return url.hostname;
  }
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function fetchFailure(err: unknown, url: URL, timeoutMs: number, timedOut: boolean) {
  if (err instanceof SourceError) {
    return err;
  }
  if (err instanceof NetGuardRefused) {
    // A host that does not resolve or loops may work later; the rest is policy.
    return err.reason === 'UNRESOLVABLE' || err.reason === 'TOO_MANY_REDIRECTS'
      ? new SourceError('SOURCE_FETCH_FAILED', err.message, { cause: err })
      : notAllowed(`${url.host} refused: ${err.message}`, err);
  }
  if (timedOut || err instanceof NetGuardTimeout) {
    const message = `${url.host} timed out after ${timeoutMs} ms`;
    return new SourceError('SOURCE_FETCH_FAILED', message, { cause: err });
  }
  const detail = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
  return new SourceError('SOURCE_FETCH_FAILED', `fetching ${url.host} failed: ${detail}`, {
    cause: err,
  });
}

async function loadHttp(url: URL, deps: LoadSourceDeps): Promise<LoadedSource> {
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  try {
    const response = await deps.fetch(url.href, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const gone = response.status === 404 || response.status === 410;
      throw new SourceError(
        gone ? 'SOURCE_NOT_FOUND' : 'SOURCE_FETCH_FAILED',
        `${url.host} answered HTTP ${response.status}`,
      );
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > deps.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new SourceError(
        'SOURCE_TOO_LARGE',
        `${url.href} is larger than ${deps.maxBytes} bytes`,
      );
    }
    const bytes = await readCapped(response.body, deps.maxBytes, url.href);
    const contentType = response.headers.get('content-type') ?? undefined;
    return { bytes, name: urlName(url), ...(contentType ? { contentType } : {}) };
  } catch (err) {
    if (deps.signal?.aborted) {
      throw deps.signal.reason;
    }
    throw fetchFailure(err, url, deps.timeoutMs, timeout.aborted);
  }
}

/**
 * Reads a source into memory, never more than `maxBytes`: `file://` inside `fileRoot`,
 * `http(s)://` through `deps.fetch` (which decides what hosts are reachable), `data:` (base64 or
 * percent-encoded). Every failure is a SourceError with its cause.
 *
 * ```ts
 * const src = await loadSource('https://example.com/a.pdf',
 *   { fetch: guardedLoaderFetch(), maxBytes: 20 << 20, timeoutMs: 30_000 });
 * ```
 */
export async function loadSource(source: string, deps: LoadSourceDeps): Promise<LoadedSource> {
  const url = parseSource(source);
  checkScheme(url);
  if (url.protocol === 'file:') {
    return loadFile(url, deps);
  }
  if (url.protocol === 'data:') {
    if (!source.includes(',')) {
      throw notAllowed('malformed data URL (no comma)');
    }
    return loadDataUrl(source, deps.maxBytes);
  }
  // Which hosts are reachable is the fetch's policy (guardedLoaderFetch), not repeated here: an
  // operator may allow an intranet host that checkSourceAllowed's literal check would refuse.
  return loadHttp(url, deps);
}
