import {
  checkUrl,
  NetGuardRefused,
  type PrivateAddressPolicy,
  type Resolve,
  resolveAll,
} from './address-policy.js';
import { guardedRequest } from './guarded-request.js';

/** Headers worth passing on by default; the rest (cookies, server banners…) are dropped. */
export const DEFAULT_KEPT_HEADERS: readonly string[] = [
  'content-type',
  'content-length',
  'content-language',
  'last-modified',
  'etag',
];

export interface FetchPolicy {
  /** `host`, `host:port`, `*.domain`, `*.domain:port` (see matchAllowedHost). */
  allowedHosts: readonly string[];
  /** Default `refuse`. */
  privateAddresses?: PrivateAddressPolicy;
  /** Bytes of body kept; the download stops there and the result says `truncated`. */
  maxResponseBytes: number;
  /** The whole exchange, redirects included. */
  timeoutMs: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default dns.lookup; tests pass fixed answers. */
  resolve?: Resolve;
  /** Response headers returned; default DEFAULT_KEPT_HEADERS. */
  keepHeaders?: readonly string[];
}

export interface FetchRequest {
  url: string | URL;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface FetchResult {
  /** The URL finally answered (after redirects). */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The body as UTF-8 text, at most maxResponseBytes of it. */
  body: string;
  truncated: boolean;
  bytes: number;
}

/** The exchange did not finish within `timeoutMs`. */
export class NetGuardTimeout extends Error {
  override name = 'NetGuardTimeout';
  readonly host: string;
  constructor(timeoutMs: number, host: string) {
    super(`timed out after ${timeoutMs} ms (${host})`);
    this.host = host;
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ body: string; truncated: boolean; bytes: number }> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return { body: '', truncated: false, bytes: 0 };
  }
  const decoder = new TextDecoder();
  let body = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return { body: body + decoder.decode(), truncated: false, bytes };
    }
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      body += decoder.decode(value.subarray(0, room));
      // Stop the download: the rest would be read only to be thrown away.
      await reader.cancel().catch(() => {});
      return { body, truncated: true, bytes: maxBytes };
    }
    bytes += value.byteLength;
    body += decoder.decode(value, { stream: true });
  }
}

function parseUrl(raw: string | URL): URL {
  try {
    return new URL(raw);
  } catch {
    throw new NetGuardRefused('BAD_URL', `not a valid URL: ${String(raw)}`);
  }
}

type Hop = { method: 'GET' | 'POST'; body: string | undefined };

function nextHop(status: number, hop: Hop): Hop {
  // 307/308 keep the method and body; 301/302/303 become a GET, as browsers do.
  return status === 307 || status === 308 ? hop : { method: 'GET', body: undefined };
}

function keptHeaders(response: Response, names: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = response.headers.get(name);
    if (value !== null) {
      headers[name] = value;
    }
  }
  return headers;
}

/**
 * One fetch under `policy`: every hop (redirects are followed here, not by the transport) is
 * checked against the allowlist and the private-address policy, and the connection itself is
 * pinned to checked addresses (DNS rebinding). Throws NetGuardRefused, NetGuardTimeout, the
 * signal's reason when `signal` aborts, or `Error('fetch failed', {cause})` for network errors.
 *
 * ```ts
 * const page = await guardedFetch({ url: 'https://example.com/' },
 *   { allowedHosts: ['example.com'], maxResponseBytes: 1 << 20, timeoutMs: 10_000 }, signal);
 * ```
 */
export async function guardedFetch(
  request: FetchRequest,
  policy: FetchPolicy,
  signal: AbortSignal = new AbortController().signal,
): Promise<FetchResult> {
  const resolve = policy.resolve ?? resolveAll;
  const maxRedirects = policy.maxRedirects ?? 5;
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  let url = parseUrl(request.url);
  let hop: Hop = { method: request.method ?? 'GET', body: request.body };
  try {
    for (let hops = 0; ; hops += 1) {
      const { publicOnly } = await checkUrl(url, policy.allowedHosts, {
        privateAddresses: policy.privateAddresses,
        resolve,
      });
      const response = await guardedRequest(
        url,
        {
          method: hop.method,
          body: hop.method === 'POST' ? hop.body : undefined,
          headers: request.headers ?? {},
          signal: both,
          publicOnly,
          privateAddresses: policy.privateAddresses,
        },
        resolve,
      );
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel().catch(() => {});
        if (hops >= maxRedirects) {
          throw new NetGuardRefused(
            'TOO_MANY_REDIRECTS',
            `more than ${maxRedirects} redirects`,
            url.host,
          );
        }
        url = new URL(location, url);
        hop = nextHop(response.status, hop);
        continue;
      }
      const read = await readCapped(response, policy.maxResponseBytes);
      const headers = keptHeaders(response, policy.keepHeaders ?? DEFAULT_KEPT_HEADERS);
      return { url: url.href, status: response.status, headers, ...read };
    }
  } catch (err) {
    if (signal.aborted) {
      throw signal.reason;
    }
    if (timeout.aborted) {
      throw new NetGuardTimeout(policy.timeoutMs, url.host);
    }
    throw err;
  }
}
