import { describe, expect, test } from 'vitest';
import { selectLlm } from './select.js';

const secret = 'sk-very-secret-value';

describe('selectLlm', () => {
  test.each([
    [{}, 'mock', 'mock'],
    [{ OPENAI_API_KEY: secret }, 'openai', 'https://api.openai.com/v1'],
    [{ ANTHROPIC_API_KEY: secret }, 'anthropic', 'https://api.anthropic.com/v1/'],
    [
      { GEMINI_API_KEY: secret },
      'gemini',
      'https://generativelanguage.googleapis.com/v1beta/openai/',
    ],
    [
      { LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_API_KEY: secret, OPENAI_API_KEY: secret },
      'custom',
      'http://127.0.0.1:11434/v1',
    ],
    [
      { OPENAI_API_KEY: '  ', GEMINI_API_KEY: secret },
      'gemini',
      'https://generativelanguage.googleapis.com/v1beta/openai/',
    ],
  ])('%j → %s', (env, provider, baseURL) => {
    const selected = selectLlm(env);
    expect(selected.provider).toBe(provider);
    expect(selected.baseURL).toBe(baseURL);
    expect(
      JSON.stringify({ provider: selected.provider, baseURL: selected.baseURL }),
    ).not.toContain(secret);
  });

  test('OPENAI_API_KEY wins over the other vendors', () => {
    expect(
      selectLlm({ GEMINI_API_KEY: 'g', ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' }).provider,
    ).toBe('openai');
  });

  test('strips credentials from a custom base URL', () => {
    const selected = selectLlm({ LLM_BASE_URL: `https://user:${secret}@llm.example.com/v1` });
    expect(selected.baseURL).toBe('https://llm.example.com/v1');
  });

  test('the model `mock` is answered by the mock whatever the provider', async () => {
    // The base URL is unroutable: a request that reached the network would fail.
    const { client } = selectLlm({ LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_API_KEY: 'k' });
    const text: string[] = [];
    for await (const chunk of client.stream({
      model: 'mock',
      messages: [{ role: 'user', content: 'hi' }],
      signal: new AbortController().signal,
    })) {
      if (chunk.type === 'text') {
        text.push(chunk.text);
      }
    }
    expect(text.join('')).toBe('Mock reply to: hi');
  });
});
