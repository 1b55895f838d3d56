import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BoolEnv, baseServiceConfig, ConfigError, parseConfig } from './config.js';

const Schema = z.object({
  ...baseServiceConfig({ defaultPort: 8080 }),
  DATABASE_URL: z.string().url(),
  ENGINE_KEY: z.string().min(32),
});

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the defaults of the base service config', () => {
    const config = parseConfig(Schema, {
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      ENGINE_KEY: 'k'.repeat(32),
    });
    expect(config).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      BODY_LIMIT_BYTES: 1024 * 1024,
      SHUTDOWN_GRACE_MS: 10_000,
      METRICS_ENABLED: true,
    });
  });

  it('names every bad variable and why, hiding secret values', () => {
    const err = errorOf(() =>
      parseConfig(Schema, {
        PORT: 'abc',
        METRICS_ENABLED: 'yes',
        ENGINE_KEY: 'short-secret',
      }),
    );
    expect(err.message).toContain('PORT: expected number, got "abc"');
    expect(err.message).toContain('METRICS_ENABLED: expected one of');
    expect(err.message).toContain('got "yes"');
    expect(err.message).toContain('DATABASE_URL: required, but not set');
    expect(err.message).toMatch(/ENGINE_KEY: .*\(value hidden\)/);
    expect(err.message).not.toContain('short-secret');
    expect(err.issues.map((i) => i.variable).sort()).toEqual([
      'DATABASE_URL',
      'ENGINE_KEY',
      'METRICS_ENABLED',
      'PORT',
    ]);
  });

  it('reads booleans and treats an empty variable as unset', () => {
    const S = z.object({
      A: BoolEnv,
      B: BoolEnv,
      C: BoolEnv.default(true),
      ...baseServiceConfig({ defaultPort: 3000 }),
    });
    expect(parseConfig(S, { A: '1', B: 'FALSE', C: '0', PORT: '' })).toMatchObject({
      A: true,
      B: false,
      C: false,
      PORT: 3000,
    });
  });
});
