import { BusEvents } from '@agentplane/contracts';
import type { z } from 'zod';
import { type BusCursor, formatCursor, parseCursor } from './bus-cursor.js';
import { compareStreamIds } from './stream-id.js';
import { type LogEntry, OVERFLOW_EVENT, type OverflowData, type StreamLog } from './stream-log.js';

/** Topic → the zod schema of its messages, each `{ event, payload }`. */
export type TopicSchemas = Record<string, z.ZodType<{ event: string; payload: unknown }>>;
type TopicOf<M extends TopicSchemas> = keyof M & string;

/** A message as read back, with the cursor to resume after it (the SSE `id:`). */
export type BusEntry<M extends TopicSchemas = typeof BusEvents> = {
  [T in TopicOf<M>]: {
    kind: 'message';
    topic: T;
    /** The entry's id in its topic's stream. */
    id: string;
    /** Every followed topic's position after this entry (see bus-cursor.ts). */
    cursor: string;
    message: z.output<M[T]>;
  };
}[TopicOf<M>];

/** Last of a follow whose consumer fell behind: reconnect from `cursor`. */
export interface BusOverflow<T extends string = string> {
  kind: 'overflow';
  topic: T;
  cursor: string;
  reason: string;
}

export interface EventBusOptions {
  log: StreamLog;
  /** MAXLEN ~ of every topic's stream; default: the log's default. */
  maxLen?: number;
  /** An entry that fails its topic's schema (another writer, a newer version) is skipped. */
  onInvalid?: (topic: string, entry: LogEntry, error: z.ZodError) => void;
}

/**
 * Typed publish/read/follow over a StreamLog, one stream per topic (the stream is named as the
 * topic: key `<prefix>:<topic>`). Publishing validates first: an invalid message throws the
 * ZodError and nothing is written.
 *
 * ```ts
 * const bus = createEventBus({ log, maxLen: 100_000 });
 * await bus.publish('rag.events', { event: 'ingest.complete', payload: { job_id, docs_indexed } });
 * const from = lastEventId ? bus.parseCursor(lastEventId) : await bus.head(topics);
 * for await (const e of bus.follow(topics, from, { signal })) writeSse(res, e.cursor, e);
 * ```
 */
export interface EventBus<M extends TopicSchemas = typeof BusEvents> {
  publish<T extends TopicOf<M>>(topic: T, message: z.input<M[T]>): Promise<string>;
  /** At most `limit` entries after `after` over `topics`, by id (time) across topics. */
  read(
    topics: readonly TopicOf<M>[],
    after: BusCursor<TopicOf<M>>,
    limit: number,
  ): Promise<BusEntry<M>[]>;
  /** Replays after `after`, then live, interleaved as they come; ends on abort or overflow. */
  follow(
    topics: readonly TopicOf<M>[],
    after: BusCursor<TopicOf<M>>,
    opts: { signal: AbortSignal; maxBuffered?: number },
  ): AsyncIterable<BusEntry<M> | BusOverflow<TopicOf<M>>>;
  /** The cursor at the current end of `topics` (follow from it: live only). */
  head(topics: readonly TopicOf<M>[]): Promise<BusCursor<TopicOf<M>>>;
  /** A Last-Event-ID back into a cursor; throws InvalidBusCursorError. */
  parseCursor(text: string): BusCursor<TopicOf<M>>;
}

