import { randomUUID } from 'node:crypto';
import type { BusMessage, BusTopic } from '@agentplane/contracts';
import { createTestKit } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { InvalidBusCursorError } from './bus-cursor.js';
import { type BusEntry, type BusOverflow, createEventBus, type EventBus } from './event-bus.js';
import { createMemoryStreamLog } from './memory-stream-log.js';
import { createRedisStreamLog } from './redis-stream-log.js';
import type { StreamLog } from './stream-log.js';
import { type ContractTest, withLogs } from './stream-log-contract.js';

// The typed bus over both logs: validation before writing, reads and follows across topics,
// and the composite cursor that resumes every topic exactly after what a client saw.

const engineMsg = (
  action: BusMessage<'engine.lifecycle'>['payload']['action'],
): BusMessage<'engine.lifecycle'> => ({
  event: 'engine.transition',
  payload: {
    engine_id: randomUUID(),
    product_id: randomUUID(),
    user_id: 'alice',
    from: null,
    to: 'running',
    action,
    timestamp: Date.now(),
  },
});
const ragMsg = (n: number): BusMessage<'rag.events'> => ({
  event: 'ingest.progress',
  payload: { job_id: 'job-1', docs_done: n, docs_total: 100, chunks_done: n * 3 },
});
const agentMsg = (event: 'agent.started' | 'agent.completed'): BusMessage<'agent.lifecycle'> => ({
  event,
  payload: { agent_id: 'agt_0123456789ab', run_id: 'run_0123456789ab', timestamp: 1 },
});

type Delivered = BusEntry | BusOverflow<BusTopic>;
const key = (e: Delivered) => (e.kind === 'message' ? `${e.topic}/${e.id}` : 'overflow');

async function take(
  iterable: AsyncIterable<Delivered>,
  n: number,
  onEach?: (e: Delivered, i: number) => Promise<void>,
): Promise<Delivered[]> {
  const out: Delivered[] = [];
  for await (const e of iterable) {
    out.push(e);
    await onEach?.(e, out.length);
    if (out.length === n || e.kind === 'overflow') {
      break;
    }
  }
  return out;
}

/** Publishes `n` messages round-robin over three topics; returns their `topic/id` keys. */
async function publishMixed(bus: EventBus, n: number, from = 0): Promise<string[]> {
  const keys: string[] = [];
  for (let i = from; i < from + n; i++) {
    if (i % 3 === 0) {
      keys.push(
        `engine.lifecycle/${await bus.publish('engine.lifecycle', engineMsg(i % 2 === 0 ? 'start' : 'stop'))}`,
      );
    } else if (i % 3 === 1) {
      keys.push(`rag.events/${await bus.publish('rag.events', ragMsg(i))}`);
    } else {
      keys.push(
        `agent.lifecycle/${await bus.publish('agent.lifecycle', agentMsg('agent.started'))}`,
      );
    }
  }
  return keys;
}

const TOPICS = ['agent.lifecycle', 'rag.events', 'engine.lifecycle'] as const;
const never = () => new AbortController().signal;

