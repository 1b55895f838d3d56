import { getEventListeners } from 'node:events';
import {
  type ApprovalRequest,
  createMockLlm,
  createToolRegistry,
  type LoopEvent,
  runAgentLoop,
} from '@agentplane/agent-loop';
import { ToolDefinition } from '@agentplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  createHitlRegistry,
  type HitlEvent,
  type HitlRegistry,
  type HitlTimers,
} from './hitl-registry.js';

const gated = ToolDefinition.parse({
  name: 'danger.run',
  description: 'Does something the user must approve',
  input_schema: {
    type: 'object',
    properties: { what: { type: 'string' } },
    required: ['what'],
  },
  kind: 'builtin',
  needs_approval: true,
});
const free = ToolDefinition.parse({ ...gated, name: 'safe.run', needs_approval: false });

/** Real timers, counted: what is still scheduled after a request closed is a leak. */
function countingTimers(): HitlTimers & { active: () => number } {
  const live = new Set<unknown>();
  return {
    setTimeout(callback, ms) {
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as NodeJS.Timeout);
    },
    active: () => live.size,
  };
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One run of the real loop with the mock model; `ran` records the gated tool's inputs. */
function startRun(hitl: HitlRegistry, message: string, taskId = 'task-1') {
  const events: (LoopEvent | HitlEvent)[] = [];
  const ran: unknown[] = [];
  const tools = createToolRegistry([
    {
      definition: gated,
      run: async (input) => {
        ran.push(input);
        return { done: input.what };
      },
    },
    { definition: free, run: async () => 'free' },
  ]);
  const result = runAgentLoop({
    llm: createMockLlm(),
    model: 'mock',
    messages: [{ role: 'user', content: message }],
    tools,
    approve: hitl.approver({ taskId, turnId: 'turn-1', emit: (e) => void events.push(e) }),
    emit: (e) => void events.push(e),
  });
  const requests = (n: number) =>
    waitFor(() => {
      const found = events.filter((e) => e.event === 'hitl_request');
      return found.length >= n ? found : undefined;
    }, `${n} hitl_request events`);
  return { events, ran, result, requests };
}

const names = (events: { event: string }[]) => events.map((e) => e.event);

describe('hitl registry through the agent loop', () => {
  it('approve: hitl_request, hitl_resolved, then the tool runs', async () => {
    const timers = countingTimers();
    const hitl = createHitlRegistry({ ttlMs: 60_000, timers });
    const run = startRun(hitl, 'use danger.run now');
    const [request] = await run.requests(1);
    expect(request).toMatchObject({
      event: 'hitl_request',
      tool: 'danger.run',
      arguments: { what: 'now' },
    });
    const id = (request as { request_id: string }).request_id;
    expect(id).toMatch(/^hitl_/);
    expect(hitl.pending()).toEqual([
      expect.objectContaining({
        request_id: id,
        task_id: 'task-1',
        turn_id: 'turn-1',
        tool: 'danger.run',
      }),
    ]);
    expect(hitl.pending('other-task')).toEqual([]);

    expect(hitl.respond([{ request_id: id, decision: 'approve' }])).toEqual([
      { request_id: id, status: 'resolved' },
    ]);
    const result = await run.result;
    expect(result.status).toBe('completed');
    expect(run.ran).toEqual([{ what: 'now' }]);
    const flow = names(run.events).filter((n) => n.startsWith('hitl') || n.startsWith('tool'));
    expect(flow).toEqual(['tool_call', 'hitl_request', 'hitl_resolved', 'tool_result']);
    expect(run.events.find((e) => e.event === 'hitl_resolved')).toEqual({
      event: 'hitl_resolved',
      request_id: id,
      decision: 'approve',
    });
    expect(hitl.pending()).toEqual([]);
    expect(timers.active()).toBe(0);
  });

  it('deny with a reason: the model gets permission_denied and the tool never runs', async () => {
    const hitl = createHitlRegistry({ ttlMs: 60_000 });
    const run = startRun(hitl, 'use danger.run rm everything');
    const [request] = await run.requests(1);
    const id = (request as { request_id: string }).request_id;
    hitl.respond([{ request_id: id, decision: 'deny', reason: 'too risky' }]);
    const result = await run.result;
    expect(run.ran).toEqual([]);
    expect(run.events.find((e) => e.event === 'hitl_resolved')).toMatchObject({
      decision: 'deny',
      reason: 'too risky',
    });
    expect(run.events.find((e) => e.event === 'tool_result')).toMatchObject({
      error: { code: 'TOOL_DENIED', message: 'permission_denied: too risky' },
    });
    const toolMessage = result.messages.find((m) => m.role === 'tool');
    expect(JSON.parse(String(toolMessage?.content))).toEqual({
      error: 'permission_denied',
      reason: 'too risky',
    });
  });

  it('expiry: hitl_expired and the call is denied with reason expired', async () => {
    const timers = countingTimers();
    const hitl = createHitlRegistry({ ttlMs: 50, timers });
    const run = startRun(hitl, 'use danger.run later');
    const [request] = await run.requests(1);
    const id = (request as { request_id: string }).request_id;
    await run.result;
    expect(names(run.events).filter((n) => n.startsWith('hitl'))).toEqual([
      'hitl_request',
      'hitl_expired',
    ]);
    expect(run.events.find((e) => e.event === 'tool_result')).toMatchObject({
      error: { code: 'TOOL_DENIED', message: 'permission_denied: expired' },
    });
    expect(run.ran).toEqual([]);
    expect(timers.active()).toBe(0);
    // A late answer is told so, not silently accepted.
    expect(hitl.respond([{ request_id: id, decision: 'approve' }])).toEqual([
      { request_id: id, status: 'expired' },
    ]);
  });

  it('answers several pending requests in one respond call, with per-item results', async () => {
    const hitl = createHitlRegistry({ ttlMs: 60_000 });
    const run = startRun(hitl, 'use danger.run one\nuse danger.run two\nuse safe.run three');
    const requests = await run.requests(2);
    expect(hitl.pending('task-1')).toHaveLength(2);
    const byWhat = new Map<unknown, string>();
    for (const r of requests) {
      if (r.event === 'hitl_request') {
        byWhat.set(r.arguments.what, r.request_id);
      }
    }
    const one = byWhat.get('one') ?? '';
    const two = byWhat.get('two') ?? '';
    expect(
      hitl.respond([
        { request_id: one, decision: 'approve' },
        { request_id: 'hitl_unknown', decision: 'approve' },
        { request_id: two, decision: 'deny', reason: 'not this one' },
      ]),
    ).toEqual([
      { request_id: one, status: 'resolved' },
      { request_id: 'hitl_unknown', status: 'not_found' },
      { request_id: two, status: 'resolved' },
    ]);
    await run.result;
    expect(run.ran).toEqual([{ what: 'one' }]);
    // safe.run needs no approval: no hitl events of its own.
    expect(names(run.events).filter((n) => n === 'hitl_request')).toHaveLength(2);
    expect(hitl.respond([{ request_id: one, decision: 'deny' }])).toEqual([
      { request_id: one, status: 'already_resolved' },
    ]);
  });
});

