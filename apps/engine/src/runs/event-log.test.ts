import { describe, expect, it } from 'vitest';
import { createEventLog, EventLogClosedError } from './event-log.js';

const started = {
  event: 'thread.started',
  agent: 'researcher',
  model: 'mock',
  user_message_id: 'msg_1',
  started_at: new Date(0).toISOString(),
} as const;
const completed = {
  event: 'thread.completed',
  stop_reason: 'end_turn',
  assistant_message_id: 'msg_2',
  usage: { input_tokens: 1, output_tokens: 1, cache_hit_tokens: 0 },
  duration_ms: 1,
} as const;

describe('event log', () => {
  it('stamps task, turn and seq from 1, and accepts nothing after the terminal event', () => {
    const log = createEventLog({ taskId: 't', turnId: 'turn_1', validate: true });
    expect(log.append(started)).toMatchObject({ task_id: 't', turn_id: 'turn_1', seq: 1 });
    expect(log.append({ event: 'text_delta', text: 'hi' }).seq).toBe(2);
    expect(log.finished).toBe(false);
    log.append(completed);
    expect(log.finished).toBe(true);
    expect(() => log.append({ event: 'heartbeat' })).toThrow(EventLogClosedError);
  });

  it('refuses an event that fails the contract when validating', () => {
    const log = createEventLog({ taskId: 't', turnId: 'turn_1', validate: true });
    expect(() => log.append({ event: 'text_delta', text: 42 } as never)).toThrow();
  });

  it('lets each reader go at its own pace without holding the writer back', async () => {
    const log = createEventLog({ taskId: 't', turnId: 'turn_1' });
    const signal = new AbortController().signal;
    const slow = (async () => {
      const seqs: number[] = [];
      for await (const event of log.follow(0, signal)) {
        seqs.push(event.seq);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return seqs;
    })();
    log.append(started);
    for (let i = 0; i < 50; i++) {
      log.append({ event: 'text_delta', text: String(i) });
    }
    log.append(completed);
    // Every append returned at once: the log is complete before the slow reader got far.
    expect(log.size).toBe(52);
    expect(await slow).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    const resumed: number[] = [];
    for await (const event of log.follow(50, signal)) {
      resumed.push(event.seq);
    }
    expect(resumed).toEqual([51, 52]);
  });

  it('stops following when the reader goes away', async () => {
    const log = createEventLog({ taskId: 't', turnId: 'turn_1' });
    log.append(started);
    const controller = new AbortController();
    const read = (async () => {
      const got: number[] = [];
      for await (const event of log.follow(0, controller.signal)) {
        got.push(event.seq);
      }
      return got;
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await read).toEqual([1]);
  });
});
