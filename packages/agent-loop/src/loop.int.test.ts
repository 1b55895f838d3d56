import { setTimeout as sleep } from 'node:timers/promises';
import { EngineEvent, ToolDefinition } from '@agentplane/contracts';
import { type FakeOpenAI, test } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import { isLoopTerminal, type LoopEvent } from './events.js';
import { createOpenAiLlm } from './llm/openai.js';
import type { ChatMessage } from './llm/types.js';
import { type AgentLoopOptions, runAgentLoop } from './loop.js';
import { createToolRegistry, type ToolEntry } from './tools.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a test agent.' },
  { role: 'user', content: 'Do the thing.' },
];

/** Records events, checking each one becomes a valid EngineEvent once the host stamps it. */
function recorder() {
  const events: LoopEvent[] = [];
  const emit = async (event: LoopEvent) => {
    const stamped = {
      ...event,
      task_id: 'task_1',
      turn_id: 'turn_1',
      seq: events.length + 1,
      ...(event.event === 'thread.completed' ? { assistant_message_id: 'msg_2' } : {}),
    };
    EngineEvent.parse(stamped);
    events.push(event);
  };
  const named = <N extends LoopEvent['event']>(name: N) =>
    events.filter((e): e is Extract<LoopEvent, { event: N }> => e.event === name);
  return { events, emit, named };
}

type WireMessage = { role: string; content: string; tool_call_id?: string };

/** The `messages` of the fake server's n-th request. */
function sentMessages(openai: FakeOpenAI, n: number): WireMessage[] {
  const sent = openai.requests[n]?.body.messages;
  if (!Array.isArray(sent)) {
    throw new Error(`request ${n} carried no messages`);
  }
  return sent as WireMessage[];
}

function expectOneTerminalLast(events: LoopEvent[]) {
  expect(events.filter(isLoopTerminal)).toHaveLength(1);
  expect(isLoopTerminal(events.at(-1) as LoopEvent)).toBe(true);
}

/** `test.sleep` waits `ms` (honouring its signal unless `stubborn`) and logs when it ran. */
function sleepTool(log: Array<{ id: string; start: number; end: number }>, timeoutMs = 5000) {
  return {
    definition: ToolDefinition.parse({
      name: 'test.sleep',
      description: 'Sleeps',
      kind: 'builtin',
      timeout_ms: timeoutMs,
      input_schema: {
        type: 'object',
        properties: { ms: { type: 'integer', minimum: 0 }, stubborn: { type: 'boolean' } },
        required: ['ms'],
        additionalProperties: false,
      },
    }),
    run: async (input, { signal, toolCallId }) => {
      const start = performance.now();
      await sleep(Number(input.ms), undefined, input.stubborn ? {} : { signal });
      log.push({ id: toolCallId, start, end: performance.now() });
      return { slept: input.ms };
    },
  } satisfies ToolEntry;
}

function setup(openai: FakeOpenAI, overrides: Partial<AgentLoopOptions> = {}) {
  const rec = recorder();
  const log: Array<{ id: string; start: number; end: number }> = [];
  const llm = createOpenAiLlm({ baseURL: openai.baseURL, apiKey: 'sk-test' });
  const run = (extra: Partial<AgentLoopOptions> = {}) =>
    runAgentLoop({
      llm,
      model: 'gpt-test',
      messages,
      tools: createToolRegistry([sleepTool(log)]),
      retryBaseDelayMs: 5,
      emit: rec.emit,
      ...overrides,
      ...extra,
    });
  return { ...rec, log, run };
}

