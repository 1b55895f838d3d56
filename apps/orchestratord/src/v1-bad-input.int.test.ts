import { describe, expect, it } from 'vitest';
import { SLOW_PROMPT, startDataFleet, taskBody } from './tasks/test-data-plane.js';
import { cleanupAfterAll } from './test-orchestrator.js';

// Bad input on every /v1 route (issue 15): a 4xx in llama-orch's flat envelope, and nothing
// enqueued. Sent with fetch, so the bodies can be what a typed client would never send.

const cleanup = cleanupAfterAll();

describe('/v1 bad input', () => {
  it('answers 4xx with the envelope and enqueues nothing', async (ctx) => {
    const { orch, product, api } = await startDataFleet(ctx, cleanup, [25150, 25199], {
      ORCH_TASK_SLOTS: '1',
    });
    const key = { 'x-platform-key': product.platformKey };
    const send = async (method: string, path: string, body?: unknown, headers = {}) => {
      const res = await fetch(`${orch.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...key, ...headers },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text), res };
    };
    const ids: string[] = [];
    const task = (over: Record<string, unknown>) => {
      const t = taskBody({ user_id: 'u1', ...over });
      ids.push(t.task_id);
      return t;
    };
    const cases: [string, unknown, number, string][] = [
      ['ctx of the wrong type', task({ ctx: 'big' }), 400, 'INVALID_PARAMS'],
      ['an unknown priority', task({ priority: 'urgent' }), 400, 'INVALID_PARAMS'],
      ['a negative ctx', task({ ctx: -1 }), 400, 'INVALID_PARAMS'],
      ['ctx 0 and max_tokens 0 (the pact)', task({ ctx: 0, max_tokens: 0 }), 400, 'INVALID_PARAMS'],
      ['an oversized prompt', task({ prompt: 'x'.repeat(100_001) }), 400, 'INVALID_PARAMS'],
      ['a task_id that is no uuid', { ...task({}), task_id: 'not-a-uuid' }, 400, 'INVALID_PARAMS'],
      ['an unknown pool', task({ placement: { pin_pool_id: 'nowhere' } }), 400, 'INVALID_PARAMS'],
      ['an unknown model_ref', task({ model_ref: 'sha256:abc' }), 400, 'INVALID_PARAMS'],
      ['an embedding workload', task({ workload: 'embedding' }), 400, 'INVALID_PARAMS'],
      ['an empty prompt', task({ prompt: '' }), 400, 'INVALID_PARAMS'],
      ['empty inputs', task({ prompt: undefined, inputs: [] }), 400, 'INVALID_PARAMS'],
      ['a digest prefix under 3 hex', task({ model_ref: 'sha256:ab' }), 400, 'INVALID_PARAMS'],
      ['malformed JSON', '{"task_id": ', 400, 'INVALID_PARAMS'],
      ['an empty body', '', 400, 'INVALID_PARAMS'],
      ['an array', '[]', 400, 'INVALID_PARAMS'],
    ];
    for (const [what, body, status, code] of cases) {
      const r = await send('POST', '/v1/tasks', body);
      expect([what, r.status, r.body?.code]).toEqual([what, status, code]);
      expect(r.body?.correlation_id, what).toBe(r.res.headers.get('x-correlation-id'));
    }
    const plain = await send('POST', '/v1/tasks', 'hello', { 'content-type': 'text/plain' });
    expect([plain.status, plain.body?.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const huge = await send('POST', '/v1/tasks', task({ inputs: ['y'.repeat(3_000_000)] }));
    expect([huge.status, huge.body?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const noKey = await send('POST', '/v1/tasks', task({}), { 'x-platform-key': '' });
    expect([noKey.status, noKey.body?.code]).toEqual([401, 'UNAUTHORIZED']);
    const badKey = await send('POST', '/v1/tasks', task({}), { 'x-platform-key': 'pk-wrong' });
    expect([badKey.status, badKey.body?.code]).toEqual([401, 'UNAUTHORIZED']);

    // An infeasible deadline: one task running, one queued → the next starts in ~1 s, not 1 ms.
    for (const t of [task({ prompt: SLOW_PROMPT }), task({})]) {
      expect((await api.createTask({ body: t })).status).toBe(202);
    }
    ids.splice(-2);
    const late = await send('POST', '/v1/tasks', task({ deadline_ms: 1 }));
    expect([late.status, late.body?.code]).toEqual([400, 'DEADLINE_UNMET']);

    for (const [method, path] of [
      ['GET', '/v1/tasks/not-a-uuid/stream'],
      ['POST', '/v1/tasks/not-a-uuid/cancel'],
      ['DELETE', '/v1/tasks/not-a-uuid'],
      ['GET', '/v1/sessions/not-a-uuid'],
      ['DELETE', '/v1/sessions/not-a-uuid'],
      ['GET', '/v1/tasks/%zz/stream'],
    ] as const) {
      const r = await send(method, path);
      expect([method, path, r.status, r.body?.code]).toEqual([method, path, 400, 'INVALID_PARAMS']);
    }
    const stranger = crypto.randomUUID();
    for (const [method, path] of [
      ['GET', `/v1/tasks/${stranger}/stream`],
      ['POST', `/v1/tasks/${stranger}/cancel`],
      ['DELETE', `/v1/tasks/${stranger}`],
      ['GET', `/v1/sessions/${stranger}`],
      ['GET', '/v1/pools/nowhere/health'],
    ] as const) {
      const r = await send(method, path);
      expect([method, path, r.status, r.body?.code]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    const pool = orch.orchestrator.pools[0]?.name ?? '';
    const platformDrain = await send('POST', `/v1/pools/${pool}/drain`, { deadline_ms: 1 });
    expect([platformDrain.status, platformDrain.body?.code]).toEqual([403, 'FORBIDDEN']);
    const negative = await send(
      'POST',
      `/v1/pools/${pool}/drain`,
      { deadline_ms: -1 },
      {
        'x-platform-key': '',
        'x-admin-key': 'admin-key-for-tests-0123456789',
      },
    );
    expect([negative.status, negative.body?.code]).toEqual([400, 'INVALID_PARAMS']);

    // Nothing of the refused requests was enqueued.
    for (const id of ids) {
      expect(await orch.orchestrator.data.tasks.byId(product.productId, id)).toBeUndefined();
    }
  });
});
