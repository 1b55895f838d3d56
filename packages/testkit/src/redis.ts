import { Redis } from 'ioredis';
import { randomSuffix } from './random-suffix.js';
import {
  notSetReason,
  type ServiceProbe,
  serviceAvailable,
  serviceUnavailable,
} from './require-service.js';

const CONNECT_TIMEOUT_MS = 3000;

/**
 * Connects and pings once. A test client should fail fast rather than queue commands while
 * it reconnects forever, so retries are off; a service's own client keeps its own policy.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

/** A worker's Redis client, or why there is none. */
export async function probeRedis(url: string | undefined): Promise<ServiceProbe<Redis>> {
  if (!url) {
    return serviceUnavailable('redis', notSetReason('redis'));
  }
  try {
    return serviceAvailable(await connectRedis(url));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return serviceUnavailable('redis', `REDIS_URL unreachable (${url}): ${message}`);
  }
}

/** Deletes every key starting with `prefix` (SCAN, never KEYS, so a big db is not blocked). */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  // Escape glob metacharacters so the prefix matches literally.
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) {
      deleted += await client.del(...keys);
    }
  } while (cursor !== '0');
  return deleted;
}

/** A shared client plus a key prefix no other test uses. */
export interface RedisTestHandle {
  readonly client: Redis;
  /** `t:<16 hex>:` */
  readonly prefix: string;
  /** `prefix + name` */
  key(name: string): string;
  /** Deletes the prefix's keys; the fixture calls it after each test. */
  cleanup(): Promise<number>;
}

export function createRedisTestHandle(client: Redis): RedisTestHandle {
  const prefix = `t:${randomSuffix()}:`;
  return {
    client,
    prefix,
    key: (name) => `${prefix}${name}`,
    cleanup: () => deleteKeysWithPrefix(client, prefix),
  };
}