describe('runAgentLoop through the openai SDK and the fake server', () => {
  test('streams text and completes with end_turn and usage', async ({ openai }) => {
    openai.script([
      { text: 'Hello there world', usage: { prompt_tokens: 7, completion_tokens: 3 } },
    ]);
    const { events, run } = setup(openai);
    const result = await run();
    expect(events.map((e) => e.event)).toEqual([
      'text_delta',
      'text_delta',
      'text_delta',
      'usage',
      'thread.completed',
    ]);
    expect(events.filter((e) => e.event === 'text_delta').map((e) => e.text)).toEqual([
      'Hello ',
      'there ',
      'world',
    ]);
    expect(events[3]).toEqual({
      event: 'usage',
      model: 'gpt-test',
      input_tokens: 7,
      output_tokens: 3,
      cache_hit_tokens: 0,
    });
    expect(events.at(-1)).toMatchObject({
      event: 'thread.completed',
      stop_reason: 'end_turn',
      usage: { input_tokens: 7, output_tokens: 3, cache_hit_tokens: 0 },
    });
    expect(result).toMatchObject({ status: 'completed', text: 'Hello there world', modelCalls: 1 });
    expect(result.messages).toEqual([{ role: 'assistant', content: 'Hello there world' }]);
    const body = openai.requests[0]?.body;
    expect(body?.stream).toBe(true);
    expect(body?.stream_options).toEqual({ include_usage: true });
    expect(body?.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({ name: 'test-sleep' }),
      }),
    ]);
  });

  test('runs a tool call, feeds the result back and answers in a second call', async ({
    openai,
  }) => {
    openai.script([
      {
        text: 'Checking.',
        toolCalls: [{ id: 'call_a', name: 'test-sleep', arguments: { ms: 1 } }],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      },
      { text: 'Done sleeping.', usage: { prompt_tokens: 20, completion_tokens: 4 } },
    ]);
    const { events, named, run } = setup(openai);
    const result = await run();
    expect(events.map((e) => e.event)).toEqual([
      'text_delta',
      'usage',
      'tool_call',
      'tool_result',
      'text_delta',
      'text_delta',
      'usage',
      'thread.completed',
    ]);
    expect(named('tool_call')[0]).toEqual({
      event: 'tool_call',
      tool_call_id: 'call_a',
      tool: 'test.sleep',
      arguments: { ms: 1 },
    });
    expect(named('tool_result')[0]).toMatchObject({
      tool_call_id: 'call_a',
      tool: 'test.sleep',
      output: { slept: 1 },
      error: null,
    });
    expect(result.usage).toEqual({ input_tokens: 30, output_tokens: 9, cache_hit_tokens: 0 });
    expect(result.text).toBe('Done sleeping.');
    const second = sentMessages(openai, 1);
    expect(second.slice(2)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'test-sleep', arguments: '{"ms":1}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"slept":1}' },
    ]);
    expect(result.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
  });

  test('runs two calls of one response in parallel and keeps their order', async ({ openai }) => {
    openai.script([
      {
        toolCalls: [
          { id: 'slow', name: 'test-sleep', arguments: { ms: 200 } },
          { id: 'fast', name: 'test-sleep', arguments: { ms: 20 } },
        ],
      },
      { text: 'ok' },
    ]);
    const { named, log, run } = setup(openai);
    await run();
    const slow = log.find((entry) => entry.id === 'slow');
    const fast = log.find((entry) => entry.id === 'fast');
    // fast started before slow ended: they overlapped; and finished first.
    expect(fast?.start).toBeLessThan(slow?.end ?? 0);
    expect(log.map((entry) => entry.id)).toEqual(['fast', 'slow']);
    expect(named('tool_result').map((e) => e.tool_call_id)).toEqual(['slow', 'fast']);
    const toolMessages = sentMessages(openai, 1).filter((m) => m.role === 'tool');
    expect(toolMessages).toMatchObject([{ tool_call_id: 'slow' }, { tool_call_id: 'fast' }]);
  });

  test('bounds parallel calls by toolConcurrency', async ({ openai }) => {
    openai.script([
      {
        toolCalls: [1, 2, 3].map((n) => ({
          id: `c${n}`,
          name: 'test-sleep',
          arguments: { ms: 60 },
        })),
      },
      { text: 'ok' },
    ]);
    const { log, run } = setup(openai);
    await run({ toolConcurrency: 1 });
    const sorted = [...log].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i += 1) {
      expect(sorted[i]?.start).toBeGreaterThanOrEqual((sorted[i - 1]?.end ?? 0) - 1);
    }
  });

  test('gives invalid arguments, unknown tools and bad JSON back to the model', async ({
    openai,
  }) => {
    openai.script([
      {
        toolCalls: [
          { id: 'bad', name: 'test-sleep', arguments: { ms: 'soon' } },
          { id: 'nope', name: 'test-missing', arguments: {} },
          { id: 'json', name: 'test-sleep', arguments: '{"ms": 1' },
        ],
      },
      { text: 'I see the errors.' },
    ]);
    const { named, log, run } = setup(openai);
    const result = await run();
    expect(result.status).toBe('completed');
    expect(log).toEqual([]);
    const results = named('tool_result');
    expect(results.map((e) => e.error?.code)).toEqual(['TOOL_ERROR', 'TOOL_ERROR', 'TOOL_ERROR']);
    expect(results[0]?.error?.message).toMatch(/invalid arguments: \/ms must be integer/);
    expect(results[1]?.error?.message).toBe('unknown tool test.missing');
    expect(results[2]?.error?.message).toMatch(/not a JSON object/);
    expect(named('tool_call')[2]?.arguments).toEqual({});
    const toolMessage = sentMessages(openai, 1).find((m) => m.role === 'tool');
    expect(JSON.parse(toolMessage?.content ?? '')).toMatchObject({ error: { code: 'TOOL_ERROR' } });
  });

  test('times a tool out even when it ignores its signal', async ({ openai }) => {
    openai.script([
      { toolCalls: [{ id: 't', name: 'test-sleep', arguments: { ms: 2000, stubborn: true } }] },
      { text: 'too slow' },
    ]);
    const { named, run } = setup(openai, {
      tools: createToolRegistry([sleepTool([], 100)]),
    });
    const started = performance.now();
    const result = await run();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.status).toBe('completed');
    expect(named('tool_result')[0]?.error).toEqual({
      code: 'TOOL_TIMEOUT',
      message: 'test.sleep timed out after 100 ms',
    });
  });

  test('stops at maxTurns without running the last calls', async ({ openai }) => {
    const call = (id: string) => ({
      toolCalls: [{ id, name: 'test-sleep', arguments: { ms: 1 } }],
    });
    openai.script([call('first'), call('second'), { text: 'never asked' }]);
    const { events, named, log, run } = setup(openai);
    const result = await run({ maxTurns: 2 });
    expect(openai.requests).toHaveLength(2);
    expect(log.map((entry) => entry.id)).toEqual(['first']);
    expect(named('tool_result')[1]?.error?.message).toBe('not run: max_turns (2) reached');
    expect(events.at(-1)).toMatchObject({ event: 'thread.completed', stop_reason: 'max_turns' });
    expect(result.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'second' });
    expectOneTerminalLast(events);
  });

  test('direct: one call without tools', async ({ openai }) => {
    openai.script([{ text: 'direct answer' }]);
    const { events, run } = setup(openai);
    const result = await run({ direct: true, maxTurns: 10 });
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]?.body).not.toHaveProperty('tools');
    expect(result).toMatchObject({ status: 'completed', text: 'direct answer' });
    expectOneTerminalLast(events);
  });

  test('a mid-stream provider error ends with error then one errored terminal', async ({
    openai,
  }) => {
    openai.script([
      {
        text: ['one ', 'two ', 'three'],
        errorMidStream: { afterChunks: 2, message: 'upstream overloaded', code: 'overloaded' },
      },
      { text: 'not used' },
    ]);
    const { events, run } = setup(openai);
    const result = await run();
    expect(events.map((e) => e.event)).toEqual([
      'text_delta',
      'text_delta',
      'error',
      'thread.errored',
    ]);
    expect(events[2]).toMatchObject({ event: 'error', code: 'LLM_ERROR', retriable: false });
    expect(events[3]).toMatchObject({
      event: 'thread.errored',
      code: 'LLM_ERROR',
      retriable: true,
    });
    expect((events[3] as { message: string }).message).toContain('upstream overloaded');
    // Partial text was streamed already: no retry, and the partial reply is handed back.
    expect(openai.requests).toHaveLength(1);
    expect(result.status).toBe('errored');
    expect(result.messages).toEqual([{ role: 'assistant', content: 'one two ' }]);
  });

  test('a 429 before streaming is retried, announced by a retriable error event', async ({
    openai,
  }) => {
    openai.script([
      { httpError: { status: 429, headers: { 'retry-after': '0' } } },
      { text: 'ok' },
    ]);
    const { events, run } = setup(openai);
    const result = await run();
    expect(result.status).toBe('completed');
    expect(events[0]).toMatchObject({ event: 'error', code: 'LLM_RATE_LIMITED', retriable: true });
    expect(events.map((e) => e.event)).toEqual([
      'error',
      'text_delta',
      'usage',
      'thread.completed',
    ]);
  });

  test('a 429 with no retries left errors, retriable', async ({ openai }) => {
    openai.script([{ httpError: { status: 429 } }]);
    const { events, run } = setup(openai);
    const result = await run({ llmRetries: 0 });
    expect(result.status).toBe('errored');
    expect(events.map((e) => e.event)).toEqual(['error', 'thread.errored']);
    expect(events[1]).toMatchObject({ code: 'LLM_RATE_LIMITED', retriable: true });
  });

  test('a 400 is not retried and not retriable', async ({ openai }) => {
    openai.script([{ httpError: { status: 400 } }, { text: 'unused' }]);
    const { events, run } = setup(openai);
    await run();
    expect(openai.requests).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      event: 'thread.errored',
      code: 'LLM_ERROR',
      retriable: false,
    });
  });

  test('a provider that stalls becomes LLM_TIMEOUT, not a hung stream', async ({ openai }) => {
    openai.script([{ text: 'late', delayMs: 1000 }]);
    const { events } = setup(openai);
    const llm = createOpenAiLlm({ baseURL: openai.baseURL, apiKey: 'sk-test', timeoutMs: 100 });
    const rec = recorder();
    const started = performance.now();
    const result = await runAgentLoop({
      llm,
      model: 'gpt-test',
      messages,
      llmRetries: 0,
      emit: rec.emit,
    });
    expect(performance.now() - started).toBeLessThan(950);
    expect(events).toEqual([]);
    expect(result.terminal).toMatchObject({
      event: 'thread.errored',
      code: 'LLM_TIMEOUT',
      retriable: true,
    });
    expectOneTerminalLast(rec.events);
  });

  test('a stream that stalls after it started becomes LLM_TIMEOUT', async ({ openai }) => {
    // The role chunk comes at once, then every chunk waits longer than the time-out.
    openai.script([{ text: ['a ', 'b ', 'c'], chunkDelayMs: 400 }]);
    const llm = createOpenAiLlm({ baseURL: openai.baseURL, apiKey: 'sk-test', timeoutMs: 150 });
    const rec = recorder();
    const result = await runAgentLoop({
      llm,
      model: 'gpt-test',
      messages,
      llmRetries: 0,
      emit: rec.emit,
    });
    expect(rec.events.map((e) => e.event)).toEqual(['error', 'thread.errored']);
    expect(result.terminal).toMatchObject({ code: 'LLM_TIMEOUT', retriable: true });
  });

  test('an abort mid-stream ends with one cancelled terminal and keeps the partial text', async ({
    openai,
  }) => {
    openai.script([{ text: 'a b c d e f g h i j', chunkDelayMs: 50 }]);
    const controller = new AbortController();
    const rec = recorder();
    const emit = async (event: LoopEvent) => {
      await rec.emit(event);
      if (event.event === 'text_delta' && rec.named('text_delta').length === 2) {
        controller.abort('client_disconnect');
      }
    };
    const { run } = setup(openai);
    const result = await run({ signal: controller.signal, emit });
    expect(rec.events.at(-1)).toEqual({ event: 'thread.cancelled', reason: 'client_disconnect' });
    expectOneTerminalLast(rec.events);
    expect(result.status).toBe('cancelled');
    expect(result.messages).toEqual([{ role: 'assistant', content: 'a b ' }]);
  });

  test('an abort while tools run cancels promptly', async ({ openai }) => {
    openai.script([
      { toolCalls: [{ id: 'long', name: 'test-sleep', arguments: { ms: 5000, stubborn: true } }] },
    ]);
    const { events, run } = setup(openai);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const result = await run({ signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.terminal).toEqual({ event: 'thread.cancelled', reason: 'cancel_request' });
    expectOneTerminalLast(events);
    expect(events.some((e) => e.event === 'tool_result')).toBe(false);
  });

  test('a tool needing approval asks first; a denial reaches the model', async ({ openai }) => {
    const ran: string[] = [];
    const gated: ToolEntry = {
      definition: ToolDefinition.parse({
        name: 'test.delete',
        description: 'Deletes',
        kind: 'builtin',
        needs_approval: true,
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
      }),
      run: async (input) => {
        ran.push(String(input.path));
        return 'deleted';
      },
    };
    openai.script([
      {
        toolCalls: [
          { id: 'd1', name: 'test-delete', arguments: { path: '/a' } },
          { id: 'd2', name: 'test-delete', arguments: { path: '/b' } },
        ],
      },
      { text: 'ok' },
    ]);
    const asked: string[] = [];
    const { named, run } = setup(openai, { tools: createToolRegistry([gated]) });
    await run({
      approve: async (request) => {
        asked.push(request.toolCallId);
        return request.arguments.path === '/a'
          ? { approved: true }
          : { approved: false, reason: 'not that one' };
      },
    });
    expect(asked).toEqual(['d1', 'd2']);
    expect(ran).toEqual(['/a']);
    const results = named('tool_result');
    expect(results[0]).toMatchObject({ output: 'deleted', error: null });
    expect(results[1]?.error).toEqual({
      code: 'TOOL_DENIED',
      message: 'permission_denied: not that one',
    });
    const tool = sentMessages(openai, 1).filter((m) => m.role === 'tool');
    expect(JSON.parse(tool[1]?.content ?? '')).toEqual({
      error: 'permission_denied',
      reason: 'not that one',
    });
  });

  test('without an approver, tools needing approval are denied', async ({ openai }) => {
    const gated: ToolEntry = {
      definition: ToolDefinition.parse({
        name: 'test.delete',
        description: 'Deletes',
        kind: 'builtin',
        needs_approval: true,
        input_schema: { type: 'object', properties: {} },
      }),
      run: async () => 'deleted',
    };
    openai.script([{ toolCalls: [{ name: 'test-delete', arguments: {} }] }, { text: 'ok' }]);
    const { named, run } = setup(openai, { tools: createToolRegistry([gated]) });
    await run();
    expect(named('tool_result')[0]?.error?.code).toBe('TOOL_DENIED');
  });

  test('rejects maxTurns outside 1..500 before emitting anything', async ({ openai }) => {
    const { events, run } = setup(openai);
    await expect(run({ maxTurns: 0 })).rejects.toThrow(RangeError);
    await expect(run({ maxTurns: 501 })).rejects.toThrow(RangeError);
    expect(events).toEqual([]);
  });
});
