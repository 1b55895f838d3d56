import { join } from 'node:path';
import { createToolRegistry } from '@agentplane/agent-loop';
import { type EngineEvent, EngineEvent as EngineEventSchema } from '@agentplane/contracts';
import { createTmpDir, type FakeOpenAI, startFakeOpenAI, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startTestEngine, type TestEngine, terminalOf, textOf } from '../test-engine.js';

let tmp: TmpDir;
let fake: FakeOpenAI;
/** The fake OpenAI server behind the real `openai` SDK. */
let viaSdk: TestEngine;
/** No LLM variables: the built-in mock model; an `echo.say` tool injected. */
let keyless: TestEngine;

let echoRuns = 0;
const SLOW = 'please answer slowly with quite a few words so the stream lasts a while #mock-slow';

function checkFraming(events: readonly EngineEvent[], taskId: string): void {
  expect(events[0]?.event).toBe('thread.started');
  terminalOf(events);
  let last = 0;
  for (const event of events) {
    // The client already parsed each event; parse again to prove the exact contract shape.
    expect(EngineEventSchema.parse(event)).toEqual(event);
    expect(event.task_id).toBe(taskId);
    expect(event.turn_id).toBe(events[0]?.turn_id);
    expect(event.seq).toBeGreaterThan(last);
    last = event.seq;
  }
  expect(events[0]?.seq).toBe(1);
}

async function execute(engine: TestEngine, body: Record<string, unknown>, signal?: AbortSignal) {
  const res = await engine.client.execute(
    { body: body as never },
    signal === undefined ? {} : { signal },
  );
  if (res.status !== 200) {
    throw new Error(`execute: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res;
}

beforeAll(async () => {
  tmp = await createTmpDir('engine-execute-');
  fake = await startFakeOpenAI();
  viaSdk = await startTestEngine(join(tmp.path, 'sdk'), {
    env: { LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'sk-fake' },
    gateway: { models: { default: 'gpt-test' } },
  });
  const echo = createToolRegistry([
    {
      definition: {
        name: 'echo.say',
        description: 'Echoes its text',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
        kind: 'builtin',
        needs_approval: false,
        timeout_ms: 1000,
      },
      run: async (input) => {
        echoRuns += 1;
        return { echoed: input.text };
      },
    },
  ]);
  keyless = await startTestEngine(join(tmp.path, 'mock'), {
    runs: { tools: () => echo, heartbeatMs: 20 },
  });
});

afterAll(async () => {
  await Promise.all([viaSdk?.close(), keyless?.close()]);
  await fake?.close();
  await tmp?.remove();
});

describe('POST /execute through the openai SDK', () => {
  it('streams text: started first, one terminal last, seq increasing; the turn is stored', async () => {
    fake.script([
      { text: 'Hello from the fake model', usage: { prompt_tokens: 30, completion_tokens: 5 } },
    ]);
    const res = await execute(viaSdk, { message: 'hi there', task_id: 'sdk-text' });
    const events = await collect(res.events);
    checkFraming(events, 'sdk-text');
    expect(textOf(events)).toBe('Hello from the fake model');
    const started = events[0];
    const done = events.at(-1);
    if (started?.event !== 'thread.started' || done?.event !== 'thread.completed') {
      throw new Error('unexpected ends');
    }
    expect(started.model).toBe('gpt-test');
    expect(started.agent).toBe('researcher');
    expect(done.usage.input_tokens).toBe(30);
    // The request carried the soul + agent system prompt and the user message.
    const sent = fake.requests.at(-1)?.body.messages as Array<{ role: string; content: string }>;
    expect(sent[0]?.role).toBe('system');
    expect(sent[0]?.content).toContain('Plane');
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'hi there' });

    const stored = viaSdk.engine.conversations?.listMessages('sdk-text') ?? [];
    expect(stored.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'hi there', 'complete'],
      ['assistant', 'Hello from the fake model', 'complete'],
    ]);
    expect(stored[0]?.id).toBe(started.user_message_id);
    expect(stored[1]?.id).toBe(done.assistant_message_id);
    expect(viaSdk.counts().llm_usage).toBe(1);

    const metrics = await fetch(`${viaSdk.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/engine_execute_total\{status="completed"\} [1-9]/);
    expect(metrics).toContain('engine_time_to_first_event_seconds_count');
    expect(metrics).toContain('engine_time_to_first_token_seconds_count');
    expect(metrics).toMatch(/engine_tokens_total\{kind="input"\} 30/);
  });

  it('turns a provider error mid-stream into an error event and one terminal; keeps the partial text', async () => {
    fake.script([
      {
        text: ['Partial ', 'answer ', 'that ', 'breaks'],
        errorMidStream: { afterChunks: 2, message: 'upstream exploded' },
      },
    ]);
    const res = await execute(viaSdk, { message: 'break please', task_id: 'sdk-error' });
    const events = await collect(res.events);
    checkFraming(events, 'sdk-error');
    const names = events.map((e) => e.event);
    expect(names).toContain('error');
    expect(names.at(-1)).toBe('thread.errored');
    expect(names.indexOf('error')).toBe(names.length - 2);
    const stored = viaSdk.engine.conversations?.listMessages('sdk-error') ?? [];
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[1]?.status).toBe('errored');
    expect(stored[1]?.content).toBe(textOf(events));
  });
});

