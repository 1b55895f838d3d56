/** One entry of a stream: `data` is whatever JSON the appender wrote (treat it as read-only). */
export interface LogEntry {
  id: string;
  event: string;
  data: unknown;
}

/** What `follow` yields last when the consumer fell more than `maxBuffered` entries behind. */
export const OVERFLOW_EVENT = 'stream.overflow';

export interface OverflowData {
  reason: string;
  /** The id of the last entry the consumer was given (`0-0`: none); resume after it. */
  dropped_after: string;
}

export interface FollowOptions {
  signal: AbortSignal;
  /** Ends the iteration after the first entry it returns true for (that entry is yielded). */
  until?: (entry: LogEntry) => boolean;
  /** Live entries held for a consumer that does not read; default 1000. */
  maxBuffered?: number;
}

/**
 * An append-only log of named streams with opaque, monotonic ids (`<ms>-<n>`): the primitive
 * under agent run streams (SSE with Last-Event-ID) and the platform bus topics.
 *
 * ```ts
 * const [id] = await log.append('run:run_1', [{ event: 'token', data: { content: 'hi' } }]);
 * for await (const e of log.follow('run:run_1', lastEventId, { signal, until: isTerminal })) {
 *   writeSse(res, e);
 * }
 * ```
 */
export interface StreamLog {
  /** Appends in order; resolves with the ids the log assigned (monotonic per stream). */
  append(
    stream: string,
    entries: readonly { event: string; data: unknown }[],
    opts?: { maxLen?: number },
  ): Promise<string[]>;
  /** Entries with id > after (all when undefined), oldest first, at most `limit`. */
  read(stream: string, after: string | undefined, limit: number): Promise<LogEntry[]>;
  /**
   * Replays entries after `after`, then yields live ones as they are appended, until `signal`
   * aborts or `until(entry)` returns true (inclusive). A consumer more than `maxBuffered`
   * entries behind gets one final `{ event: OVERFLOW_EVENT, data: OverflowData }` whose id is
   * `dropped_after`, and the iteration ends: memory per follower stays bounded.
   */
  follow(stream: string, after: string | undefined, opts: FollowOptions): AsyncIterable<LogEntry>;
  /** The stream is deleted `seconds` from now (retention after a run ended); <= 0 = keep. */
  expire(stream: string, seconds: number): Promise<void>;
  /** Last id, or undefined when empty/absent. */
  lastId(stream: string): Promise<string | undefined>;
  /** Ends every follower and releases connections and timers. */
  close(): Promise<void>;
}

/** The default cap of a stream's length when `append` is given none. */
export const DEFAULT_MAX_LEN = 10_000;

export function checkMaxLen(maxLen: number): number {
  if (!Number.isSafeInteger(maxLen) || maxLen < 1) {
    throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
  }
  return maxLen;
}
