import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { FollowerSink } from './follower.js';
import { decodeEntry } from './redis-entry.js';
import { compareStreamIds } from './stream-id.js';

export interface StreamReaderOptions {
  /** Makes the one blocking connection, on the first follower. */
  connect: () => Redis;
  /** The non-blocking connection, for XREVRANGE and CLIENT UNBLOCK. */
  command: Redis;
  keyOf: (stream: string) => string;
  /** XREAD BLOCK timeout: the latency of a new follower only if CLIENT UNBLOCK fails. */
  blockMs: number;
  onError: (error: unknown) => void;
}

interface Followed {
  /** The last id the reader has seen (XREAD asks for entries after it). */
  cursor: string;
  sinks: Set<FollowerSink>;
}

// Entries per stream per XREAD reply; the next XREAD follows at once when a reply is full.
const BATCH = 500;
// After a failed XREAD (Redis down): retry, backing off so an outage is not a busy loop.
const RETRY_MS = 100;
const RETRY_MAX_MS = 5000;
const UNBLOCK_RETRY_MS = 5;

/**
 * The one blocking connection of a Redis StreamLog: a single `XREAD BLOCK … STREAMS k1 k2 … id1
 * id2 …` loop over every followed stream, fanning entries out to the followers' inboxes. So a
 * process holds two connections whatever its number of followers.
 *
 * When a stream is added, the loop must re-issue XREAD with the new key. We wake it with
 * `CLIENT UNBLOCK <reader id>` from the command connection rather than a short BLOCK timeout:
 * a short timeout makes every idle process poll Redis several times a second and still delays
 * a new follower by up to the timeout, while UNBLOCK wakes it within a round trip. The UNBLOCK
 * can race the XREAD (sent, not yet blocking: the reply is 0), so it is retried until the loop
 * has re-issued with the new set. `blockMs` bounds the delay if UNBLOCK is refused (ACL) or the
 * reader reconnected under a new id.
 */
export function createStreamReader(opts: StreamReaderOptions) {
  const followed = new Map<string, Followed>();
  const streamByKey = new Map<string, string>();
  let reader: Redis | undefined;
  let clientId: number | undefined;
  let running = false;
  let closed = false;
  let waking = false;
  /** Bumped when a stream is added; the XREAD in flight was issued at `inflight`. */
  let generation = 0;
  let inflight: number | undefined;

  const connection = (): Redis => {
    if (reader === undefined) {
      const r = opts.connect();
      r.on('error', opts.onError);
      // A reconnect gives the connection a new id: ask again before the next XREAD.
      r.on('ready', () => {
        clientId = undefined;
      });
      reader = r;
    }
    return reader;
  };

  const dispatch = (reply: [key: string, items: [id: string, fields: string[]][]][] | null) => {
    for (const [key, items] of reply ?? []) {
      const name = streamByKey.get(key);
      const f = name === undefined ? undefined : followed.get(name);
      if (f === undefined) {
        continue;
      }
      for (const [id, fields] of items) {
        // A reply issued before the stream was dropped and followed again can be older.
        if (compareStreamIds(id, f.cursor) <= 0) {
          continue;
        }
        f.cursor = id;
        const entry = decodeEntry(id, fields);
        for (const sink of f.sinks) {
          sink.push(entry);
        }
      }
    }
  };

  async function loop(): Promise<void> {
    let retryMs = RETRY_MS;
    while (!closed && followed.size > 0) {
      const names = [...followed.keys()];
      const cursors = names.map((n) => (followed.get(n) as Followed).cursor);
      const r = connection();
      inflight = generation;
      try {
        clientId ??= await r.client('ID');
        const reply = await r.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          opts.blockMs,
          'STREAMS',
          ...names.map(opts.keyOf),
          ...cursors,
        );
        inflight = undefined;
        retryMs = RETRY_MS;
        dispatch(reply);
      } catch (error) {
        inflight = undefined;
        if (closed) {
          break;
        }
        opts.onError(error);
        await sleep(retryMs, undefined, { ref: false });
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
    running = false;
  }

  /** Makes the loop (re-)issue XREAD with the current set of streams, soon. */
  function wake(): void {
    generation++;
    if (!running) {
      running = true;
      void loop();
      return;
    }
    if (waking) {
      return;
    }
    waking = true;
    void (async () => {
      try {
        // Until the loop has issued an XREAD that includes the new stream(s).
        while (!closed && inflight !== undefined && inflight < generation) {
          if (clientId !== undefined && (await opts.command.client('UNBLOCK', clientId)) === 1) {
            return;
          }
          await sleep(UNBLOCK_RETRY_MS);
        }
      } catch (error) {
        opts.onError(error);
      } finally {
        waking = false;
      }
    })();
  }

  return {
    /**
     * Entries appended to `stream` after this resolves go to `sink`: the stream's cursor is
     * taken (XREVRANGE) before the stream joins the XREAD, and never moves backwards.
     */
    async subscribe(stream: string, sink: FollowerSink): Promise<() => void> {
      let f = followed.get(stream);
      if (f === undefined) {
        const last = await opts.command.xrevrange(opts.keyOf(stream), '+', '-', 'COUNT', 1);
        // Another follower of the same stream may have registered it meanwhile.
        f = followed.get(stream);
        if (f === undefined && !closed) {
          f = { cursor: last[0]?.[0] ?? '0-0', sinks: new Set() };
          followed.set(stream, f);
          streamByKey.set(opts.keyOf(stream), stream);
          wake();
        }
      }
      if (f === undefined || closed) {
        throw new Error('The stream log is closed');
      }
      const entry = f;
      entry.sinks.add(sink);
      return () => {
        entry.sinks.delete(sink);
        // No wake: the XREAD in flight still names the stream; its entries are just dropped.
        if (entry.sinks.size === 0 && followed.get(stream) === entry) {
          followed.delete(stream);
          streamByKey.delete(opts.keyOf(stream));
        }
      };
    },

    /** For tests and metrics: streams in the XREAD and whether its connection exists. */
    stats: () => ({ streams: followed.size, blockingConnections: reader === undefined ? 0 : 1 }),

    async close(): Promise<void> {
      closed = true;
      for (const f of followed.values()) {
        for (const sink of f.sinks) {
          sink.end();
        }
      }
      followed.clear();
      streamByKey.clear();
      // disconnect, not quit: QUIT would wait behind the blocked XREAD.
      reader?.disconnect();
    },
  };
}
