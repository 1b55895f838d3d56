import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Why a URL may not be fetched; the message is what the model sees. */
export class HttpFetchRefused extends Error {
  override name = 'HttpFetchRefused';
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

// Loopback, private, link-local, CGNAT, benchmark, multicast and reserved ranges: what a fetch
// tool must not reach by accident (cloud metadata at 169.254.169.254, the engine's own port…).
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local and other non-public addresses (v4, v6, v4-mapped). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) {
    return NON_PUBLIC.check(mapped[1], 'ipv4');
  }
  const family = isIP(address);
  if (family === 0) {
    return true; // not an address at all: refuse rather than guess
  }
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** How the allowlist admits a URL: `exact` when an entry names the host itself (no wildcard). */
type HostMatch = 'exact' | 'wildcard' | undefined;

/**
 * Matches `url` against `allowed_hosts` entries: `host` (the scheme's default port only),
 * `host:port` (that port only) and `*.domain` / `*.domain:port` (subdomains, not the apex).
 */
export function matchAllowedHost(url: URL, patterns: readonly string[]): HostMatch {
  const host = url.hostname.toLowerCase();
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  let found: HostMatch;
  for (const pattern of patterns) {
    const colon = pattern.lastIndexOf(':');
    const name = colon === -1 ? pattern : pattern.slice(0, colon);
    const wantPort = colon === -1 ? DEFAULT_PORTS[url.protocol] : pattern.slice(colon + 1);
    if (wantPort !== port) {
      continue;
    }
    if (name === host) {
      return 'exact';
    }
    if (name.startsWith('*.') && host.endsWith(name.slice(1))) {
      found = 'wildcard';
    }
  }
  return found;
}

export type Resolve = (host: string) => Promise<string[]>;

export const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Throws HttpFetchRefused unless `url` may be fetched: http(s) only, host on the allowlist, and
 * (unless an entry names the host exactly) every address it resolves to is public. So `*.corp.com`
 * never reaches 10.x, while an explicit `127.0.0.1:8080` or `intranet.local` entry does.
 */
export async function checkUrl(
  url: URL,
  allowedHosts: readonly string[],
  resolve: Resolve = resolveAll,
): Promise<'exact' | 'wildcard'> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpFetchRefused(`only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new HttpFetchRefused('URLs with credentials are not fetched');
  }
  const match = matchAllowedHost(url, allowedHosts);
  if (match === undefined) {
    throw new HttpFetchRefused(
      `host ${url.host} is not in the gateway config's http_fetch.allowed_hosts`,
    );
  }
  if (match === 'exact') {
    return match;
  }
  let addresses: string[];
  try {
    addresses = await resolve(url.hostname);
  } catch (err) {
    throw new HttpFetchRefused(`cannot resolve ${url.hostname}: ${(err as Error).message}`);
  }
  if (addresses.length === 0 || addresses.some(isNonPublicAddress)) {
    throw new HttpFetchRefused(
      `host ${url.hostname} resolves to a private or loopback address; only an exact ` +
        'allowed_hosts entry (no wildcard) may reach one',
    );
  }
  return match;
}
