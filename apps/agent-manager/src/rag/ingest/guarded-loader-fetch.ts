import {
  checkUrl,
  guardedRequest,
  NetGuardRefused,
  type PrivateAddressPolicy,
  type Resolve,
  resolveAll,
} from '@agentplane/net-guard';
import type { LoaderFetch } from './load-source.js';

export interface GuardedLoaderFetchConfig {
  /** net-guard host patterns (`host`, `host:port`, `*.domain`); unset = any public host. */
  allowedHosts?: readonly string[];
  /** Default `refuse`. Without `allowedHosts`, `exact-entries` means `refuse` (no entry is exact). */
  privateAddresses?: PrivateAddressPolicy;
  /** Default 5. */
  maxRedirects?: number;
  /** Default dns.lookup; tests pass fixed answers. */
  resolve?: Resolve;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function thisHostOnly(url: URL): string[] {
  return [`${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`];
}

function parse(raw: string | URL, base?: URL): URL {
  try {
    return new URL(raw, base);
  } catch {
    throw new NetGuardRefused('BAD_URL', `not a valid URL: ${String(raw)}`);
  }
}

/**
 * A fetch for loadSource that goes through net-guard: every hop (redirects are followed here)
 * is checked against the allowlist and the private-address policy, and the connection is pinned
 * to the checked addresses. net-guard's own guardedFetch is not used because it decodes the body
 * as UTF-8 text, which would corrupt PDFs; this returns the streamed Response instead. Throws
 * NetGuardRefused (loadSource maps it to SOURCE_NOT_ALLOWED) or `Error('fetch failed')`.
 *
 * ```ts
 * await loadSource(url, { fetch: guardedLoaderFetch(), maxBytes, timeoutMs });
 * ```
 */
export function guardedLoaderFetch(config: GuardedLoaderFetchConfig = {}): LoaderFetch {
  const resolve = config.resolve ?? resolveAll;
  const maxRedirects = config.maxRedirects ?? 5;
  const requested = config.privateAddresses ?? 'refuse';
  const privateAddresses =
    config.allowedHosts === undefined && requested === 'exact-entries' ? 'refuse' : requested;

  return async (raw, init = {}) => {
    const signal = init.signal ?? new AbortController().signal;
    let url = parse(raw);
    for (let hops = 0; ; hops += 1) {
      const allowed = config.allowedHosts ?? thisHostOnly(url);
      const { publicOnly } = await checkUrl(url, allowed, { privateAddresses, resolve });
      const response = await guardedRequest(
        url,
        {
          method: 'GET',
          body: undefined,
          headers: { accept: '*/*' },
          signal,
          publicOnly,
          privateAddresses,
        },
        resolve,
      );
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return response;
      }
      await response.body?.cancel().catch(() => {});
      if (hops >= maxRedirects) {
        throw new NetGuardRefused(
          'TOO_MANY_REDIRECTS',
          `more than ${maxRedirects} redirects`,
          url.host,
        );
      }
      url = parse(location, url);
    }
  };
}
