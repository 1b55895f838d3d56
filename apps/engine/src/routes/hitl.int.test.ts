import {
  ErrorEnvelope,
  HitlPendingResponseBody,
  HitlRespondResponseBody,
  ToolDefinition,
} from '@agentplane/contracts';
import { createLogger, createServiceApp, type Listening, listen } from '@agentplane/http-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHitlRegistry, type HitlEvent } from '../hitl/hitl-registry.js';
import { registerHitlPendingGet } from './hitl-pending.get.js';
import { registerHitlRespondPost } from './hitl-respond.post.js';

const gated = ToolDefinition.parse({
  name: 'danger.run',
  description: 'Needs approval',
  input_schema: { type: 'object', properties: {} },
  kind: 'builtin',
  needs_approval: true,
});

const hitl = createHitlRegistry({ ttlMs: 60_000 });
const events: HitlEvent[] = [];
let server: Listening;
let url: string;

/** Opens a request as a run would (the approver of task `taskId`). */
function openRequest(taskId: string) {
  const approve = hitl.approver({ taskId, turnId: 'turn-1', emit: (e) => void events.push(e) });
  return approve({
    toolCallId: `call_${taskId}`,
    tool: gated.name,
    arguments: { n: taskId },
    definition: gated,
    signal: new AbortController().signal,
  });
}

const getPending = async (query = '') =>
  HitlPendingResponseBody.parse(await (await fetch(`${url}/hitl/pending${query}`)).json());

const post = (body: string) =>
  fetch(`${url}/hitl/respond`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

beforeAll(async () => {
  const logger = createLogger({ name: 'engine', level: 'silent' });
  const app = createServiceApp({
    name: 'engine',
    logger,
    bodyLimitBytes: 64 * 1024,
    metrics: false,
    validateResponses: true,
    routes: (router) => {
      registerHitlPendingGet(router, { hitl });
      registerHitlRespondPost(router, { hitl });
    },
  });
  server = await listen(app, { port: 0 });
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe('GET /hitl/pending and POST /hitl/respond', () => {
  it('lists open requests (all or one task) and resolves them by id', async () => {
    const a = openRequest('task-a');
    const b = openRequest('task-b');
    const all = await getPending();
    expect(all.pending.map((p) => p.task_id)).toEqual(['task-a', 'task-b']);
    expect(all.pending[0]).toMatchObject({
      turn_id: 'turn-1',
      tool: 'danger.run',
      arguments: { n: 'task-a' },
    });
    const onlyB = await getPending('?task_id=task-b');
    expect(onlyB.pending).toHaveLength(1);

    const [idA, idB] = all.pending.map((p) => p.request_id);
    const res = await post(
      JSON.stringify({
        responses: [
          { request_id: idA, decision: 'approve' },
          { request_id: idB, decision: 'deny', reason: 'no' },
          { request_id: 'hitl_nope', decision: 'approve' },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(HitlRespondResponseBody.parse(await res.json())).toEqual({
      results: [
        { request_id: idA, status: 'resolved' },
        { request_id: idB, status: 'resolved' },
        { request_id: 'hitl_nope', status: 'not_found' },
      ],
    });
    await expect(a).resolves.toEqual({ approved: true });
    await expect(b).resolves.toEqual({ approved: false, reason: 'no' });
    expect((await getPending()).pending).toEqual([]);
    const again = await post(
      JSON.stringify({ responses: [{ request_id: idA, decision: 'deny' }] }),
    );
    expect(HitlRespondResponseBody.parse(await again.json()).results).toEqual([
      { request_id: idA, status: 'already_resolved' },
    ]);
  });

  it('answers a bad body with a 400 envelope and resolves nothing', async () => {
    const pendingOne = openRequest('task-c');
    const id = hitl.pending('task-c')[0]?.request_id;
    const cases = [
      '{"responses": []}',
      `{"responses": [{"request_id": "${id}", "decision": "maybe"}]}`,
      `{"responses": [{"request_id": "${id}", "decision": "approve"}, {"request_id": "${id}", "decision": "deny"}]}`,
      '{"responses": ',
    ];
    for (const body of cases) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const envelope = ErrorEnvelope.parse(await res.json());
      expect(envelope.error.code).toMatch(/^(VALIDATION_ERROR|MALFORMED_JSON)$/);
      expect(typeof envelope.error.correlation_id).toBe('string');
    }
    expect(hitl.pending('task-c')).toHaveLength(1);
    hitl.respond([{ request_id: id ?? '', decision: 'approve' }]);
    await expect(pendingOne).resolves.toEqual({ approved: true });
  });
});
