import { type FollowerSink, followStream } from './follower.js';
import { compareStreamIds, formatStreamId, parseStreamId } from './stream-id.js';
import { checkMaxLen, DEFAULT_MAX_LEN, type LogEntry, type StreamLog } from './stream-log.js';

export interface MemoryStreamLogOptions {
  /** Cap of a stream's length when `append` names none (exact, oldest dropped); default 10000. */
  defaultMaxLen?: number;
  /** The clock ids are made from; default Date.now. */
  now?: () => number;
}

interface Stored {
  id: string;
  event: string;
  /** JSON, as Redis stores it: a reader never shares objects with the appender. */
  json: string;
}

interface MemoryStream {
  entries: Stored[];
  followers: Set<FollowerSink>;
  expiry?: NodeJS.Timeout;
}

const decode = (s: Stored): LogEntry => ({ id: s.id, event: s.event, data: JSON.parse(s.json) });

/**
 * The StreamLog of one process (no Redis): the same ids (`<ms>-<n>`), trimming, expiry and
 * follow semantics as the Redis log, so tests and single-process deployments behave alike.
 */
export function createMemoryStreamLog(opts: MemoryStreamLogOptions = {}): StreamLog {
  const defaultMaxLen = checkMaxLen(opts.defaultMaxLen ?? DEFAULT_MAX_LEN);
  const now = opts.now ?? Date.now;
  const streams = new Map<string, MemoryStream>();
  // One clock for all streams: monotonic across them, hence per stream, even when a stream is
  // deleted and written again (Redis gets the same from wall-clock ms).
  let last = { ms: 0, seq: 0n };
  let closed = false;

  const nextId = (): string => {
    const ms = now();
    last = ms > last.ms ? { ms, seq: 0n } : { ms: last.ms, seq: last.seq + 1n };
    return formatStreamId(last);
  };
  const ensureOpen = () => {
    if (closed) {
      throw new Error('The stream log is closed');
    }
  };
  const streamOf = (name: string): MemoryStream => {
    let s = streams.get(name);
    if (s === undefined) {
      s = { entries: [], followers: new Set() };
      streams.set(name, s);
    }
    return s;
  };
  const drop = (name: string) => {
    const s = streams.get(name);
    if (s === undefined) {
      return;
    }
    clearTimeout(s.expiry);
    if (s.followers.size === 0) {
      streams.delete(name);
    } else {
      // Followers stay subscribed: an append after the deletion is still theirs.
      s.entries = [];
      s.expiry = undefined;
    }
  };

  const read = async (name: string, after: string | undefined, limit: number) => {
    ensureOpen();
    if (after !== undefined) {
      parseStreamId(after);
    }
    const entries = streams.get(name)?.entries ?? [];
    // Ids are sorted: find the first one past `after` by bisection.
    let lo = 0;
    let hi = entries.length;
    while (after !== undefined && lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStreamIds((entries[mid] as Stored).id, after) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return entries.slice(lo, lo + Math.max(0, limit)).map(decode);
  };

  return {
    async append(name, items, appendOpts) {
      ensureOpen();
      const maxLen = checkMaxLen(appendOpts?.maxLen ?? defaultMaxLen);
      const stored = items.map((e) => ({
        id: nextId(),
        event: e.event,
        json: JSON.stringify(e.data) ?? 'null',
      }));
      const s = streamOf(name);
      s.entries.push(...stored);
      if (s.entries.length > maxLen) {
        s.entries.splice(0, s.entries.length - maxLen);
      }
      for (const entry of stored.map(decode)) {
        for (const follower of s.followers) {
          follower.push(entry);
        }
      }
      return stored.map((e) => e.id);
    },

    read,

    follow(name, after, followOpts) {
      if (after !== undefined) {
        parseStreamId(after);
      }
      return followStream(
        {
          read,
          async subscribe(stream, sink) {
            ensureOpen();
            const s = streamOf(stream);
            s.followers.add(sink);
            return () => {
              s.followers.delete(sink);
              if (s.followers.size === 0 && s.entries.length === 0 && s.expiry === undefined) {
                streams.delete(stream);
              }
            };
          },
        },
        name,
        after,
        followOpts,
      );
    },

    async expire(name, seconds) {
      ensureOpen();
      const s = streams.get(name);
      if (s === undefined || s.entries.length === 0) {
        return;
      }
      clearTimeout(s.expiry);
      s.expiry = undefined;
      if (seconds > 0) {
        s.expiry = setTimeout(() => drop(name), seconds * 1000);
        s.expiry.unref();
      }
    },

    async lastId(name) {
      ensureOpen();
      return streams.get(name)?.entries.at(-1)?.id;
    },

    async close() {
      closed = true;
      for (const s of streams.values()) {
        clearTimeout(s.expiry);
        for (const follower of s.followers) {
          follower.end();
        }
      }
      streams.clear();
    },
  };
}
