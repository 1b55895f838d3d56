import { createMockLlm, createOpenAiLlm } from '@agentplane/agent-loop';
import { test } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import { aiCompleteTool } from './ai-complete-tool.js';

const ctx = () => ({
  agentId: 'agt_0000000000aa',
  stepId: '1',
  toolCallId: 'call_1',
  signal: new AbortController().signal,
});

describe('ai.complete', () => {
  test("collects the mock model's streamed text", async () => {
    const tool = aiCompleteTool({ client: createMockLlm(), model: 'mock', timeoutMs: 10_000 });
    const result = (await tool.run({ prompt: 'Say something about tools' }, ctx())) as {
      text: string;
      model: string;
    };
    expect(result.model).toBe('mock');
    expect(result.text.length).toBeGreaterThan(0);
  });

  test('sends system + prompt to an OpenAI-compatible server and returns its text and usage', async ({
    openai,
  }) => {
    openai.script([
      {
        text: 'The answer is 42.',
        usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 },
      },
    ]);
    const client = createOpenAiLlm({ baseURL: openai.baseURL, apiKey: 'test-key' });
    const tool = aiCompleteTool({ client, model: 'gpt-test', timeoutMs: 10_000 });
    const result = await tool.run({ prompt: 'What is the answer?', system: 'Be brief.' }, ctx());
    expect(result).toMatchObject({
      model: 'gpt-test',
      text: 'The answer is 42.',
      finish_reason: 'stop',
      truncated: false,
    });
    const body = openai.requests.at(-1)?.body as {
      model: string;
      messages: unknown[];
      tools?: unknown;
    };
    expect(body.model).toBe('gpt-test');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the answer?' },
    ]);
    expect(body.tools).toBeUndefined();
  });

  test('max_tokens cuts the text; a provider error is UPSTREAM_ERROR', async ({ openai }) => {
    openai.script([
      { text: 'one two three four five six seven eight nine ten' },
      { httpError: { status: 400 } },
    ]);
    const tool = aiCompleteTool({
      client: createOpenAiLlm({ baseURL: openai.baseURL, apiKey: 'k' }),
      model: 'm',
      timeoutMs: 10_000,
    });
    const cut = await tool.run({ prompt: 'count', max_tokens: 2 }, ctx());
    expect(cut).toMatchObject({ text: 'one two ', truncated: true, finish_reason: 'length' });
    await expect(tool.run({ prompt: 'fail' }, ctx())).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
  });
});