function busSuite(test: ContractTest) {
  const makeBus = (log: StreamLog, onInvalid?: Parameters<typeof createEventBus>[0]['onInvalid']) =>
    createEventBus({ log, maxLen: 1000, ...(onInvalid === undefined ? {} : { onInvalid }) });

  test('publish validates with the topic schema; an invalid message writes nothing', async (make) => {
    const log = make();
    const bus = makeBus(log);
    const bad: unknown[] = [
      { event: 'ingest.progress', payload: { job_id: 'j' } },
      { event: 'engine.transition', payload: engineMsg('start').payload },
      { event: 'ingest.complete', payload: { job_id: 'j', docs_indexed: -1 } },
    ];
    for (const message of bad) {
      await expect(bus.publish('rag.events', message as BusMessage<'rag.events'>)).rejects.toThrow(
        ZodError,
      );
    }
    await expect(bus.publish('nope' as 'rag.events', ragMsg(1))).rejects.toThrow(RangeError);
    expect(await log.lastId('rag.events')).toBeUndefined();

    const id = await bus.publish('rag.events', {
      event: 'ingest.complete',
      payload: { job_id: 'j', docs_indexed: 3, extra: 'dropped' } as never,
    });
    expect(await log.read('rag.events', undefined, 10)).toEqual([
      { id, event: 'ingest.complete', data: { job_id: 'j', docs_indexed: 3 } },
    ]);
  });

  test('read resumes from any entry’s cursor with exactly the unseen entries', async (make) => {
    const bus = makeBus(make());
    const published = await publishMixed(bus, 12);
    const all = await bus.read(TOPICS, {}, 100);
    expect(all.map(key).sort()).toEqual([...published].sort());
    for (const topic of TOPICS) {
      const ofTopic = (keys: string[]) => keys.filter((k) => k.startsWith(`${topic}/`));
      expect(ofTopic(all.map(key))).toEqual(ofTopic(published));
    }
    for (const [i, entry] of all.entries()) {
      const rest = await bus.read(TOPICS, bus.parseCursor(entry.cursor), 100);
      expect(rest.map(key).sort()).toEqual(
        all
          .slice(i + 1)
          .map(key)
          .sort(),
      );
    }
    expect((await bus.read(TOPICS, {}, 5)).map(key)).toEqual(all.slice(0, 5).map(key));
    expect(all[0]?.kind === 'message' && all[0].message.event).toBeTruthy();
  });

  test('follow: a client that disconnects resumes every topic exactly', async (make) => {
    const bus = makeBus(make());
    const first = await publishMixed(bus, 6);
    const controller = new AbortController();
    let published: string[] = [];
    // Reads 8, publishing 6 more after the 4th; then disconnects (abort) mid-stream.
    const seen = await take(
      bus.follow(TOPICS, {}, { signal: controller.signal }),
      8,
      async (_, i) => {
        if (i === 4) {
          published = await publishMixed(bus, 6, 6);
        }
      },
    );
    controller.abort();
    const more = await publishMixed(bus, 3, 12);
    const cursor = bus.parseCursor(seen.at(-1)?.cursor ?? '');
    const resumed = await take(bus.follow(TOPICS, cursor, { signal: never() }), 7);
    expect([...seen, ...resumed].map(key).sort()).toEqual([...first, ...published, ...more].sort());
  });

  test('follow from head() gets only what is published after it', async (make) => {
    const bus = makeBus(make());
    await publishMixed(bus, 4);
    const head = await bus.head(TOPICS);
    expect(Object.keys(head).sort()).toEqual([...TOPICS].sort());
    const live = take(bus.follow(TOPICS, head, { signal: never() }), 3);
    const later = await publishMixed(bus, 3, 4);
    expect((await live).map(key).sort()).toEqual(later.sort());
  });

  test('a consumer that falls behind gets one overflow whose cursor resumes all', async (make) => {
    const bus = makeBus(make());
    const slow = bus
      .follow(TOPICS, {}, { signal: never(), maxBuffered: 2 })
      [Symbol.asyncIterator]();
    const firstNext = slow.next();
    const published = await publishMixed(bus, 1);
    const first = (await firstNext).value as Delivered;
    published.push(...(await publishMixed(bus, 30, 1)));
    // A reading follower that saw all 31 means the log pushed them to the slow one too.
    await take(bus.follow(TOPICS, {}, { signal: never() }), published.length);
    const rest: Delivered[] = [];
    for (let r = await slow.next(); r.done !== true; r = await slow.next()) {
      rest.push(r.value);
    }
    const overflow = rest.at(-1);
    expect(overflow?.kind).toBe('overflow');
    const resumed = await take(
      bus.follow(TOPICS, bus.parseCursor(overflow?.cursor ?? ''), { signal: never() }),
      published.length - rest.length,
    );
    const got = [first, ...rest.slice(0, -1), ...resumed].map(key);
    expect(got.sort()).toEqual([...published].sort());
  });

  test('skips entries that fail their schema, and reports them', async (make) => {
    const log = make();
    const invalid: string[] = [];
    const bus = makeBus(log, (topic, entry) => invalid.push(`${topic}/${entry.event}`));
    await log.append('rag.events', [{ event: 'ingest.bogus', data: {} }]);
    const ok = await bus.publish('rag.events', ragMsg(1));
    const read = await bus.read(['rag.events'], {}, 10);
    expect(read.map((e) => e.id)).toEqual([ok]);
    const followed = await take(bus.follow(['rag.events'], {}, { signal: never() }), 1);
    expect(followed.map(key)).toEqual([`rag.events/${ok}`]);
    expect(invalid).toEqual(['rag.events/ingest.bogus', 'rag.events/ingest.bogus']);
  });

  test('parseCursor accepts any subset of the topics and rejects anything else', async (make) => {
    const bus = makeBus(make());
    expect(bus.parseCursor('rag.events:17-3')).toEqual({ 'rag.events': '17-3' });
    expect(bus.parseCursor('agent.trace:0-0,engine.lifecycle:1733-12')).toEqual({
      'agent.trace': '0-0',
      'engine.lifecycle': '1733-12',
    });
    for (const bad of [
      '',
      'rag.events',
      'nope:1-0',
      'rag.events:1',
      'rag.events:1-0,rag.events:2-0',
    ]) {
      expect(() => bus.parseCursor(bad), bad).toThrow(InvalidBusCursorError);
    }
  });
}

describe('event bus over the memory log', () => {
  busSuite((name, body) => it(name, () => withLogs((o) => createMemoryStreamLog(o), body)));
});

const kit = createTestKit();
describe('event bus over the redis log', () => {
  busSuite((name, body) =>
    kit(name, ({ redis }) =>
      withLogs(
        (o) =>
          createRedisStreamLog({
            redis: ({ connectionName }) => redis.client.duplicate({ connectionName }),
            keyPrefix: `${redis.prefix}bus`,
            ...o,
          }),
        body,
      ),
    ),
  );
});
