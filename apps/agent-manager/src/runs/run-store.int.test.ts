import type { CreateAgentRequestBody } from '@agentplane/contracts';
import { createTestKit, dbVariants } from '@agentplane/testkit';
import { describe, expect } from 'vitest';
import { createAgentRepo } from '../agents/agent-repo.js';
import { withSchema } from '../db/test-schema.js';
import { type ClaimedRun, createRunStore, FencedError } from './run-store.js';

const usage = { input_tokens: 3, output_tokens: 2, cache_hit_tokens: 0 };
const goal: CreateAgentRequestBody = { goal: 'count the files', capabilities: [], max_steps: 5 };

for (const variant of dbVariants()) {
  const test = createTestKit({ pg: withSchema.schema, dbVariant: variant });

  describe(`agent repo and run store on ${variant.name}`, () => {
    const setup = (db: Parameters<typeof withSchema.scoped>[0]) => {
      const scoped = withSchema.scoped(db);
      return { repo: createAgentRepo(scoped), store: createRunStore(scoped) };
    };

    test('an Idempotency-Key returns the same agent; another body with it is a mismatch', async ({
      pg,
    }) => {
      const { repo } = setup(pg.db);
      const first = await repo.create({ owner: 'k1', body: goal, model: 'mock' }, 'idem-1');
      const again = await repo.create({ owner: 'k1', body: goal, model: 'mock' }, 'idem-1');
      const other = await repo.create({ owner: 'k2', body: goal, model: 'mock' }, 'idem-1');
      const changed = await repo.create(
        { owner: 'k1', body: { ...goal, goal: 'x' }, model: 'mock' },
        'idem-1',
      );
      expect(first.kind).toBe('created');
      expect(again).toEqual({ kind: 'existing', agentId: first.agentId });
      expect(other.kind).toBe('created');
      expect(changed).toEqual({ kind: 'mismatch', agentId: first.agentId });
    });

    test('a batch is all or none', async ({ pg }) => {
      const { repo } = setup(pg.db);
      const before = await repo.list({ limit: 200 });
      const ids = await repo.createMany(
        [1, 2, 3].map(() => ({ owner: 'k', body: goal, model: 'mock' })),
      );
      expect(ids).toHaveLength(3);
      const bad = { owner: 'k', body: goal, model: null as unknown as string };
      await expect(
        repo.createMany([{ owner: 'k', body: goal, model: 'mock' }, bad]),
      ).rejects.toThrow();
      const after = await repo.list({ limit: 200 });
      expect(after.agents.length).toBe(before.agents.length + 3);
    });

    test('a run is claimed, checkpointed and ended; a superseded claim cannot write', async ({
      pg,
    }) => {
      const { repo, store } = setup(pg.db);
      const { agentId } = await repo.create({ owner: 'k', body: goal, model: 'mock' });
      const started = await repo.startRun(agentId, undefined);
      if (started.kind !== 'started') {
        throw new Error('not started');
      }
      expect(await repo.startRun(agentId, 'again')).toEqual({ kind: 'busy', status: 'queued' });
      const first = (await store.claim(started.runId, 3)) as ClaimedRun;
      expect(first).toMatchObject({ kind: 'run', attempt: 1, stepCount: 0, pending: null });
      expect(first.history).toEqual([{ role: 'user', content: 'count the files' }]);
      const response = {
        text: 'Calling x.',
        toolCalls: [{ id: 'c1', name: 'x', arguments: '{}' }],
        usage,
      };
      await store.savePending(started.runId, 1, {
        step_id: 1,
        started_at: new Date().toISOString(),
        response,
      });
      const second = (await store.claim(started.runId, 3)) as ClaimedRun;
      expect(second.attempt).toBe(2);
      expect(second.pending?.response).toEqual(response);
      const step = {
        stepId: 1,
        status: 'ok' as const,
        output: 'Calling x.',
        messages: [{ role: 'assistant' as const, content: 'Calling x.' }],
        toolCalls: [],
        usage,
        startedAt: new Date().toISOString(),
        durationMs: 5,
      };
      await expect(store.saveStep(started.runId, 1, step)).rejects.toBeInstanceOf(FencedError);
      await store.saveStep(started.runId, 2, step);
      await store.finish(started.runId, 2, {
        status: 'completed',
        output: 'done',
        stopReason: 'end_turn',
      });
      const view = await repo.view(agentId);
      expect(view).toMatchObject({
        status: 'completed',
        usage,
        run: { status: 'completed', attempt: 2, output: 'done' },
      });
      expect(view?.steps.map((s) => s.step_id)).toEqual([1]);
      expect(await store.claim(started.runId, 3)).toEqual({ kind: 'gone', status: 'completed' });
      const rerun = await repo.startRun(agentId, 'and now the folders');
      expect(rerun.kind).toBe('started');
      if (rerun.kind === 'started') {
        const claim = (await store.claim(rerun.runId, 3)) as ClaimedRun;
        expect(claim.history.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
        expect(claim).toMatchObject({ stepCount: 1, stepsThisRun: 0 });
      }
    });

    test('a run whose workers keep dying fails with WORKER_LOST after the last attempt', async ({
      pg,
    }) => {
      const { repo, store } = setup(pg.db);
      const { agentId } = await repo.create({ owner: 'k', body: goal, model: 'mock' });
      const started = await repo.startRun(agentId, undefined);
      const runId = started.kind === 'started' ? started.runId : '';
      await store.claim(runId, 2);
      await store.claim(runId, 2);
      const third = await store.claim(runId, 2);
      expect(third).toMatchObject({
        kind: 'ended',
        outcome: { status: 'failed', error: { code: 'WORKER_LOST' } },
      });
      expect(await repo.view(agentId)).toMatchObject({
        status: 'failed',
        error: { code: 'WORKER_LOST' },
      });
    });

    test('cancel ends a queued run at once and asks a running one to stop', async ({ pg }) => {
      const { repo, store } = setup(pg.db);
      const a = await repo.create({ owner: 'k', body: goal, model: 'mock' });
      const queued = await repo.startRun(a.agentId, undefined);
      expect(await repo.requestCancel(a.agentId, 'k')).toMatchObject({ kind: 'cancelled_queued' });
      expect(await store.claim(queued.kind === 'started' ? queued.runId : '', 3)).toMatchObject({
        kind: 'gone',
      });
      const b = await repo.create({ owner: 'k', body: goal, model: 'mock' });
      const running = await repo.startRun(b.agentId, undefined);
      const runId = running.kind === 'started' ? running.runId : '';
      await store.claim(runId, 3);
      expect(await repo.requestCancel(b.agentId, 'k')).toEqual({ kind: 'requested', runId });
      expect(await store.cancelRequestedBy(runId)).toBe('k');
      expect(await repo.requestCancel('agt_0000000000nothing', 'k')).toEqual({ kind: 'not_found' });
    });

    test('a recorded tool result is kept once', async ({ pg }) => {
      const { repo, store } = setup(pg.db);
      const { agentId } = await repo.create({ owner: 'k', body: goal, model: 'mock' });
      await store.recordToolResult(agentId, 'call_1', 'file.write', {
        output: { ok: 1 },
        error: null,
        durationMs: 2,
      });
      await store.recordToolResult(agentId, 'call_1', 'file.write', {
        output: { ok: 2 },
        error: null,
        durationMs: 2,
      });
      expect(await store.toolResult(agentId, 'call_1')).toEqual({
        output: { ok: 1 },
        error: null,
        durationMs: 2,
      });
      expect(await store.toolResult(agentId, 'call_2')).toBeNull();
    });
  });
}
