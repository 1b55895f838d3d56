import { Redis } from 'ioredis';
import { followStream } from './follower.js';
import { decodeEntry, encodeFields } from './redis-entry.js';
import { createStreamReader } from './redis-stream-reader.js';
import { parseStreamId } from './stream-id.js';
import { checkMaxLen, DEFAULT_MAX_LEN, type LogEntry, type StreamLog } from './stream-log.js';

/**
 * Makes a connection; the log calls it twice: for commands (`autoPipeline`: commands issued in
 * one tick share one socket write) and for the one blocking reader.
 */
export type RedisConnect = (opts: { connectionName: string; autoPipeline: boolean }) => Redis;

export interface RedisStreamLogOptions {
  /** A URL (the log makes and owns its connections) or a factory (the log closes what it made). */
  redis: string | RedisConnect;
  /** Keys are `<keyPrefix>:<stream>`. Also names the connections (`<keyPrefix>:log…`). */
  keyPrefix: string;
  /** MAXLEN ~ when `append` names none; default 10000. */
  defaultMaxLen?: number;
  /** XREAD BLOCK timeout in ms (see redis-stream-reader.ts); default 5000. */
  blockMs?: number;
  /** Connection and reader errors (the log retries on its own); default: ignored. */
  onError?: (error: unknown) => void;
}

/** A StreamLog on Redis Streams, with live delivery through one shared blocking connection. */
export interface RedisStreamLog extends StreamLog {
  /** How many streams the shared reader follows, and its blocking connections (0 or 1). */
  readerStats(): { streams: number; blockingConnections: number };
}

const fromUrl =
  (url: string): RedisConnect =>
  ({ connectionName, autoPipeline }) =>
    new Redis(url, {
      connectionName,
      // Many runs append at once: one write per tick, not one per command (a loopback write
      // wakes Redis each time, which costs more CPU than the command).
      enableAutoPipelining: autoPipeline,
      maxRetriesPerRequest: 2,
      // The reader re-issues its XREAD itself after a reconnect (with the new connection's id),
      // and gives up on one that got no reply by BLOCK + 100 ms (a silently dead connection).
      autoResendUnfulfilledCommands: false,
      blockingTimeout: 1,
    });

export function createRedisStreamLog(opts: RedisStreamLogOptions): RedisStreamLog {
  const connect = typeof opts.redis === 'string' ? fromUrl(opts.redis) : opts.redis;
  const defaultMaxLen = checkMaxLen(opts.defaultMaxLen ?? DEFAULT_MAX_LEN);
  const onError = opts.onError ?? (() => {});
  const name = `${opts.keyPrefix.replace(/[^\w:.-]/g, '_')}:log`;
  const command = connect({ connectionName: name, autoPipeline: true });
  command.on('error', onError);
  const keyOf = (stream: string) => `${opts.keyPrefix}:${stream}`;
  const reader = createStreamReader({
    connect: () => connect({ connectionName: `${name}-reader`, autoPipeline: false }),
    command,
    keyOf,
    blockMs: opts.blockMs ?? 5000,
    onError,
  });

  const read = async (stream: string, after: string | undefined, limit: number) => {
    const start = after === undefined ? '-' : `(${after}`;
    if (after !== undefined) {
      parseStreamId(after);
    }
    if (limit < 1) {
      return [];
    }
    const items = await command.xrange(keyOf(stream), start, '+', 'COUNT', limit);
    return items.map(([id, fields]): LogEntry => decodeEntry(id, fields));
  };

  return {
    async append(stream, entries, appendOpts) {
      const maxLen = checkMaxLen(appendOpts?.maxLen ?? defaultMaxLen);
      const key = keyOf(stream);
      const args = (e: { event: string; data: unknown }) =>
        [key, 'MAXLEN', '~', maxLen, '*', ...encodeFields(e)] as const;
      if (entries.length === 0) {
        return [];
      }
      if (entries.length === 1) {
        return [(await command.xadd(...args(entries[0] as (typeof entries)[0]))) as string];
      }
      // One round trip; a connection runs its commands in order, so the ids keep this order.
      const pipeline = command.pipeline();
      for (const entry of entries) {
        pipeline.xadd(...args(entry));
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, id]) => {
        if (error !== null) {
          throw error;
        }
        return id as string;
      });
    },

    read,

    follow(stream, after, followOpts) {
      if (after !== undefined) {
        parseStreamId(after);
      }
      return followStream({ read, subscribe: reader.subscribe }, stream, after, followOpts);
    },

    async expire(stream, seconds) {
      if (seconds > 0) {
        await command.pexpire(keyOf(stream), Math.max(1, Math.round(seconds * 1000)));
      } else {
        await command.persist(keyOf(stream));
      }
    },

    async lastId(stream) {
      const last = await command.xrevrange(keyOf(stream), '+', '-', 'COUNT', 1);
      return last[0]?.[0];
    },

    readerStats: reader.stats,

    async close() {
      await reader.close();
      await command.quit().catch(() => command.disconnect());
    },
  };
}
