import { expect } from 'vitest';
import { compareStreamIds, InvalidStreamIdError } from './stream-id.js';
import { type LogEntry, OVERFLOW_EVENT, type StreamLog } from './stream-log.js';

// The behaviour every StreamLog must have, run over each implementation by its own test file
// (memory-stream-log.test.ts, redis-stream-log.int.test.ts).

export type LogFactory = (opts?: { defaultMaxLen?: number }) => StreamLog;
/** Registers one test whose body gets a factory of logs on a fresh namespace. */
export type ContractTest = (name: string, body: (make: LogFactory) => Promise<void>) => void;

export interface ContractOptions {
  /** Checks that `log`, following `streams` streams, holds exactly one blocking connection. */
  assertOneBlockingConnection(log: StreamLog, streams: number): Promise<void>;
}

/** Runs `body` with a factory whose logs are all closed afterwards. */
export async function withLogs(
  create: LogFactory,
  body: (make: LogFactory) => Promise<void>,
): Promise<void> {
  const made: StreamLog[] = [];
  try {
    await body((opts) => {
      const log = create(opts);
      made.push(log);
      return log;
    });
  } finally {
    await Promise.all(made.map((log) => log.close()));
  }
}

const items = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ event: 'e', data: { n: from + i } }));

async function collect(iterable: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const entry of iterable) {
    out.push(entry);
  }
  return out;
}

const untilId = (id: string | undefined) => (e: LogEntry) => e.id === id;
const END = { event: 'end', data: null };

/** Everything a follower from `after` gets, up to the first `end` entry (inclusive). */
const followToEnd = (log: StreamLog, stream: string, after?: string) =>
  collect(
    log.follow(stream, after, {
      signal: new AbortController().signal,
      maxBuffered: 100_000,
      until: (e) => e.event === END.event,
    }),
  );