describe('POST /execute with the keyless mock model', () => {
  it('ends a turn that reaches ENGINE_MAX_EVENTS_PER_TURN with EVENT_LIMIT, keeping its output', async () => {
    const capped = await startTestEngine(join(tmp.path, 'capped'), {
      env: { ENGINE_MAX_EVENTS_PER_TURN: '12' },
    });
    try {
      const res = await execute(capped, { message: SLOW, task_id: 'capped' });
      const events = await collect(res.events);
      checkFraming(events, 'capped');
      expect(events).toHaveLength(12);
      expect(events.at(-1)).toMatchObject({
        event: 'thread.errored',
        code: 'EVENT_LIMIT',
        retriable: false,
      });
      const stored = capped.engine.conversations?.listMessages('capped') ?? [];
      expect(stored.map((m) => [m.role, m.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'errored'],
      ]);
      expect(stored[1]?.content).toBe(textOf(events));
      // The replay holds the same capped turn, nothing more.
      const replay = await capped.client.replayExecution({ query: { task_id: 'capped' } });
      expect(replay.status === 200 && (await collect(replay.events)).length).toBe(12);
    } finally {
      await capped.close();
    }
  });

  it('streams, runs an injected tool, and stores the call', async () => {
    const res = await execute(keyless, { message: 'use echo.say ping', task_id: 'mock-tool' });
    const events = await collect(res.events);
    checkFraming(events, 'mock-tool');
    const call = events.find((e) => e.event === 'tool_call');
    const result = events.find((e) => e.event === 'tool_result');
    expect(call).toMatchObject({ tool: 'echo.say', arguments: { text: 'ping' } });
    expect(result).toMatchObject({ tool: 'echo.say', output: { echoed: 'ping' }, error: null });
    expect(textOf(events)).toContain('Tool results: echo.say returned');
    const stored = keyless.engine.conversations?.listMessages('mock-tool') ?? [];
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(stored[1]?.toolCalls[0]).toMatchObject({
      name: 'echo.say',
      status: 'ok',
      result: { echoed: 'ping' },
    });
    const metrics = await fetch(`${keyless.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('engine_tool_duration_seconds_count{tool="echo.say"} 1');
  });

  it('a retry reuses the recorded result of the same tool call id instead of running it again', async () => {
    const first = await execute(keyless, { message: 'use echo.say once', task_id: 'reuse' });
    const events = await collect(first.events);
    const done = events.at(-1);
    if (done?.event !== 'thread.completed') {
      throw new Error(`unexpected end ${done?.event}`);
    }
    const runsBefore = echoRuns;
    const retry = await execute(keyless, {
      message: 'ignored',
      task_id: 'reuse',
      retry_message_id: done.assistant_message_id,
    });
    const again = await collect(retry.events);
    const call = (list: typeof events) => list.find((e) => e.event === 'tool_call');
    const result = (list: typeof events) => list.find((e) => e.event === 'tool_result');
    expect(call(again)).toMatchObject({
      tool_call_id: (call(events) as { tool_call_id: string }).tool_call_id,
    });
    expect(result(again)).toMatchObject({ output: { echoed: 'once' }, error: null });
    expect(echoRuns).toBe(runsBefore);
  });

  it('answers 409 for a busy task_id, cancels on request, and 404 for an unknown task', async () => {
    const first = await execute(keyless, { message: SLOW, task_id: 'busy' });
    const iterator = first.events[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.event).toBe('thread.started');

    const second = await keyless.client.execute({ body: { message: 'again', task_id: 'busy' } });
    expect(second.status).toBe(409);
    if (second.status === 409) {
      expect(second.body.error.code).toBe('TASK_BUSY');
    }
    await new Promise((resolve) => setTimeout(resolve, 80));
    const cancel = await keyless.client.cancelExecution({ params: { task_id: 'busy' } });
    expect(cancel).toMatchObject({ status: 200, body: { task_id: 'busy', status: 'cancelling' } });
    const rest: EngineEvent[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest.push(next.value);
    }
    expect(rest.at(-1)).toMatchObject({ event: 'thread.cancelled', reason: 'cancel_request' });
    // Heartbeat events (every 20 ms here) flow while the turn runs, never after its end.
    expect(rest.filter((e) => e.event === 'heartbeat').length).toBeGreaterThan(0);
    terminalOf(rest);

    const again = await keyless.client.cancelExecution({ params: { task_id: 'busy' } });
    expect(again).toMatchObject({ status: 200, body: { status: 'already_finished' } });
    const unknown = await keyless.client.cancelExecution({ params: { task_id: 'never-ran' } });
    expect(unknown.status).toBe(404);
    const stored = keyless.engine.conversations?.listMessages('busy') ?? [];
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'interrupted'],
    ]);
  });

  it('multitask reject: 409 while another turn of the conversation runs', async () => {
    const first = await execute(keyless, {
      message: SLOW,
      task_id: 'rej-1',
      conversation_id: 'rej',
    });
    const iterator = first.events[Symbol.asyncIterator]();
    await iterator.next();
    const before = keyless.counts();
    const second = await keyless.client.execute({
      body: { message: 'next', task_id: 'rej-2', conversation_id: 'rej' },
    });
    expect(second.status).toBe(409);
    expect(keyless.counts()).toEqual(before);
    await keyless.client.cancelExecution({ params: { task_id: 'rej-1' } });
    await iterator.return?.();
  });

  it('multitask enqueue: the second turn starts after the first ends and sees its history', async () => {
    const order: string[] = [];
    const track = async (name: string, events: AsyncIterable<EngineEvent>) => {
      const all = await collect(events, (e) => {
        order.push(`${name}:${e.event}`);
        return false;
      });
      order.push(`${name}:${all.at(-1)?.event}`);
      return all;
    };
    const first = await execute(keyless, {
      message: 'first #mock-slow one two',
      task_id: 'enq-1',
      conversation_id: 'enq',
    });
    const firstDone = track('a', first.events);
    const second = await execute(keyless, {
      message: 'second question',
      task_id: 'enq-2',
      conversation_id: 'enq',
      multitask_strategy: 'enqueue',
    });
    const [a, b] = await Promise.all([firstDone, track('b', second.events)]);
    checkFraming(a, 'enq-1');
    checkFraming(b, 'enq-2');
    expect(order.indexOf('b:thread.started')).toBeGreaterThan(order.indexOf('a:thread.completed'));
    const stored = keyless.engine.conversations?.listMessages('enq') ?? [];
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(stored[2]?.content).toBe('second question');
  });

  it('multitask interrupt: the running turn ends cancelled (interrupted), its partial text kept', async () => {
    const first = await execute(keyless, {
      message: SLOW,
      task_id: 'int-1',
      conversation_id: 'int',
    });
    const firstEvents = collect(first.events);
    // Let some text stream first.
    while ((keyless.runs.find('int-1')?.size ?? 0) < 4) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const second = await execute(keyless, {
      message: 'new direction',
      task_id: 'int-2',
      conversation_id: 'int',
      multitask_strategy: 'interrupt',
    });
    const [a, b] = await Promise.all([firstEvents, collect(second.events)]);
    expect(a.at(-1)).toMatchObject({ event: 'thread.cancelled', reason: 'interrupted' });
    expect(b.at(-1)?.event).toBe('thread.completed');
    const stored = keyless.engine.conversations?.listMessages('int') ?? [];
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'interrupted'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(stored[1]?.content).toBe(textOf(a));
    expect(textOf(a).length).toBeGreaterThan(0);
  });

  it('replays the missed events after a disconnect, then follows live to the terminal', async () => {
    const controller = new AbortController();
    const res = await execute(keyless, { message: SLOW, task_id: 'replay' }, controller.signal);
    const seen = await collect(
      res.events,
      (_e, all) => all.filter((x) => x.event === 'text_delta').length >= 3,
    );
    const lastId = res.lastEventId();
    controller.abort();
    expect(lastId).toBe(String(seen.at(-1)?.seq));

    const replay = await keyless.client.replayExecution(
      { query: { task_id: 'replay' } },
      { lastEventId: lastId as string },
    );
    if (replay.status !== 200) {
      throw new Error(`replay ${replay.status}`);
    }
    const rest = await collect(replay.events);
    // Heartbeats are not replayed, so the first replayed seq may skip some.
    expect(rest[0]?.seq).toBeGreaterThan(Number(lastId));
    expect(rest.at(-1)?.event).toBe('thread.completed');
    expect(rest.some((e) => e.event === 'heartbeat')).toBe(false);
    const all = [...seen, ...rest];
    checkFraming(
      all.filter((e) => e.event !== 'heartbeat'),
      'replay',
    );
    expect(textOf(all)).toMatch(/^Mock reply to: please answer slowly/);

    // After the end: everything again from `after=0`, and a turn_id of another task is a 404.
    const full = await keyless.client.replayExecution({ query: { task_id: 'replay', after: '0' } });
    if (full.status !== 200) {
      throw new Error(`replay ${full.status}`);
    }
    const again = await collect(full.events);
    expect(textOf(again)).toBe(textOf(all));
    const missing = await keyless.client.replayExecution({ query: { task_id: 'nope' } });
    expect(missing.status).toBe(404);
  });

  it('on_disconnect cancel: a dropped client cancels the turn (client_disconnect)', async () => {
    const controller = new AbortController();
    const res = await execute(
      keyless,
      { message: SLOW, task_id: 'drop', on_disconnect: 'cancel' },
      controller.signal,
    );
    await collect(res.events, (e) => e.event === 'text_delta');
    controller.abort();
    const replay = await keyless.client.replayExecution({ query: { task_id: 'drop' } });
    if (replay.status !== 200) {
      throw new Error(`replay ${replay.status}`);
    }
    const events = await collect(replay.events);
    expect(events.at(-1)).toMatchObject({ event: 'thread.cancelled', reason: 'client_disconnect' });
  });
});
