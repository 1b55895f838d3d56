import { describe, expect, it } from 'vitest';
import {
  checkUrl,
  isNonPublicAddress,
  matchAllowedHost,
  NetGuardRefused,
} from './address-policy.js';

const resolveTo = (addresses: string[]) => async () => addresses;
const mustNotResolve = async (): Promise<string[]> => {
  throw new Error('must not resolve');
};

describe('isNonPublicAddress', () => {
  it('tells public from loopback, private, link-local, v6 and v4-mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '::1',
      '::ffff:10.0.0.1',
      'fd00::1',
      '0.0.0.0',
      'nonsense',
    ]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
  });
});

describe('matchAllowedHost', () => {
  it('matches host (default port), host:port and *.domain (not the apex)', () => {
    expect(matchAllowedHost(new URL('https://example.com/'), ['example.com'])).toBe('exact');
    expect(matchAllowedHost(new URL('https://example.com:8443/'), ['example.com'])).toBeUndefined();
    expect(matchAllowedHost(new URL('http://127.0.0.1:8080/'), ['127.0.0.1:8080'])).toBe('exact');
    expect(matchAllowedHost(new URL('https://a.example.com/'), ['*.example.com'])).toBe('wildcard');
    expect(matchAllowedHost(new URL('https://example.com/'), ['*.example.com'])).toBeUndefined();
    expect(matchAllowedHost(new URL('https://EXAMPLE.com/'), ['Example.COM'])).toBe('exact');
  });
});

describe('checkUrl', () => {
  it('exact-entries: private addresses only through an exact allowlist entry', async () => {
    const wild = ['*.example.com'];
    const policy = { privateAddresses: 'exact-entries' as const };
    await expect(
      checkUrl(new URL('https://a.example.com/'), wild, {
        ...policy,
        resolve: resolveTo(['93.184.216.34']),
      }),
    ).resolves.toEqual({ match: 'wildcard', publicOnly: true });
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', '::ffff:10.0.0.1']) {
      await expect(
        checkUrl(new URL('https://a.example.com/'), wild, {
          ...policy,
          resolve: resolveTo([address]),
        }),
      ).rejects.toThrow(/private or loopback/);
    }
    await expect(checkUrl(new URL('https://example.com/'), wild, policy)).rejects.toThrow(/not in/);
    // An exact entry needs no resolution at all.
    await expect(
      checkUrl(new URL('https://intranet.example.com/'), ['intranet.example.com'], {
        ...policy,
        resolve: mustNotResolve,
      }),
    ).resolves.toEqual({ match: 'exact', publicOnly: false });
  });

  it('refuse (the default): even an exact entry may not reach a private address', async () => {
    const refused = checkUrl(new URL('http://127.0.0.1:8080/'), ['127.0.0.1:8080']);
    await expect(refused).rejects.toBeInstanceOf(NetGuardRefused);
    await expect(refused).rejects.toMatchObject({ reason: 'PRIVATE_ADDRESS' });
    await expect(checkUrl(new URL('http://[::1]:8080/'), ['[::1]:8080'])).rejects.toMatchObject({
      reason: 'PRIVATE_ADDRESS',
    });
  });

  it('allow: any address, no resolution', async () => {
    await expect(
      checkUrl(new URL('http://db.internal/'), ['db.internal'], {
        privateAddresses: 'allow',
        resolve: mustNotResolve,
      }),
    ).resolves.toEqual({ match: 'exact', publicOnly: false });
  });

  it('refuses other schemes, credentials and unlisted hosts with a stable reason', async () => {
    await expect(checkUrl(new URL('file:///etc/passwd'), ['*'])).rejects.toMatchObject({
      reason: 'SCHEME',
    });
    await expect(
      checkUrl(new URL('https://u:p@example.com/'), ['example.com']),
    ).rejects.toMatchObject({
      reason: 'CREDENTIALS',
    });
    await expect(checkUrl(new URL('https://evil.com/'), ['example.com'])).rejects.toMatchObject({
      reason: 'HOST_NOT_ALLOWED',
      host: 'evil.com',
    });
    await expect(
      checkUrl(new URL('https://a.example.com/'), ['*.example.com'], {
        resolve: async () => {
          throw new Error('ENOTFOUND');
        },
      }),
    ).rejects.toMatchObject({ reason: 'UNRESOLVABLE' });
  });
});
