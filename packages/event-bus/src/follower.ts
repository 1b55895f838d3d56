import { compareStreamIds } from './stream-id.js';
import {
  type FollowOptions,
  type LogEntry,
  OVERFLOW_EVENT,
  type OverflowData,
} from './stream-log.js';

const DEFAULT_MAX_BUFFERED = 1000;
const REPLAY_PAGE = 500;

/**
 * One follower's bounded inbox. The log pushes every live entry of the stream into it (from the
 * moment of `subscribe`); the follower takes them after its replay, skipping what the replay
 * already yielded.
 */
export interface FollowerSink {
  push(entry: LogEntry): void;
  /** The log is closing: the follower returns. */
  end(): void;
}

/** What a log gives `followStream`: its reads, and live pushes into a sink. */
export interface FollowSource {
  read(stream: string, after: string | undefined, limit: number): Promise<LogEntry[]>;
  /**
   * From the moment this resolves, every entry appended to `stream` after the ones that existed
   * is pushed to `sink` in id order (duplicates allowed); returns the unsubscribe function.
   */
  subscribe(stream: string, sink: FollowerSink): Promise<() => void>;
}

type Taken = LogEntry | 'overflow' | 'end' | undefined;

function createInbox(maxBuffered: number) {
  const queue: LogEntry[] = [];
  let overflowed = false;
  let ended = false;
  let waiter: (() => void) | undefined;
  /** The last id the consumer was given: entries up to it are duplicates. */
  let cursor: string | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  const dropSeen = () => {
    while (queue.length > 0 && cursor !== undefined) {
      const head = queue[0] as LogEntry;
      if (compareStreamIds(head.id, cursor) > 0) {
        return;
      }
      queue.shift();
    }
  };
  const sink: FollowerSink = {
    push(entry) {
      if (overflowed || ended) {
        return;
      }
      if (queue.length >= maxBuffered) {
        // During the replay the queue holds live entries the replay may already have yielded.
        dropSeen();
      }
      if (queue.length >= maxBuffered) {
        overflowed = true;
      } else {
        queue.push(entry);
      }
      wake();
    },
    end() {
      ended = true;
      wake();
    },
  };
  return {
    sink,
    wake,
    seen(id: string) {
      cursor = id;
    },
    take(): Taken {
      if (ended) {
        return 'end';
      }
      dropSeen();
      const next = queue.shift();
      if (next !== undefined) {
        return next;
      }
      return overflowed ? 'overflow' : undefined;
    },
    wait: () =>
      new Promise<void>((resolve) => {
        waiter = resolve;
      }),
  };
}

function overflowEntry(cursor: string | undefined, maxBuffered: number): LogEntry {
  const droppedAfter = cursor ?? '0-0';
  const data: OverflowData = {
    reason: `the consumer fell more than ${maxBuffered} entries behind; resume after dropped_after`,
    dropped_after: droppedAfter,
  };
  return { id: droppedAfter, event: OVERFLOW_EVENT, data };
}

/**
 * `StreamLog.follow` for both logs. Subscribes first, then replays from the log in pages, then
 * yields the live inbox: an entry appended during the replay is in the log (the replay reads it)
 * or in the inbox (pushed after subscribe), and `seen` drops the copies, so nothing is missed or
 * yielded twice.
 */
export async function* followStream(
  source: FollowSource,
  stream: string,
  after: string | undefined,
  opts: FollowOptions,
): AsyncGenerator<LogEntry> {
  const { signal, until } = opts;
  const maxBuffered = opts.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  const inbox = createInbox(maxBuffered);
  signal.addEventListener('abort', inbox.wake);
  let unsubscribe: (() => void) | undefined;
  let cursor = after;
  try {
    if (signal.aborted) {
      return;
    }
    unsubscribe = await source.subscribe(stream, inbox.sink);
    for (let full = true; full && !signal.aborted; ) {
      const page = await source.read(stream, cursor, REPLAY_PAGE);
      full = page.length === REPLAY_PAGE;
      for (const entry of page) {
        cursor = entry.id;
        inbox.seen(entry.id);
        yield entry;
        if (signal.aborted || until?.(entry) === true) {
          return;
        }
      }
    }
    while (!signal.aborted) {
      const next = inbox.take();
      if (next === 'end') {
        return;
      }
      if (next === 'overflow') {
        yield overflowEntry(cursor, maxBuffered);
        return;
      }
      if (next === undefined) {
        await inbox.wait();
        continue;
      }
      cursor = next.id;
      inbox.seen(next.id);
      yield next;
      if (until?.(next) === true) {
        return;
      }
    }
  } finally {
    signal.removeEventListener('abort', inbox.wake);
    unsubscribe?.();
  }
}
