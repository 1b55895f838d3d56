import { createMemoryStreamLog, createRedisStreamLog, type StreamLog } from '@agentplane/event-bus';
import type { Config } from './config.js';

export interface StreamLogs {
  /** Runs' event streams (`run:<run id>`), under AM_REDIS_PREFIX. */
  runs: StreamLog;
  /** The platform bus's topic streams, under AM_BUS_PREFIX (shared with orchestratord). */
  bus: StreamLog;
  close(): Promise<void>;
}

/** Redis Streams when REDIS_URL is set, else one in-process log for both (names never clash). */
export function openStreamLogs(config: Config): StreamLogs {
  const maxLen = config.AM_BUS_MAXLEN;
  if (config.REDIS_URL === undefined) {
    const log = createMemoryStreamLog({ defaultMaxLen: maxLen });
    return { runs: log, bus: log, close: () => log.close() };
  }
  const redis = config.REDIS_URL;
  const runs = createRedisStreamLog({
    redis,
    keyPrefix: config.AM_REDIS_PREFIX,
    defaultMaxLen: maxLen,
  });
  const bus = createRedisStreamLog({
    redis,
    keyPrefix: config.AM_BUS_PREFIX,
    defaultMaxLen: maxLen,
  });
  return {
    runs,
    bus,
    close: async () => {
      await Promise.all([runs.close(), bus.close()]);
    },
  };
}
