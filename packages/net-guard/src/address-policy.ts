import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Why a refusal happened: stable, for callers that map it to their own error codes. */
export type RefusalReason =
  | 'BAD_URL'
  | 'SCHEME'
  | 'CREDENTIALS'
  | 'HOST_NOT_ALLOWED'
  | 'PRIVATE_ADDRESS'
  | 'UNRESOLVABLE'
  | 'TOO_MANY_REDIRECTS';

/** A URL that may not be fetched; the message is safe to show a model or a user. */
export class NetGuardRefused extends Error {
  override name = 'NetGuardRefused';
  readonly reason: RefusalReason;
  /** `host:port` of the URL refused (for HOST_NOT_ALLOWED: the one missing from the allowlist). */
  readonly host: string;

  constructor(reason: RefusalReason, message: string, host = '') {
    super(message);
    this.reason = reason;
    this.host = host;
  }
}

/**
 * Which resolved addresses a fetch may reach:
 * - `refuse`: public addresses only, whatever the allowlist says;
 * - `exact-entries`: private ones only for hosts an allowlist entry names exactly (no wildcard),
 *   so `*.corp.com` never reaches 10.x while an explicit `127.0.0.1:8080` entry does;
 * - `allow`: any address (tests, services on loopback).
 */
export type PrivateAddressPolicy = 'refuse' | 'exact-entries' | 'allow';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

// Loopback, private, link-local, CGNAT, benchmark, multicast and reserved ranges: what a fetch
// tool must not reach by accident (cloud metadata at 169.254.169.254, the service's own port…).
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
export type HostMatch = 'exact' | 'wildcard';

/**
 * Matches `url` against allowlist entries: `host` (the scheme's default port only),
 * `host:port` (that port only) and `*.domain` / `*.domain:port` (subdomains, not the apex).
 */
export function matchAllowedHost(url: URL, patterns: readonly string[]): HostMatch | undefined {
  const host = url.hostname.toLowerCase();
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  let found: HostMatch | undefined;
  for (const pattern of patterns) {
    const colon = pattern.lastIndexOf(':');
    const name = (colon === -1 ? pattern : pattern.slice(0, colon)).toLowerCase();
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

/** Host → its addresses; used for the check and for the connection's own lookup. */
export type Resolve = (host: string) => Promise<string[]>;

export const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function privateAddressRefusal(hostname: string, policy: PrivateAddressPolicy) {
  const hint =
    policy === 'exact-entries'
      ? '; only an exact allowed_hosts entry (no wildcard) may reach one'
      : '';
  return new NetGuardRefused(
    'PRIVATE_ADDRESS',
    `host ${hostname} resolves to a private or loopback address${hint}`,
    hostname,
  );
}

export interface CheckUrlOptions {
  /** Default `refuse`. */
  privateAddresses?: PrivateAddressPolicy;
  /** Default dns.lookup (all addresses). */
  resolve?: Resolve;
}

/**
 * Throws NetGuardRefused unless `url` may be fetched: http(s) only, no credentials, host on the
 * allowlist and, unless the policy admits private addresses for it, every address it resolves
 * to is public. Resolves to whether the connection must still be pinned to public addresses
 * (the caller's connection has to re-check them: see guardedRequest).
 */
export async function checkUrl(
  url: URL,
  allowedHosts: readonly string[],
  options: CheckUrlOptions = {},
): Promise<{ match: HostMatch; publicOnly: boolean }> {
  const policy = options.privateAddresses ?? 'refuse';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NetGuardRefused(
      'SCHEME',
      `only http and https URLs can be fetched, not ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new NetGuardRefused('CREDENTIALS', 'URLs with credentials are not fetched', url.host);
  }
  const match = matchAllowedHost(url, allowedHosts);
  if (match === undefined) {
    throw new NetGuardRefused(
      'HOST_NOT_ALLOWED',
      `host ${url.host} is not in the allowed hosts`,
      url.host,
    );
  }
  const publicOnly = policy === 'refuse' || (policy === 'exact-entries' && match !== 'exact');
  if (!publicOnly) {
    return { match, publicOnly };
  }
  // An IPv6 literal's hostname keeps its brackets ([::1]); the resolver wants the bare address.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveAll)(hostname);
  } catch (err) {
    throw new NetGuardRefused(
      'UNRESOLVABLE',
      `cannot resolve ${url.hostname}: ${(err as Error).message}`,
      url.host,
    );
  }
  if (addresses.length === 0 || addresses.some(isNonPublicAddress)) {
    throw privateAddressRefusal(url.hostname, policy);
  }
  return { match, publicOnly };
}
