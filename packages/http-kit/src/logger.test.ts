import { describe, expect, it } from 'vitest';
import { captureLogger } from './test-support.js';

describe('createLogger', () => {
  it('redacts secret headers and *_KEY / *key fields', () => {
    const { logger, lines, text } = captureLogger();
    logger.info(
      {
        req: {
          headers: {
            'x-engine-key': 'sk-engine-123',
            authorization: 'Bearer abc',
            'content-type': 'application/json',
          },
        },
        config: { ENGINE_KEY: 'env-secret-1', PLATFORM_KEY: 'env-secret-2', PORT: 8080 },
        apiKey: 'camel-secret',
        password: 'hunter2',
        max_tokens: 4096,
      },
      'started',
    );
    logger.child({ engine_key: 'bound-secret' }).info('child line');
    const [first, second] = lines();
    expect(first).toMatchObject({
      req: {
        headers: {
          'x-engine-key': '[redacted]',
          authorization: '[redacted]',
          'content-type': 'application/json',
        },
      },
      config: { ENGINE_KEY: '[redacted]', PLATFORM_KEY: '[redacted]', PORT: 8080 },
      apiKey: '[redacted]',
      password: '[redacted]',
      max_tokens: 4096,
    });
    expect(second).toMatchObject({ engine_key: '[redacted]', msg: 'child line' });
    for (const secret of [
      'sk-engine-123',
      'Bearer abc',
      'env-secret',
      'camel-secret',
      'hunter2',
      'bound-secret',
    ]) {
      expect(text()).not.toContain(secret);
    }
  });

  it('writes NDJSON with name and level', () => {
    const { logger, lines } = captureLogger('info');
    logger.debug('hidden');
    logger.warn({ engineId: 'eng_1' }, 'slow');
    expect(lines()).toEqual([
      expect.objectContaining({ name: 'test', level: 40, engineId: 'eng_1', msg: 'slow' }),
    ]);
  });
});
