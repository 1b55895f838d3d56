import { describe, expect, test } from 'vitest';
import { createMockLlm } from './llm/mock.js';
import type { ChatMessage } from './llm/types.js';
import { runAgentLoop } from './loop.js';
import { createToolRegistry } from './tools.js';
import type { ModelResponse, TurnRecord } from './turn-hooks.js';

function countingTool() {
  const calls: string[] = [];
  const tools = createToolRegistry([
    {
      definition: {
        name: 'notes.add',
        description: 'Adds a note',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
        kind: 'builtin',
        needs_approval: false,
        timeout_ms: 1000,
      },
      run: async (input, ctx) => {
        calls.push(ctx.toolCallId);
        return { added: input.text };
      },
    },
  ]);
  return { calls, tools };
}

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];

describe('turn hooks', () => {
  test('each turn reports start, model response and end, in order, with its messages', async () => {
    const { tools } = countingTool();
    const seen: string[] = [];
    const records: TurnRecord[] = [];
    const result = await runAgentLoop({
      llm: createMockLlm(),
      model: 'mock',
      messages: user('use notes.add milk #mock-steps=3'),
      tools,
      emit: () => {},
      hooks: {
        turnStart: (turn) => {
          seen.push(`start ${turn}`);
        },
        modelResponse: (turn, response) => {
          seen.push(`model ${turn} ${response.toolCalls.length}`);
        },
        turnEnd: (record) => {
          seen.push(`end ${record.turn}`);
          records.push(record);
        },
      },
    });
    expect(result.status).toBe('completed');
    expect(seen).toEqual([
      'start 1',
      'model 1 1',
      'end 1',
      'start 2',
      'model 2 1',
      'end 2',
      'start 3',
      'model 3 0',
      'end 3',
    ]);
    expect(records[0]?.messages.map((m) => m.role)).toEqual(['assistant', 'tool']);
    expect(records[0]?.toolResults[0]?.output).toEqual({ added: 'milk #mock-steps=3' });
    expect(records.flatMap((r) => r.messages)).toEqual(result.messages);
  });

  test('resumeWith runs the known response’s tool calls without calling the model again', async () => {
    const { calls, tools } = countingTool();
    const known: ModelResponse = {
      text: 'Calling notes.add.',
      toolCalls: [{ id: 'call_known_0', name: 'notes.add', arguments: '{"text":"x"}' }],
      usage: { input_tokens: 1, output_tokens: 1, cache_hit_tokens: 0 },
    };
    const result = await runAgentLoop({
      llm: createMockLlm(),
      model: 'mock',
      messages: user('use notes.add x'),
      tools,
      emit: () => {},
      resumeWith: known,
    });
    expect(calls).toEqual(['call_known_0']);
    expect(result.modelCalls).toBe(1);
    expect(result.text).toMatch(/^Tool results: notes.add returned/);
  });

  test('a hook that throws ends the run with INTERNAL_ERROR', async () => {
    const result = await runAgentLoop({
      llm: createMockLlm(),
      model: 'mock',
      messages: user('hello'),
      emit: () => {},
      hooks: {
        turnEnd: () => {
          throw new Error('checkpoint failed');
        },
      },
    });
    expect(result.terminal).toMatchObject({ event: 'thread.errored', code: 'INTERNAL_ERROR' });
  });
});
