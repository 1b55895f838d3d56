import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startTestEngine, TEST_KEY, type TestEngine, textOf } from '../test-engine.js';

let tmp: TmpDir;
let engine: TestEngine;

beforeAll(async () => {
  tmp = await createTmpDir('engine-history-');
  engine = await startTestEngine(join(tmp.path, 'history'));
});
afterAll(async () => {
  await engine?.close();
  await tmp?.remove();
});

async function turn(body: Record<string, unknown>) {
  const res = await engine.client.execute({ body: body as never });
  if (res.status !== 200) {
    throw new Error(`execute ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const events = await collect(res.events);
  const started = events[0];
  const done = events.at(-1);
  if (started?.event !== 'thread.started' || done?.event !== 'thread.completed') {
    throw new Error(`unexpected ends: ${started?.event} … ${done?.event}`);
  }
  return { events, userId: started.user_message_id, assistantId: done.assistant_message_id };
}

describe('edit_message_id and retry_message_id', () => {
  it('re-run from the edited or retried message; superseded turns are kept but marked', async () => {
    const first = await turn({ message: 'first question', task_id: 'h1' });
    await turn({ message: 'second question', task_id: 'h1' });

    // Retry the first answer: both turns are superseded, the first question is asked again.
    const retry = await turn({
      message: 'ignored',
      task_id: 'h1',
      retry_message_id: first.assistantId,
    });
    expect(textOf(retry.events)).toBe('Mock reply to: first question');
    const store = engine.engine.conversations;
    let active = store?.listMessages('h1') ?? [];
    expect(active.map((m) => [m.role, m.content])).toEqual([
      ['user', 'first question'],
      ['assistant', 'Mock reply to: first question'],
    ]);
    expect(active[0]?.id).toBe(retry.userId);
    expect(active[0]?.replacesId).toBe(first.userId);
    let all = store?.listMessages('h1', { includeSuperseded: true }) ?? [];
    expect(all).toHaveLength(6);
    expect(all.filter((m) => m.supersededAt !== null)).toHaveLength(4);

    // Edit the new question: the model sees the edited text only.
    const edit = await turn({
      message: 'edited question',
      task_id: 'h1',
      edit_message_id: retry.userId,
    });
    expect(textOf(edit.events)).toBe('Mock reply to: edited question');
    active = store?.listMessages('h1') ?? [];
    expect(active.map((m) => m.content)).toEqual([
      'edited question',
      'Mock reply to: edited question',
    ]);
    all = store?.listMessages('h1', { includeSuperseded: true }) ?? [];
    expect(all).toHaveLength(8);
    expect(store?.activeHistory('h1')).toHaveLength(2);
  });

  it('refuses bad targets with envelopes before streaming and writes nothing', async () => {
    const { userId, assistantId } = await turn({ message: 'target', task_id: 'h2' });
    const superseded = await turn({ message: 'x', task_id: 'h2', retry_message_id: assistantId });
    const before = engine.counts();
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ edit_message_id: 'msg_does_not_exist' }, 404],
      [{ edit_message_id: userId }, 409], // superseded by the retry above
      [{ retry_message_id: assistantId }, 409],
      [{ edit_message_id: superseded.assistantId }, 400], // an assistant message
      [{ retry_message_id: superseded.userId }, 400], // a user message
      [{ edit_message_id: userId, conversation_id: 'other' }, 404], // another conversation
      [{ agent: 'no-such-agent' }, 404],
    ];
    for (const [extra, status] of cases) {
      const res = await engine.client.execute({
        body: { message: 'm', task_id: 'h2', ...extra } as never,
      });
      expect(res.status, JSON.stringify(extra)).toBe(status);
    }
    expect(engine.counts()).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers 400 envelopes and writes nothing', async () => {
    await turn({ message: 'warm up', task_id: 'bad-0' });
    const before = engine.counts();
    const post = (body: string) =>
      fetch(`${engine.url}/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-engine-key': TEST_KEY },
        body,
      });
    const bodies = [
      JSON.stringify({ message: 'hi', task_id: 'bad-1', max_turns: 'many' }),
      JSON.stringify({ message: 42, task_id: 'bad-1' }),
      JSON.stringify({ message: 'x'.repeat(100_001), task_id: 'bad-1' }),
      JSON.stringify({
        message: 'hi',
        task_id: 'bad-1',
        edit_message_id: 'a',
        retry_message_id: 'b',
      }),
      JSON.stringify({ message: 'hi', task_id: 'bad-1', multitask_strategy: 'sometimes' }),
      JSON.stringify({
        message: 'hi',
        task_id: 'bad-1',
        media: [{ type: 'image', mime_type: 'image/png' }],
      }),
      '{"message": "hi", "task_id": ',
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status, body.slice(0, 80)).toBe(400);
      const envelope = (await res.json()) as { error: { code: string } };
      expect(['VALIDATION_ERROR', 'MALFORMED_JSON']).toContain(envelope.error.code);
    }
    const huge = await post(JSON.stringify({ message: 'x'.repeat(2_000_000), task_id: 'bad-1' }));
    expect(huge.status).toBe(413);
    expect(engine.counts()).toEqual(before);
  });
});

describe('quotas', () => {
  it('answers 429 before streaming when the daily tokens or the request rate are used up', async () => {
    await turn({ message: 'spend some tokens', task_id: 'q-0' });
    const before = engine.counts();
    const rpc = (config: object) =>
      engine.client.rpc({ body: { subsystem: 'control', op: 'set_config', config } as never });

    expect((await rpc({ quotas: { tokens_per_day: 1 } })).status).toBe(200);
    const tokens = await engine.client.execute({ body: { message: 'hi', task_id: 'q-1' } });
    expect(tokens.status).toBe(429);
    if (tokens.status === 429) {
      expect(tokens.body.error.code).toBe('QUOTA_EXCEEDED');
    }
    expect((await rpc({ quotas: { requests_per_minute: 1 } })).status).toBe(200);
    const rate = await engine.client.execute({ body: { message: 'hi', task_id: 'q-1' } });
    expect(rate.status).toBe(429);
    if (rate.status === 429) {
      expect(rate.body.error.code).toBe('RATE_LIMITED');
    }
    expect(engine.counts()).toEqual(before);
    expect((await rpc({})).status).toBe(200);
  });
});

describe('replay retention', () => {
  it('forgets a finished turn after ENGINE_REPLAY_TTL_S', async () => {
    const shortLived = await startTestEngine(join(tmp.path, 'ttl'), {
      env: { ENGINE_REPLAY_TTL_S: '0' },
    });
    try {
      const res = await shortLived.client.execute({ body: { message: 'hi', task_id: 'ttl' } });
      if (res.status !== 200) {
        throw new Error(`execute ${res.status}`);
      }
      await collect(res.events);
      await shortLived.runs.drain();
      const replay = await shortLived.client.replayExecution({ query: { task_id: 'ttl' } });
      expect(replay.status).toBe(404);
      const cancel = await shortLived.client.cancelExecution({ params: { task_id: 'ttl' } });
      expect(cancel.status).toBe(404);
    } finally {
      await shortLived.close();
    }
  });
});
