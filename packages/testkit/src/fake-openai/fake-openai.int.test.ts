import OpenAI, { APIError, InternalServerError, RateLimitError } from 'openai';
import { describe, expect } from 'vitest';
import { test } from '../fixtures.js';
import type { FakeOpenAI } from './types.js';

function clientFor(server: FakeOpenAI): OpenAI {
  return new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
}

const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}

describe('fake OpenAI chat completions through the real SDK', () => {
  test('streams text deltas that reassemble, and records the request', async ({ openai }) => {
    openai.script([{ text: 'Sunny and 21 degrees.' }]);
    const stream = await clientFor(openai).chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        deltas.push(choice.delta.content);
      }
      finish = choice?.finish_reason ?? finish;
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe('gpt-test');
    }
    expect(deltas).toEqual(['Sunny ', 'and ', '21 ', 'degrees.']);
    expect(deltas.join('')).toBe('Sunny and 21 degrees.');
    expect(finish).toBe('stop');

    const [request] = openai.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe('Bearer test');
    expect(request?.body).toMatchObject({ model: 'gpt-test', messages, stream: true });
    expect(request?.headers['content-type']).toMatch(/application\/json/);
    expect(openai.remainingTurns()).toBe(0);
  });

  test('streams tool calls whose arguments arrive in fragments', async ({ openai }) => {
    openai.script([
      {
        text: 'Let me check.',
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, argumentChunks: 4 },
          { name: 'get_weather', arguments: '{"city":"Lyon"}', id: 'call_fixed' },
        ],
      },
    ]);
    const runner = clientFor(openai).chat.completions.stream({
      model: 'gpt-test',
      messages,
      tools: [weatherTool],
    });
    const fragments: string[] = [];
    runner.on('chunk', (chunk) => {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.index === 0 && call.function?.arguments) {
          fragments.push(call.function.arguments);
        }
      }
    });
    const completion = await runner.finalChatCompletion();
    const message = completion.choices[0]?.message;
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message?.content).toBe('Let me check.');
    const calls = message?.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(first?.type).toBe('function');
    expect(first?.id).toMatch(/^call_\d+$/);
    if (first?.type !== 'function' || second?.type !== 'function') {
      throw new Error('expected function tool calls');
    }
    expect(first.function.name).toBe('get_weather');
    expect(JSON.parse(first.function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(fragments.length).toBe(4);
    expect(second.id).toBe('call_fixed');
    expect(JSON.parse(second.function.arguments)).toEqual({ city: 'Lyon' });
    expect(openai.requests[0]?.body.tools).toEqual([weatherTool]);
  });

  test('answers non-streaming requests with tool calls and usage', async ({ openai }) => {
    openai.script([{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }]);
    const completion = await clientFor(openai).chat.completions.create({
      model: 'gpt-test',
      messages,
      tools: [weatherTool],
    });
    expect(completion.object).toBe('chat.completion');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      city: 'Paris',
    });
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  test('sends a final usage chunk when include_usage is set', async ({ openai }) => {
    openai.script([
      { text: ['a', 'b'], usage: { prompt_tokens: 7, completion_tokens: 2 } },
      { text: 'no usage' },
    ]);
    const client = clientFor(openai);
    const chunks = [];
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const plain = await client.chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
    });
    for await (const chunk of plain) {
      expect(chunk.usage).toBeUndefined();
    }
  });

  test('surfaces a mid-stream error as an SDK APIError', async ({ openai }) => {
    openai.script([
      {
        text: ['one ', 'two ', 'three ', 'four'],
        errorMidStream: { afterChunks: 2, message: 'upstream overloaded', code: 'overloaded' },
      },
    ]);
    const stream = await clientFor(openai).chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
    });
    const received: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '');
      }
    };
    const error = await consume().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('upstream overloaded');
    expect((error as APIError).code).toBe('overloaded');
    expect(received.join('')).toBe('one two ');
  });

  test('maps a scripted HTTP 429 to RateLimitError', async ({ openai }) => {
    openai.script([{ httpError: { status: 429, headers: { 'retry-after': '1' } } }]);
    const error = await clientFor(openai)
      .chat.completions.create({ model: 'gpt-test', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).type).toBe('rate_limit_error');
    expect((error as RateLimitError).headers.get('retry-after')).toBe('1');
  });

  test('passes a scripted error body through as is', async ({ openai }) => {
    const body = {
      error: {
        message: 'context too long',
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      },
    };
    openai.script([{ httpError: { status: 400, body } }]);
    const error = (await clientFor(openai)
      .chat.completions.create({ model: 'gpt-test', messages })
      .catch((e: unknown) => e)) as APIError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
  });

  test('answers a clear 500 when the script is exhausted', async ({ openai }) => {
    const error = await clientFor(openai)
      .chat.completions.create({ model: 'gpt-test', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).message).toContain('fake-openai: no scripted response left');
  });

  test('waits delayMs before answering', async ({ openai }) => {
    openai.script([{ text: 'late', delayMs: 150 }]);
    const started = performance.now();
    await clientFor(openai).chat.completions.create({ model: 'gpt-test', messages });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('rejects a request without a bearer token, as OpenAI does', async ({ openai }) => {
    const response = await fetch(`${openai.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'invalid_api_key' },
    });
    expect(openai.requests[0]?.authorization).toBeUndefined();
  });
});

describe('fake OpenAI embeddings through the real SDK', () => {
  test('are deterministic, honour dimensions, and decode from the default base64', async ({
    openai,
  }) => {
    const client = clientFor(openai);
    const input = ['the cat sat on the mat', 'a cat on a mat', 'quarterly revenue report'];
    const first = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      dimensions: 64,
    });
    const again = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      dimensions: 64,
    });
    // The SDK asks for base64 unless told otherwise, and decodes it to numbers.
    expect(openai.requests[0]?.body.encoding_format).toBe('base64');
    expect(first.data).toHaveLength(3);
    const vectors = first.data.map((item) => item.embedding);
    for (const vector of vectors) {
      expect(vector).toHaveLength(64);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
    expect(again.data.map((item) => item.embedding)).toEqual(vectors);
    const [cat, cat2, revenue] = vectors as [number[], number[], number[]];
    expect(cosine(cat, cat2)).toBeGreaterThan(cosine(cat, revenue));
    expect(first.usage.prompt_tokens).toBeGreaterThan(0);
    expect(first.model).toBe('text-embedding-3-small');
  });

  test('send the same numbers as floats when asked', async ({ openai }) => {
    const client = clientFor(openai);
    const viaBase64 = await client.embeddings.create({
      model: 'm',
      input: 'hello world',
      dimensions: 16,
    });
    const viaFloat = await client.embeddings.create({
      model: 'm',
      input: 'hello world',
      dimensions: 16,
      encoding_format: 'float',
    });
    expect(viaFloat.data[0]?.embedding).toEqual(viaBase64.data[0]?.embedding);
    const other = await client.embeddings.create({
      model: 'm',
      input: 'hello world',
      encoding_format: 'float',
    });
    expect(other.data[0]?.embedding).toHaveLength(1536);
  });

  test('reject a bad request with the OpenAI error shape', async ({ openai }) => {
    const error = (await clientFor(openai)
      .embeddings.create({ model: 'm', input: [] })
      .catch((e: unknown) => e)) as APIError;
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe('input');
  });
});