describe('hitl registry cleanup', () => {
  const request = (signal: AbortSignal, definition = gated): ApprovalRequest => ({
    toolCallId: 'call_1',
    tool: definition.name,
    arguments: { what: 'x' },
    definition,
    signal,
  });

  it('approves tools without needs_approval at once, with no events', async () => {
    const events: HitlEvent[] = [];
    const hitl = createHitlRegistry({ ttlMs: 1000 });
    const approve = hitl.approver({ taskId: 't', turnId: 'u', emit: (e) => void events.push(e) });
    await expect(approve(request(new AbortController().signal, free))).resolves.toEqual({
      approved: true,
    });
    expect(events).toEqual([]);
    expect(hitl.pending()).toEqual([]);
  });

  it('leaves no timer or abort listener after resolution, expiry or abort', async () => {
    const timers = countingTimers();
    const hitl = createHitlRegistry({ ttlMs: 40, timers });
    const events: HitlEvent[] = [];
    const approve = hitl.approver({ taskId: 't', turnId: 'u', emit: (e) => void events.push(e) });
    const listeners = (s: AbortSignal) => getEventListeners(s, 'abort').length;

    const answered = new AbortController();
    const a = approve(request(answered.signal));
    await waitFor(() => hitl.pending()[0], 'a pending request');
    expect(timers.active()).toBe(1);
    expect(listeners(answered.signal)).toBe(1);
    hitl.respond([{ request_id: hitl.pending()[0]?.request_id ?? '', decision: 'approve' }]);
    await expect(a).resolves.toEqual({ approved: true });
    expect([timers.active(), listeners(answered.signal)]).toEqual([0, 0]);

    const expiring = new AbortController();
    await expect(approve(request(expiring.signal))).resolves.toEqual({
      approved: false,
      reason: 'expired',
    });
    expect([timers.active(), listeners(expiring.signal), hitl.pending().length]).toEqual([0, 0, 0]);

    const aborted = new AbortController();
    const c = approve(request(aborted.signal));
    const id = (await waitFor(() => hitl.pending()[0], 'a pending request')).request_id;
    aborted.abort('shutdown');
    await expect(c).rejects.toBe('shutdown');
    expect([timers.active(), listeners(aborted.signal), hitl.pending().length]).toEqual([0, 0, 0]);
    expect(hitl.respond([{ request_id: id, decision: 'approve' }])[0]?.status).toBe('expired');
    // Abort emits nothing: the run's own terminal event says it was cancelled.
    expect(events.map((e) => e.event)).toEqual([
      'hitl_request',
      'hitl_resolved',
      'hitl_request',
      'hitl_expired',
      'hitl_request',
    ]);
  });

  it('withdraws the request when the run cannot emit it', async () => {
    const timers = countingTimers();
    const hitl = createHitlRegistry({ ttlMs: 60_000, timers });
    const approve = hitl.approver({
      taskId: 't',
      turnId: 'u',
      emit: () => Promise.reject(new Error('stream closed')),
    });
    await expect(approve(request(new AbortController().signal))).rejects.toThrow('stream closed');
    expect([timers.active(), hitl.pending().length]).toEqual([0, 0]);
  });
});
