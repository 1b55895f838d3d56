import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '@agentplane/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { names, readEvents, type SeenEvent } from './test-support/agent-streams.js';
import {
  describeVariants,
  type LiveAgentManager,
  startLiveAgentManager,
} from './test-support/live-agent-manager.js';

/** Each step: step_start, tokens, tool_call/tool_result pairs, step_end; one terminal event last. */
function expectSeedOrder(seen: readonly SeenEvent[]): void {
  const events = seen.map((s) => s.event);
  const terminal = events.filter((e) =>
    ['agent_completed', 'agent_failed', 'agent_cancelled'].includes(e.event),
  );
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  let open: number | undefined;
  for (const event of events.slice(0, -1)) {
    if (event.event === 'step_start') {
      expect(open).toBeUndefined();
      open = event.step_id;
    } else if (event.event === 'step_end') {
      expect(event.step_id).toBe(open);
      open = undefined;
    } else if ('step_id' in event) {
      expect(event.step_id).toBe(open);
    }
  }
  const ids = seen.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
}

const stepIds = (events: readonly AgentEvent[], name: 'step_start' | 'step_end') =>
  events.flatMap((e) => (e.event === name ? [e.step_id] : []));

describeVariants('agents run on workers', (variant) => {
  let am: LiveAgentManager;
  beforeAll(async () => {
    am = await startLiveAgentManager({ variant });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
  });

  it('runs a goal over several steps with tool calls and streams the seed’s events in order', async () => {
    const created = await am.client.createAgent({
      body: {
        goal: 'use file.write notes.txt\n#mock-steps=3',
        capabilities: ['fs'],
        max_steps: 10,
      },
    });
    expect(created.status).toBe(201);
    if (created.status !== 201) {
      return;
    }
    const { agent_id } = created.body;
    const started = await am.client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
    expect(started.status).toBe(200);
    if (started.status !== 200) {
      return;
    }
    const seen = await readEvents(started);
    expectSeedOrder(seen);
    const events = seen.map((s) => s.event);
    expect(stepIds(events, 'step_start')).toEqual([1, 2, 3]);
    expect(stepIds(events, 'step_end')).toEqual([1, 2, 3]);
    expect(names(seen).filter((n) => n === 'tool_call')).toHaveLength(2);
    expect(
      events
        .filter((e) => e.event === 'tool_result')
        .every((e) => e.event === 'tool_result' && e.error === null),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({
      event: 'agent_completed',
      agent_id,
      stop_reason: 'end_turn',
      steps: 3,
    });
    expect(names(seen)).toContain('token');

    const view = await am.client.getAgent({ params: { agent_id } });
    expect(view.status).toBe(200);
    if (view.status === 200) {
      expect(view.body).toMatchObject({
        status: 'completed',
        runs: 1,
        run: { status: 'completed', attempt: 1 },
      });
      expect(view.body.steps.map((s) => s.step_id)).toEqual([1, 2, 3]);
      expect(view.body.steps[0]?.tool_calls[0]).toMatchObject({ tool: 'file.write', error: null });
      expect(view.body.usage.output_tokens).toBeGreaterThan(0);
    }
    const file = join(am.filesRoot, agent_id, 'notes.txt');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('notes.txt');
  });

  it('runs in the background with stream=false, and a finished agent runs again with its history', async () => {
    const created = await am.client.createAgent({
      body: { goal: 'say hello', capabilities: [], max_steps: 3 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    const first = await am.client.startAgent({ params: { agent_id }, query: {} });
    expect(first).toMatchObject({ status: 202, body: { agent_id, status: 'queued' } });
    const replay = await am.client.streamAgentEvents({ params: { agent_id } });
    if (replay.status !== 200) {
      throw new Error(`events: ${replay.status}`);
    }
    expect((await readEvents(replay)).at(-1)?.event).toMatchObject({
      event: 'agent_completed',
      output: 'Mock reply to: say hello',
    });

    const second = await am.client.startAgent({
      params: { agent_id },
      query: { stream: 'true' },
      body: { message: 'and now goodbye' },
    });
    if (second.status !== 200) {
      throw new Error(`start again: ${second.status}`);
    }
    const seen = await readEvents(second);
    expect(seen.at(-1)?.event).toMatchObject({
      event: 'agent_completed',
      output: 'Mock reply to: and now goodbye',
    });
    // Step ids go on over the agent's whole history.
    expect(
      stepIds(
        seen.map((s) => s.event),
        'step_start',
      ),
    ).toEqual([2]);
    const view = await am.client.getAgent({ params: { agent_id } });
    expect(view.status === 200 && view.body.runs).toBe(2);
  });

  it('refuses a start while running (409) and cancels a running step, naming who cancelled', async () => {
    const created = await am.client.createAgent({
      body: { goal: `${'word '.repeat(60)}#mock-slow`, capabilities: [], max_steps: 3 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    const started = await am.client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
    if (started.status !== 200) {
      throw new Error(`start: ${started.status}`);
    }
    const firstToken = await readEvents(started, 2);
    expect(names(firstToken)).toEqual(['step_start', 'token']);
    const again = await am.client.startAgent({ params: { agent_id }, query: {} });
    expect(again.status).toBe(409);
    const asked = performance.now();
    const cancel = await am.client.cancelAgent({ params: { agent_id } });
    expect(cancel).toMatchObject({ status: 200, body: { cancelled: true } });
    const rest = await readEvents(started);
    const ms = performance.now() - asked;
    process.stderr.write(
      `[agents-run ${variant}] cancel → terminal event in ${ms.toFixed(0)} ms\n`,
    );
    expect(rest.at(-1)?.event).toMatchObject({
      event: 'agent_cancelled',
      reason: 'cancel_request',
      by: 'tests',
    });
    const view = await am.client.getAgent({ params: { agent_id } });
    expect(view.status === 200 && view.body.status).toBe('cancelled');
    const twice = await am.client.cancelAgent({ params: { agent_id } });
    expect(twice).toMatchObject({ status: 200, body: { cancelled: false, status: 'cancelled' } });
  });

  it('a client that disconnects and resumes with Last-Event-ID gets every event exactly once', async () => {
    const created = await am.client.createAgent({
      body: { goal: 'use file.write a.txt\n#mock-steps=2', capabilities: ['fs'], max_steps: 5 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    const controller = new AbortController();
    const started = await am.client.startAgent(
      { params: { agent_id }, query: { stream: 'true' } },
      { signal: controller.signal },
    );
    if (started.status !== 200) {
      throw new Error(`start: ${started.status}`);
    }
    const head = await readEvents(started, 4);
    controller.abort();
    const lastEventId = head.at(-1)?.id;
    expect(lastEventId).toBeDefined();
    const resumed = await am.client.streamAgentEvents({ params: { agent_id } }, { lastEventId });
    if (resumed.status !== 200) {
      throw new Error(`resume: ${resumed.status}`);
    }
    const tail = await readEvents(resumed);
    const whole = await am.client.streamAgentEvents({ params: { agent_id } });
    if (whole.status !== 200) {
      throw new Error(`replay: ${whole.status}`);
    }
    const all = await readEvents(whole);
    expect([...head, ...tail].map((s) => s.id)).toEqual(all.map((s) => s.id));
    expect([...head, ...tail].map((s) => s.event)).toEqual(all.map((s) => s.event));
    expectSeedOrder(all);
    // After the run ended, resuming from its last event gives nothing more: the stream ends.
    const afterEnd = await am.client.streamAgentEvents(
      { params: { agent_id } },
      { lastEventId: all.at(-1)?.id },
    );
    expect(afterEnd.status === 200 && (await readEvents(afterEnd))).toEqual([]);
  });

  it('publishes lifecycle and trace messages on the bus, resumable with Last-Event-ID', async () => {
    const created = await am.client.createAgent({
      body: { goal: 'bus check', capabilities: [], max_steps: 2 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    const started = await am.client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
    if (started.status === 200) {
      await readEvents(started);
    }
    const read = async (topics: string, until: string, lastEventId?: string) => {
      const controller = new AbortController();
      const res = await am.client.streamBusEvents(
        { query: { topics, from: 'beginning' } },
        { signal: controller.signal, ...(lastEventId ? { lastEventId } : {}) },
      );
      if (res.status !== 200) {
        throw new Error(`events: ${res.status}`);
      }
      const mine: Array<{ id: string | undefined; event: string }> = [];
      for await (const message of res.events) {
        if (
          'payload' in message &&
          'agent_id' in message.payload &&
          message.payload.agent_id === agent_id
        ) {
          mine.push({ id: res.lastEventId(), event: message.event });
          if (message.event === until) {
            break;
          }
        }
      }
      controller.abort();
      return mine;
    };
    const all = await read('agent.lifecycle', 'agent.completed');
    expect(all.map((m) => m.event)).toEqual(['agent.created', 'agent.started', 'agent.completed']);
    const resumed = await read('agent.lifecycle', 'agent.completed', all[0]?.id);
    expect(resumed).toEqual(all.slice(1));
    const trace = await read('agent.trace', 'step.complete');
    expect(trace.map((m) => m.event)).toEqual(['step.complete']);
  });
});
