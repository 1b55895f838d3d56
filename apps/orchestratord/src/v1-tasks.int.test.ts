import { createClient, engineRoutes, type TaskEvent } from '@agentplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  readStream,
  SLOW_PROMPT,
  startDataFleet,
  taskBody,
  textOf,
} from './tasks/test-data-plane.js';
import { cleanupAfterAll } from './test-orchestrator.js';

// The /v1 task data plane (issue 15) through its generated client, on real Postgres, once per
// driver: the process driver running the engine bundle, the docker driver (Podman) running the
// engine image; both with the mock model.

const cleanup = cleanupAfterAll();
const names = (events: readonly TaskEvent[]) => events.map((e) => e.event);

const drivers = [
  {
    driver: 'process',
    ports: [
      [24700, 24749],
      [24750, 24799],
    ],
  },
  {
    driver: 'docker',
    ports: [
      [25330, 25354],
      [25355, 25379],
    ],
  },
] as const;

describe.each(drivers)(
  '/v1 tasks on the $driver driver: submit, stream, cancel, priorities, queue full',
  ({ driver, ports }) => {
    it('streams started, tokens and end; the text is what the engine produced', async (ctx) => {
      const { orch, product, api } = await startDataFleet(ctx, cleanup, ports[0], {}, driver);
      const body = taskBody({ user_id: 'alice', prompt: 'Tell me about queues' });
      const res = await api.createTask({ body });
      expect(res.status).toBe(202);
      if (res.status !== 202) {
        return;
      }
      expect(res.body).toMatchObject({ task_id: body.task_id, backoff_ms: 0 });
      expect(res.body.streams.sse).toBe(`/v1/tasks/${body.task_id}/stream`);
      expect(res.body.preparation?.steps[0]?.kind).toBe('engine_provision');

      const { events, lastEventId } = await readStream(api, body.task_id);
      expect(events[0]).toMatchObject({ event: 'started', queue_position: 0 });
      const kinds = names(events);
      expect(kinds.at(-1)).toBe('end');
      expect(kinds.filter((k) => k === 'end' || k === 'error')).toHaveLength(1);
      const prep = events.filter((e) => e.event === 'metrics' && e.prep !== undefined);
      expect(
        prep.map((e) => (e.event === 'metrics' ? Object.values(e.prep ?? {})[0]?.status : '')),
      ).toEqual(['running', 'completed']);
      const tokens = events.filter((e) => e.event === 'token');
      expect(tokens.map((e) => (e.event === 'token' ? e.i : -1))).toEqual(tokens.map((_, i) => i));
      const end = events.at(-1);
      expect(end).toMatchObject({
        event: 'end',
        tokens_out: tokens.length,
        stop_reason: 'end_turn',
      });

      // What the engine itself produced for this turn, read from its own replay buffer.
      const admitted = await product.api.admitEngine({ params: { user_id: 'alice' }, body: {} });
      if (admitted.status !== 200 || !admitted.body.admitted) {
        throw new Error('admit');
      }
      const engine = createClient(engineRoutes, {
        baseUrl: admitted.body.url,
        headers: () => ({ 'x-engine-key': admitted.body.admitted ? admitted.body.engine_key : '' }),
      });
      const replay = await engine.replayExecution({ query: { task_id: body.task_id } });
      if (replay.status !== 200) {
        throw new Error(`replay ${replay.status}`);
      }
      let engineText = '';
      for await (const ev of replay.events) {
        if (ev.event === 'text_delta') {
          engineText += ev.text;
        }
      }
      expect(textOf(events)).toBe(engineText);
      expect(engineText).toContain('Mock reply to: Tell me about queues');

      // Resume: after the third event, the rest and nothing else.
      const resumed = await readStream(api, body.task_id, '3');
      expect(resumed.events).toEqual(events.slice(3));
      expect(resumed.lastEventId).toBe(lastEventId);

      // The session counted the turn.
      const session = await api.getSession({ params: { id: body.session_id } });
      expect(session.status).toBe(200);
      if (session.status === 200) {
        expect(session.body.turns).toBe(1);
        expect(session.body.ttl_ms_remaining).toBeGreaterThan(590_000);
      }
      expect((await api.deleteSession({ params: { id: body.session_id } })).status).toBe(204);
      expect((await api.deleteSession({ params: { id: body.session_id } })).status).toBe(204);
      expect((await api.getSession({ params: { id: body.session_id } })).status).toBe(404);

      // The same task_id again: the same request is a retry (202), another is a conflict.
      expect((await api.createTask({ body })).status).toBe(202);
      const other = await api.createTask({ body: { ...body, prompt: 'something else' } });
      expect(other.status).toBe(409);
      expect(
        await orch.orchestrator.data.tasks.byId(product.productId, body.task_id),
      ).toMatchObject({
        status: 'completed',
      });
    });

    it('cancels queued and running tasks; interactive overtakes batch; a full queue rejects', async (ctx) => {
      const { orch, product, api } = await startDataFleet(
        ctx,
        cleanup,
        ports[1],
        { ORCH_TASK_SLOTS: '1', ORCH_QUEUE_CAPACITY: '3' },
        driver,
      );
      // One slot: A runs (slowly), everything after it queues.
      const a = taskBody({ user_id: 'u1', prompt: SLOW_PROMPT });
      expect((await api.createTask({ body: a })).status).toBe(202);
      const b1 = taskBody({ user_id: 'u1', priority: 'batch' });
      const b2 = taskBody({ user_id: 'u1', priority: 'batch' });
      const i1 = taskBody({ user_id: 'u1' });
      for (const t of [b1, b2, i1]) {
        const r = await api.createTask({ body: t });
        expect(r.status).toBe(202);
      }

      // Full (3 queued): refused with the backoff headers, and nothing enqueued.
      const late = taskBody({ user_id: 'u1' });
      const refused = await api.createTask({ body: late });
      expect(refused.status).toBe(429);
      if (refused.status === 429) {
        expect(refused.body).toMatchObject({
          code: 'ADMISSION_REJECT',
          policy_label: 'reject',
          retriable: true,
        });
        expect(refused.body.retry_after_ms).toBeGreaterThan(0);
      }
      const raw = await fetch(`${orch.baseUrl}/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform-key': product.platformKey },
        body: JSON.stringify(late),
      });
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(raw.headers.get('x-backoff-ms')).toMatch(/^\d+$/);
      expect(raw.headers.get('x-correlation-id')).toBeTruthy();
      expect(
        await orch.orchestrator.data.tasks.byId(product.productId, late.task_id),
      ).toBeUndefined();

      // Cancel b2 while queued: started, then end {canceled}; it never runs.
      expect((await api.cancelTask({ params: { id: b2.task_id } })).status).toBe(204);
      expect((await api.cancelTask({ params: { id: b2.task_id } })).status).toBe(204);
      const b2Events = (await readStream(api, b2.task_id)).events;
      expect(names(b2Events)).toEqual(['started', 'end']);
      expect(b2Events[1]).toMatchObject({ canceled: true, tokens_out: 0 });

      // Cancel A while running, once it has streamed a token: the answer comes after the end is
      // written, so the log's last token precedes the cancel's return and nothing follows it.
      const stream = await api.streamTask({ params: { id: a.task_id } });
      if (stream.status !== 200) {
        throw new Error('stream');
      }
      const seen: TaskEvent[] = [];
      for await (const ev of stream.events) {
        seen.push(ev);
        if (ev.event === 'token' && ev.i === 2) {
          break;
        }
      }
      const cancelled = await api.deleteTask({ params: { id: a.task_id } });
      expect(cancelled.status).toBe(204);
      const atCancel = (await readStream(api, a.task_id)).events;
      await new Promise((r) => setTimeout(r, 300));
      const later = (await readStream(api, a.task_id)).events;
      expect(later).toEqual(atCancel);
      expect(later.at(-1)).toMatchObject({ event: 'end', canceled: true, stop_reason: 'canceled' });
      expect(later.filter((e) => e.event === 'token').length).toBeLessThan(38);

      // After A: i1 (interactive) runs before b1 (batch), though admitted after it.
      await readStream(api, b1.task_id);
      const rowI1 = await orch.orchestrator.data.tasks.byId(product.productId, i1.task_id);
      const rowB1 = await orch.orchestrator.data.tasks.byId(product.productId, b1.task_id);
      expect(rowI1?.started_at?.getTime()).toBeLessThan(rowB1?.started_at?.getTime() ?? 0);

      // Unknown ids: 404 in the flat envelope.
      const unknown = await api.cancelTask({ params: { id: crypto.randomUUID() } });
      expect(unknown.status).toBe(404);
      if (unknown.status === 404) {
        expect(unknown.body.code).toBe('NOT_FOUND');
      }
      expect((await api.streamTask({ params: { id: crypto.randomUUID() } })).status).toBe(404);
    });
  },
);