export function streamLogContract(test: ContractTest, opts: ContractOptions): void {
  test('appends in order with monotonic ids, and reads them back', async (make) => {
    const log = make();
    expect(await log.lastId('s')).toBeUndefined();
    const first = await log.append('s', [
      { event: 'a', data: { x: 1 } },
      { event: 'b', data: 'two' },
    ]);
    const second = await log.append('s', [{ event: 'c', data: null }]);
    const ids = [...first, ...second];
    expect(ids).toHaveLength(3);
    for (let i = 1; i < ids.length; i++) {
      expect(compareStreamIds(ids[i] as string, ids[i - 1] as string)).toBeGreaterThan(0);
    }
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect(await log.read('s', undefined, 10)).toEqual([
      { id: ids[0], event: 'a', data: { x: 1 } },
      { id: ids[1], event: 'b', data: 'two' },
      { id: ids[2], event: 'c', data: null },
    ]);
    expect(await log.lastId('s')).toBe(ids[2]);
    expect(await log.read('other', undefined, 10)).toEqual([]);
  });

  test('reads exactly the entries after an id, a page at a time', async (make) => {
    const log = make();
    const ids = await log.append('s', items(25));
    expect((await log.read('s', ids[4], 3)).map((e) => e.id)).toEqual(ids.slice(5, 8));
    expect(await log.read('s', ids[24], 10)).toEqual([]);
    const paged: string[] = [];
    for (let page = await log.read('s', undefined, 4); page.length > 0; ) {
      paged.push(...page.map((e) => e.id));
      page = await log.read('s', page.at(-1)?.id, 4);
    }
    expect(paged).toEqual(ids);
    await expect(log.read('s', 'nope', 1)).rejects.toThrow(InvalidStreamIdError);
    expect(() => log.follow('s', '1-x', { signal: AbortSignal.abort() })).toThrow(
      InvalidStreamIdError,
    );
  });

  test('follow replays after the id, then yields live entries', async (make) => {
    const log = make();
    const before = await log.append('s', items(3));
    const iterator = log
      .follow('s', before[0], { signal: new AbortController().signal })
      [Symbol.asyncIterator]();
    expect((await iterator.next()).value?.id).toBe(before[1]);
    expect((await iterator.next()).value?.id).toBe(before[2]);
    const pending = iterator.next();
    const live = await log.append('s', items(2, 3));
    expect((await pending).value).toEqual({ id: live[0], event: 'e', data: { n: 3 } });
    expect((await iterator.next()).value?.id).toBe(live[1]);
    await iterator.return?.();
  });

  test('follow loses and repeats nothing across the replay → live switch', async (make) => {
    const log = make();
    // More than one replay page, with appends racing the replay and the switch.
    const ids = await log.append('s', items(1200));
    const followed = followToEnd(log, 's');
    for (let batch = 0; batch < 30; batch++) {
      ids.push(...(await log.append('s', items(batch % 3 === 0 ? 1 : 10, 10_000 + batch * 10))));
    }
    ids.push(...(await log.append('s', [END])));
    expect((await followed).map((e) => e.id)).toEqual(ids);
  });

  test('until ends the iteration with that entry; abort ends it while waiting', async (make) => {
    const log = make();
    const ids = await log.append('s', items(5));
    const signal = new AbortController().signal;
    const got = await collect(log.follow('s', undefined, { signal, until: untilId(ids[2]) }));
    expect(got.map((e) => e.id)).toEqual(ids.slice(0, 3));

    const controller = new AbortController();
    const iterator = log.follow('s', ids[4], { signal: controller.signal })[Symbol.asyncIterator]();
    const waiting = iterator.next();
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await collect(log.follow('s', undefined, { signal: AbortSignal.abort() }))).toEqual([]);
  });

  test('a follower that stops reading gets one overflow entry and ends', async (make) => {
    const log = make();
    const signal = new AbortController().signal;
    const slow = log.follow('s', undefined, { signal, maxBuffered: 5 })[Symbol.asyncIterator]();
    const firstNext = slow.next();
    const ids = await log.append('s', items(1));
    expect((await firstNext).value?.id).toBe(ids[0]);
    ids.push(...(await log.append('s', [...items(20, 1), END])));
    // Once a reading follower saw the last entry, the log has pushed every entry to both.
    await followToEnd(log, 's');
    const rest: LogEntry[] = [];
    for (let r = await slow.next(); r.done !== true; r = await slow.next()) {
      rest.push(r.value);
    }
    const overflow = rest.pop();
    const delivered = [ids[0], ...rest.map((e) => e.id)];
    expect(delivered).toEqual(ids.slice(0, delivered.length));
    expect(rest.length).toBeLessThanOrEqual(5);
    expect(overflow).toMatchObject({
      id: delivered.at(-1),
      event: OVERFLOW_EVENT,
      data: { dropped_after: delivered.at(-1), reason: expect.any(String) },
    });
  });

  test('trims to MAXLEN (given, or the default), oldest first', async (make) => {
    const log = make({ defaultMaxLen: 10 });
    for (const [stream, maxLen] of [
      ['given', 10],
      ['default', undefined],
    ] as const) {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        ids.push(...(await log.append(stream, items(100), maxLen === undefined ? {} : { maxLen })));
      }
      const kept = (await log.read(stream, undefined, 2000)).map((e) => e.id);
      // Redis trims approximately (`MAXLEN ~`): whole nodes only, so it may keep a few more.
      expect(kept.length).toBeGreaterThanOrEqual(10);
      expect(kept.length).toBeLessThan(500);
      expect(kept).toEqual(ids.slice(ids.length - kept.length));
    }
  });

  test('expire deletes the stream later; zero or less keeps it', async (make) => {
    const log = make();
    await log.append('kept', items(2));
    await log.expire('kept', 0);
    await log.expire('kept', -1);
    expect(await log.read('kept', undefined, 10)).toHaveLength(2);
    await log.append('gone', items(2));
    await log.expire('gone', 0.2);
    await log.expire('absent', 1);
    await expect.poll(() => log.lastId('gone'), { timeout: 5000 }).toBeUndefined();
    expect(await log.read('gone', undefined, 10)).toEqual([]);
    expect(await log.read('kept', undefined, 10)).toHaveLength(2);
  });

  test('close ends live followers', async (make) => {
    const log = make();
    const iterator = log
      .follow('s', undefined, { signal: new AbortController().signal })
      [Symbol.asyncIterator]();
    const waiting = iterator.next();
    await log.append('s', items(1));
    expect((await waiting).done).toBe(false);
    const next = iterator.next();
    await log.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  test('many followers on many streams share one blocking connection', async (make) => {
    const log = make();
    const streams = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const appended = new Map<string, string[]>();
    const followers = streams.flatMap((stream) =>
      [0, 1, 2].map(async () => {
        const got = await followToEnd(log, stream);
        return { stream, ids: got.map((e) => e.id) };
      }),
    );
    for (const stream of streams) {
      appended.set(stream, await log.append(stream, items(3)));
    }
    await opts.assertOneBlockingConnection(log, streams.length);
    // Appends after the followers went live (the first batch may have come by replay).
    for (const stream of streams) {
      appended.set(stream, [
        ...(appended.get(stream) ?? []),
        ...(await log.append(stream, [...items(2, 3), END])),
      ]);
    }
    for (const { stream, ids } of await Promise.all(followers)) {
      expect(ids).toEqual(appended.get(stream));
    }
  });
}
