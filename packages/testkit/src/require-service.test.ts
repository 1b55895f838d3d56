import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  isCi,
  requireService,
  ServiceUnavailableError,
  serviceAvailable,
  serviceUnavailable,
  skipMessage,
} from './require-service.js';

function fakeContext() {
  const skip = vi.fn((note?: string): never => {
    throw new Error(`skip called: ${note}`);
  });
  return { skip };
}

describe('requireService', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns the value of an available service', () => {
    const ctx = fakeContext();
    expect(requireService(serviceAvailable(42), ctx, { CI: 'true' })).toBe(42);
    expect(ctx.skip).not.toHaveBeenCalled();
  });

  it('throws under CI=true, naming the variable and the reason', () => {
    const ctx = fakeContext();
    const probe = serviceUnavailable('docker', 'DOCKER_HOST not set');
    expect(() => requireService(probe, ctx, { CI: 'true' })).toThrow(ServiceUnavailableError);
    expect(() => requireService(probe, ctx, { CI: 'true' })).toThrow(
      /DOCKER_HOST \(docker\) is required under CI=true: DOCKER_HOST not set/,
    );
    expect(ctx.skip).not.toHaveBeenCalled();
  });

  it('skips outside CI and prints the reason once', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const ctx = fakeContext();
    const probe = serviceUnavailable(
      'redis',
      'REDIS_URL unreachable (redis://127.0.0.1:1): ECONNREFUSED',
    );
    const message = skipMessage(
      'redis',
      'REDIS_URL unreachable (redis://127.0.0.1:1): ECONNREFUSED',
    );
    expect(() => requireService(probe, ctx, {})).toThrow('skip called');
    expect(() => requireService(probe, ctx, { CI: 'false' })).toThrow('skip called');
    expect(ctx.skip).toHaveBeenCalledWith(message);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledWith(`[testkit] ${message}\n`);
    expect(message).toBe(
      'skipped: REDIS_URL unreachable (redis://127.0.0.1:1): ECONNREFUSED — set REDIS_URL=redis://127.0.0.1:6379 to run',
    );
  });

  it('treats only CI=true as CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
