import { createTestKit } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import { createRedisStreamLog, type RedisStreamLog } from './redis-stream-log.js';
import { streamLogContract, withLogs } from './stream-log-contract.js';

const test = createTestKit();

describe('redis stream log', () => {
  streamLogContract(
    (name, body) =>
      test(name, async ({ redis }) => {
        const keyPrefix = `${redis.prefix}log`;
        await withLogs(
          (opts) =>
            createRedisStreamLog({
              redis: ({ connectionName }) => redis.client.duplicate({ connectionName }),
              keyPrefix,
              ...opts,
            }),
          body,
        );
      }),
    {
      async assertOneBlockingConnection(log, streams) {
        const stats = () => (log as RedisStreamLog).readerStats();
        await expect.poll(() => stats().streams).toBe(streams);
        expect(stats().blockingConnections).toBe(1);
      },
    },
  );

  test('holds two connections, one of them blocking, whatever the followers', async ({ redis }) => {
    const keyPrefix = `${redis.prefix}conns`;
    const log = createRedisStreamLog({
      redis: ({ connectionName }) => redis.client.duplicate({ connectionName }),
      keyPrefix,
    });
    const controller = new AbortController();
    const streams = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const followers = streams.flatMap((stream) =>
      [0, 1].map(async () => {
        const got: string[] = [];
        for await (const e of log.follow(stream, undefined, { signal: controller.signal })) {
          got.push(e.event);
        }
        return got;
      }),
    );
    await expect.poll(() => log.readerStats().streams).toBe(streams.length);
    for (const stream of streams) {
      await log.append(stream, [{ event: stream, data: null }]);
    }
    const ours = async () =>
      String(await redis.client.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${keyPrefix}:log`))
        .map((line) => `${/name=(\S+)/.exec(line)?.[1]} ${/cmd=(\S+)/.exec(line)?.[1]}`)
        .sort();
    // Two connections; the reader is the one blocked in XREAD (polled: between two XREADs it
    // is briefly not).
    await expect
      .poll(ours)
      .toEqual([expect.stringMatching(/:log /), `${keyPrefix}:log-reader xread`]);
    controller.abort();
    expect(await Promise.all(followers)).toHaveLength(40);
    await log.close();
  });

  test('wakes its blocked reader for a new stream (CLIENT UNBLOCK, not the timeout)', async ({
    redis,
    onTestFinished,
  }) => {
    // A block timeout far past the test timeout: only the wake-up can deliver in time.
    const log = createRedisStreamLog({
      redis: ({ connectionName }) => redis.client.duplicate({ connectionName }),
      keyPrefix: `${redis.prefix}wake`,
      blockMs: 600_000,
    });
    onTestFinished(() => log.close());
    const controller = new AbortController();
    const signal = controller.signal;
    const first = log.follow('a', undefined, { signal })[Symbol.asyncIterator]();
    const firstNext = first.next();
    await log.append('a', [{ event: 'a', data: 1 }]);
    expect((await firstNext).value?.event).toBe('a');
    // The reader is now blocked on `a` alone; `b`, then `c`, then `d` join it.
    for (const [i, stream] of ['b', 'c', 'd'].entries()) {
      const next = log.follow(stream, undefined, { signal })[Symbol.asyncIterator]().next();
      await expect.poll(() => log.readerStats().streams).toBe(i + 2);
      await log.append(stream, [{ event: stream, data: 2 }]);
      expect((await next).value?.event).toBe(stream);
    }
    controller.abort();
    await log.close();
  });

  test('from a URL: makes and closes its own connections', async ({ redis, onTestFinished }) => {
    const log = createRedisStreamLog({
      redis: process.env.REDIS_URL as string,
      keyPrefix: `${redis.prefix}url`,
    });
    onTestFinished(() => log.close());
    const signal = new AbortController().signal;
    const next = log.follow('s', undefined, { signal })[Symbol.asyncIterator]().next();
    await expect.poll(() => log.readerStats().streams).toBe(1);
    const [id] = await log.append('s', [{ event: 'e', data: { ok: true } }]);
    expect((await next).value).toEqual({ id, event: 'e', data: { ok: true } });
    expect(String(await redis.client.client('LIST'))).toContain(
      `name=${redis.prefix}url:log-reader`,
    );
    await log.close();
    await expect
      .poll(async () => String(await redis.client.client('LIST')))
      .not.toContain(`name=${redis.prefix}url:log`);
  });
});
