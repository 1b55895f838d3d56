import { ToolDefinition } from '@agentplane/contracts';
import { describe, expect, test } from 'vitest';
import type { LoopEvent } from '../events.js';
import { runAgentLoop } from '../loop.js';
import { createToolRegistry, toolSpecs } from '../tools.js';
import { createMockLlm } from './mock.js';
import type { ChatMessage, LlmChunk, LlmRequest } from './types.js';

const searchTool = {
  definition: ToolDefinition.parse({
    name: 'memory.search',
    description: 'Search memory',
    kind: 'builtin',
    input_schema: {
      type: 'object',
      properties: { query: { type: 'string', minLength: 1 }, top_k: { type: 'integer' } },
      required: ['query'],
    },
  }),
  run: async (input: Record<string, unknown>) => ({ hits: [`note about ${String(input.query)}`] }),
};

async function collect(req: Omit<LlmRequest, 'signal'>): Promise<LlmChunk[]> {
  const chunks: LlmChunk[] = [];
  for await (const chunk of createMockLlm().stream({
    ...req,
    signal: new AbortController().signal,
  })) {
    chunks.push(chunk);
  }
  return chunks;
}

const user = (content: string): ChatMessage[] => [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content },
];

async function runWith(content: string, direct = false) {
  const events: LoopEvent[] = [];
  const result = await runAgentLoop({
    llm: createMockLlm(),
    model: 'mock',
    messages: user(content),
    tools: createToolRegistry([searchTool]),
    direct,
    emit: (event) => {
      events.push(event);
    },
  });
  return { events, result };
}

describe('the mock model', () => {
  test('streams the same reply, word by word, for the same input', async () => {
    const req = { model: 'mock', messages: user('hello there, how are you') };
    const first = await collect(req);
    expect(await collect(req)).toEqual(first);
    const text = first.flatMap((c) => (c.type === 'text' ? [c.text] : []));
    expect(text.join('')).toBe('Mock reply to: hello there, how are you');
    expect(text.length).toBeGreaterThan(3);
    expect(first.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      // input: 2 system words + 5 user words; cached: the system words; output: the reply words.
      { type: 'usage', usage: { input_tokens: 7, output_tokens: 8, cache_hit_tokens: 2 } },
    ]);
  });

  test('thinks first when a reasoning effort is asked for', async () => {
    const chunks = await collect({
      model: 'mock',
      messages: user('plan a trip'),
      reasoningEffort: 'high',
    });
    expect(chunks[0]).toEqual({ type: 'thinking', text: 'Thinking (high) about: plan a trip' });
  });

  test('`use <tool> …` calls the tool through the loop, then reports the result', async () => {
    const { events, result } = await runWith('please use memory.search favourite colour');
    const call = events.find((e) => e.event === 'tool_call');
    expect(call).toMatchObject({ tool: 'memory.search', arguments: { query: 'favourite colour' } });
    expect(call && 'tool_call_id' in call && call.tool_call_id).toMatch(
      /^call_mock_[0-9a-f]{12}_0$/,
    );
    expect(events.find((e) => e.event === 'tool_result')).toMatchObject({
      output: { hits: ['note about favourite colour'] },
      error: null,
    });
    expect(result.status).toBe('completed');
    expect(result.modelCalls).toBe(2);
    expect(result.text).toBe(
      'Tool results: memory.search returned {"hits":["note about favourite colour"]}.',
    );
    // Same conversation → same tool call ids.
    const again = await runWith('please use memory.search favourite colour');
    expect(again.result.messages).toEqual(result.messages);
  });

  test('a JSON directive calls the tool with its arguments; several run in one response', async () => {
    const { events } = await runWith(
      'Do {"tool": "memory.search", "arguments": {"query": "cats", "top_k": 2}} and ' +
        '{"tool": "memory.search", "arguments": {"query": "dogs"}}',
    );
    const calls = events.filter((e) => e.event === 'tool_call');
    expect(calls.map((e) => e.arguments)).toEqual([{ query: 'cats', top_k: 2 }, { query: 'dogs' }]);
    expect(events.filter((e) => e.event === 'tool_result')).toHaveLength(2);
  });

  test('calls no tool when none is offered (direct)', async () => {
    const { events, result } = await runWith('use memory.search cats', true);
    expect(events.some((e) => e.event === 'tool_call')).toBe(false);
    expect(result.text).toBe('Mock reply to: use memory.search cats');
  });

  test('ignores tools it is not offered', async () => {
    const chunks = await collect({
      model: 'mock',
      messages: user('use files.delete everything'),
      tools: toolSpecs(createToolRegistry([searchTool])),
    });
    expect(chunks.some((c) => c.type === 'tool_call')).toBe(false);
  });

  test('#mock-error fails mid-stream; the loop ends errored, once', async () => {
    const { events, result } = await runWith('this will break #mock-error');
    expect(events.filter((e) => e.event === 'text_delta').length).toBeGreaterThan(0);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['error', 'thread.errored']);
    expect(result.terminal).toMatchObject({ code: 'LLM_ERROR', retriable: true });
  });

  test('stops on abort', async () => {
    const controller = new AbortController();
    const events: LoopEvent[] = [];
    const result = await runAgentLoop({
      llm: createMockLlm({ tokenDelayMs: 20 }),
      model: 'mock',
      messages: user('one two three four five six seven eight nine ten'),
      signal: controller.signal,
      emit: (event) => {
        events.push(event);
        if (event.event === 'text_delta') {
          controller.abort('shutdown');
        }
      },
    });
    expect(result.terminal).toEqual({ event: 'thread.cancelled', reason: 'shutdown' });
    expect(events.filter((e) => e.event === 'text_delta')).toHaveLength(1);
  });
});
