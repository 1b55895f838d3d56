import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { dataClient, SLOW_PROMPT, startDataFleet } from './tasks/test-data-plane.js';
import { cleanupAfterAll } from './test-orchestrator.js';

// POST /v1/chat/completions (issue 15) through the real OpenAI SDK: baseURL …/v1, apiKey = the
// platform key (sent as Authorization: Bearer). Each call is a task in the /v1 queue, run on the
// user's engine by the process driver (the engine bundle's mock model: `Mock reply to: <prompt>`).

const cleanup = cleanupAfterAll();

function openai(baseUrl: string, apiKey: string) {
  // No retries: a 429 or 409 must reach the test, not be re-sent as a new task.
  return new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });
}

const taskIdOf = (completionId: string) => completionId.replace(/^chatcmpl-/, '');

describe('/v1/chat/completions with the OpenAI SDK', () => {
  it('answers, streams, stops at max_tokens, continues a session, and cancels on disconnect', async (ctx) => {
    const { orch, product } = await startDataFleet(ctx, cleanup, [24900, 24924]);
    const client = openai(orch.baseUrl, product.platformKey);

    const done = await client.chat.completions.create({
      model: 'default',
      user: 'carol',
      messages: [{ role: 'user', content: 'Hello from the SDK' }],
    });
    expect(done.object).toBe('chat.completion');
    expect(done.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Mock reply to: Hello from the SDK',
    });
    expect(done.choices[0]?.finish_reason).toBe('stop');
    expect(done.usage?.completion_tokens).toBeGreaterThan(0);
    expect(done.usage?.total_tokens).toBe(
      (done.usage?.prompt_tokens ?? 0) + (done.usage?.completion_tokens ?? 0),
    );
    // The completion is a task of the queue, run for `user`.
    expect(
      await orch.orchestrator.data.tasks.byId(product.productId, taskIdOf(done.id)),
    ).toMatchObject({ status: 'completed', user_id: 'carol' });

    // Streamed (text parts this time): role first, deltas, finish_reason, usage, [DONE].
    const stream = await client.chat.completions.create({
      model: 'default',
      user: 'carol',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello from the SDK' }] }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Mock reply to: Hello from the SDK');
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    expect(withChoices.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(withChoices.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(withChoices.length - 2);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);

    // max_tokens: the relay stops the turn there; OpenAI calls that `length`.
    const short = await client.chat.completions.create({
      model: 'default',
      user: 'carol',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Tell me a rather long story about queues' }],
      stream: true,
    });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of short) {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        deltas.push(content);
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(deltas).toHaveLength(3);
    expect(finish).toBe('length');
    const capped = await client.chat.completions.create({
      model: 'default',
      user: 'carol',
      max_completion_tokens: 3,
      messages: [{ role: 'user', content: 'Tell me a rather long story about queues' }],
    });
    expect(capped.choices[0]?.finish_reason).toBe('length');
    expect(capped.usage?.completion_tokens).toBe(3);

    // X-Session-Id: the turns share one session (one engine conversation).
    const sessionId = crypto.randomUUID();
    for (const content of ['First turn', 'Second turn']) {
      const turn = await client.chat.completions.create(
        { model: 'default', user: 'carol', messages: [{ role: 'user', content }] },
        { headers: { 'X-Session-Id': sessionId } },
      );
      expect(turn.choices[0]?.message.content).toBe(`Mock reply to: ${content}`);
    }
    const session = await dataClient(orch.baseUrl, product.platformKey).getSession({
      params: { id: sessionId },
    });
    expect(session.status === 200 && session.body.turns).toBe(2);

    // A client that drops its stream cancels the task.
    const slow = await client.chat.completions.create({
      model: 'default',
      user: 'carol',
      messages: [{ role: 'user', content: SLOW_PROMPT }],
      stream: true,
    });
    let slowId = '';
    for await (const chunk of slow) {
      slowId = chunk.id;
      if (chunk.choices[0]?.delta.content) {
        break;
      }
    }
    await vi.waitFor(
      async () => {
        const row = await orch.orchestrator.data.tasks.byId(product.productId, taskIdOf(slowId));
        expect(row?.status).toBe('cancelled');
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('refuses bad input (400), a wrong key (401) and a full queue (429) in OpenAI’s shape', async (ctx) => {
    const { orch, product } = await startDataFleet(ctx, cleanup, [24925, 24949], {
      ORCH_TASK_SLOTS: '1',
      ORCH_QUEUE_CAPACITY: '1',
    });
    const client = openai(orch.baseUrl, product.platformKey);
    const bad = async (body: Record<string, unknown>) => {
      const error = await client.chat.completions
        .create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      return error as InstanceType<typeof OpenAI.BadRequestError>;
    };
    const noMessages = await bad({ model: 'default', user: 'dave', messages: [] });
    expect(noMessages.status).toBe(400);
    expect(noMessages.code).toBe('validation_error');
    expect(noMessages.param).toBe('messages');
    expect(noMessages.message).toContain('at least one message');
    const tool = await bad({
      model: 'default',
      user: 'dave',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
      ],
    });
    expect(tool.param).toBe('messages.1.role');
    expect(tool.message).toContain('role "tool" is not served');
    const image = await bad({
      model: 'default',
      user: 'dave',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
    });
    expect(image.param).toBe('messages.0.content');
    const assistantLast = await bad({
      model: 'default',
      user: 'dave',
      messages: [{ role: 'assistant', content: 'hi' }],
    });
    expect(assistantLast.message).toContain('the last message must be the user’s');
    const noUser = await bad({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    expect(noUser.param).toBe('user');

    const wrongKey = await openai(orch.baseUrl, 'pk-wrong')
      .chat.completions.create({
        model: 'default',
        user: 'dave',
        messages: [{ role: 'user', content: 'hi' }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(wrongKey).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrongKey as InstanceType<typeof OpenAI.APIError>).code).toBe('unauthorized');

    // One slot, room for one queued task: a running one, a queued one, then 429.
    const running = await client.chat.completions.create({
      model: 'default',
      user: 'dave',
      messages: [{ role: 'user', content: SLOW_PROMPT }],
      stream: true,
    });
    const it = running[Symbol.asyncIterator]();
    const first = await it.next();
    const runningId = first.done ? '' : taskIdOf(first.value.id);
    await vi.waitFor(
      async () => {
        const row = await orch.orchestrator.data.tasks.byId(product.productId, runningId);
        expect(row?.status).toBe('running');
      },
      { timeout: 10_000, interval: 50 },
    );
    const queuedCall = new AbortController();
    const queued = client.chat.completions
      .create(
        { model: 'default', user: 'dave', messages: [{ role: 'user', content: 'queued' }] },
        { signal: queuedCall.signal },
      )
      .catch((e: unknown) => e);
    await vi.waitFor(
      async () => expect(await orch.orchestrator.data.tasks.depths()).not.toEqual([]),
      { timeout: 10_000, interval: 50 },
    );
    const full = await client.chat.completions
      .create({ model: 'default', user: 'dave', messages: [{ role: 'user', content: 'full' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(full).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = full as InstanceType<typeof OpenAI.RateLimitError>;
    expect(limited.code).toBe('admission_reject');
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    queuedCall.abort();
    await queued;
    await it.return?.();
  });
});
