import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import {
  isNonPublicAddress,
  NetGuardRefused,
  type PrivateAddressPolicy,
  privateAddressRefusal,
  type Resolve,
} from './address-policy.js';

export interface GuardedRequest {
  method: string;
  body: string | undefined;
  headers: Record<string, string>;
  signal: AbortSignal;
  /**
   * Refuse a connection to a loopback, private or otherwise non-public address. Checked in the
   * DNS lookup of the connection itself: a name checked once and resolved again to connect could
   * answer a public address first and 127.0.0.1 the second time (DNS rebinding).
   */
  publicOnly: boolean;
  /** Only for the refusal's wording; default `refuse`. */
  privateAddresses?: PrivateAddressPolicy;
}

// Statuses whose response never has a body (a Response refuses one for them).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The connection's lookup: `resolve`, then every address must be public. */
function publicOnlyLookup(resolve: Resolve, policy: PrivateAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const all = (options as { all?: boolean }).all === true;
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || addresses.some(isNonPublicAddress)) {
          callback(privateAddressRefusal(hostname, policy), '');
          return;
        }
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (all) {
          (callback as unknown as (err: null, a: typeof entries) => void)(null, entries);
        } else {
          const first = entries[0] as { address: string; family: number };
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/**
 * One HTTP(S) exchange over node:http, answered as a fetch Response (body streamed, redirects
 * not followed). Used instead of global fetch because fetch cannot be given the connection's DNS
 * lookup, which is where `publicOnly` has to be enforced.
 */
export function guardedRequest(url: URL, req: GuardedRequest, resolve: Resolve): Promise<Response> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    const outgoing = transport.request(
      url,
      {
        method: req.method,
        headers:
          req.body === undefined
            ? req.headers
            : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        signal: req.signal,
        agent: false,
        ...(req.publicOnly
          ? { lookup: publicOnlyLookup(resolve, req.privateAddresses ?? 'refuse') }
          : {}),
      },
      (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
            headers.append(name, v);
          }
        }
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) {
          res.destroy();
          reject(new Error(`fetch failed: the server answered status ${status}`));
          return;
        }
        const body = NULL_BODY.has(status)
          ? null
          : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        if (body === null) {
          res.resume();
        }
        resolvePromise(new Response(body, { status, headers }));
      },
    );
    outgoing.on('error', (err) => {
      // A refusal raised inside the lookup arrives here as the connection's error.
      reject(err instanceof NetGuardRefused ? err : new Error('fetch failed', { cause: err }));
    });
    outgoing.end(req.body);
  });
}