export function createEventBus(opts: EventBusOptions): EventBus;
export function createEventBus<M extends TopicSchemas>(
  opts: EventBusOptions & { events: M },
): EventBus<M>;
export function createEventBus(
  opts: EventBusOptions & { events?: TopicSchemas },
): EventBus<TopicSchemas> {
  const events: TopicSchemas = opts.events ?? BusEvents;
  const order = Object.keys(events);
  const { log } = opts;
  const schemaOf = (topic: string) => {
    const schema = events[topic];
    if (schema === undefined) {
      throw new RangeError(`Unknown bus topic: ${topic}`);
    }
    return schema;
  };
  const startOf = (topics: readonly string[], after: BusCursor): BusCursor => {
    for (const topic of topics) {
      schemaOf(topic);
    }
    return Object.fromEntries(topics.map((t) => [t, after[t] ?? '0-0']));
  };
  /** The message of a log entry, or undefined (reported) when it fails its schema. */
  const decode = (topic: string, entry: LogEntry) => {
    const parsed = schemaOf(topic).safeParse({ event: entry.event, payload: entry.data });
    if (!parsed.success) {
      opts.onInvalid?.(topic, entry, parsed.error);
      return undefined;
    }
    return parsed.data;
  };

  return {
    async publish(topic, message) {
      const { event, payload } = schemaOf(topic).parse(message);
      const appendOpts = opts.maxLen === undefined ? {} : { maxLen: opts.maxLen };
      const [id] = await log.append(topic, [{ event, data: payload }], appendOpts);
      return id as string;
    },

    async read(topics, after, limit) {
      const cursor = startOf(topics, after);
      const pages = await Promise.all(
        topics.map(async (topic) =>
          (await log.read(topic, after[topic], limit)).map((entry) => ({ topic, entry })),
        ),
      );
      // Each page holds its topic's first `limit`, so the first `limit` overall are among them.
      const merged = pages
        .flat()
        .sort((a, b) => compareStreamIds(a.entry.id, b.entry.id))
        .slice(0, Math.max(0, limit));
      return merged.flatMap(({ topic, entry }) => {
        cursor[topic] = entry.id;
        const message = decode(topic, entry);
        const text = formatCursor(cursor, order);
        return message === undefined
          ? []
          : [{ kind: 'message' as const, topic, id: entry.id, cursor: text, message }];
      });
    },

    follow(topics, after, followOpts) {
      const cursor = startOf(topics, after);
      return mergeFollow<BusEntry<TopicSchemas> | BusOverflow>(topics, after, followOpts, {
        log,
        onEntry(topic, entry) {
          cursor[topic] = entry.id;
          const message = decode(topic, entry);
          const text = formatCursor(cursor, order);
          return message === undefined
            ? undefined
            : { kind: 'message', topic, id: entry.id, cursor: text, message };
        },
        onOverflow(topic, data) {
          cursor[topic] = data.dropped_after;
          return {
            kind: 'overflow',
            topic,
            cursor: formatCursor(cursor, order),
            reason: data.reason,
          };
        },
      });
    },

    async head(topics) {
      const ids = await Promise.all(topics.map(async (t) => (await log.lastId(t)) ?? '0-0'));
      return startOf(topics, Object.fromEntries(topics.map((t, i) => [t, ids[i]])));
    },

    parseCursor: (text) => parseCursor(text, order),
  };
}

interface MergeHooks<Out> {
  log: StreamLog;
  onEntry(topic: string, entry: LogEntry): Out | undefined;
  onOverflow(topic: string, data: OverflowData): Out;
}

/**
 * One follow per topic, interleaved as entries arrive. Each topic has at most one entry in
 * hand here, so a slow consumer backs up into the log's bounded per-follower inbox, and the
 * first topic to overflow ends them all (the cursor resumes every topic exactly).
 */
async function* mergeFollow<Out>(
  topics: readonly string[],
  after: BusCursor,
  opts: { signal: AbortSignal; maxBuffered?: number },
  hooks: MergeHooks<Out>,
): AsyncGenerator<Out> {
  const inner = new AbortController();
  const stop = () => inner.abort();
  opts.signal.addEventListener('abort', stop);
  if (opts.signal.aborted) {
    stop();
  }
  const followOpts = {
    signal: inner.signal,
    ...(opts.maxBuffered === undefined ? {} : { maxBuffered: opts.maxBuffered }),
  };
  const iterators = topics.map((t) =>
    hooks.log.follow(t, after[t], followOpts)[Symbol.asyncIterator](),
  );
  const next = (i: number) =>
    (iterators[i] as AsyncIterator<LogEntry>).next().then((result) => ({ i, result }));
  const pending = new Map(iterators.map((_, i) => [i, next(i)]));
  try {
    while (pending.size > 0) {
      const { i, result } = await Promise.race(pending.values());
      pending.delete(i);
      if (result.done === true) {
        continue;
      }
      const topic = topics[i] as string;
      if (result.value.event === OVERFLOW_EVENT) {
        yield hooks.onOverflow(topic, result.value.data as OverflowData);
        return;
      }
      const out = hooks.onEntry(topic, result.value);
      if (out !== undefined) {
        yield out;
      }
      pending.set(i, next(i));
    }
  } finally {
    opts.signal.removeEventListener('abort', stop);
    stop();
    for (const p of pending.values()) {
      p.catch(() => {});
    }
    await Promise.allSettled(iterators.map((it) => it.return?.()));
  }
}
