import { AGENT_TERMINAL_EVENTS, type AgentEvent } from '@agentplane/contracts';
import { round, summary } from '../harness.js';
import type { AmService } from './service.js';

/** The mock model's 5-step agent: 4 steps calling file.write, a reply last (agent-loop mock.ts). */
export const goalOf = (steps: number) => `use file.write notes.txt\n#mock-steps=${steps}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** p50/p99 in ms with the count, min and max: how every latency of the agent-manager is shown. */
export const latency = (xs: number[], digits = 2) => summary(xs, { high: 99, digits });

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Sequential round trips of `fn` after `warmup` unrecorded ones; ms each. */
export async function timeEach(
  count: number,
  fn: () => Promise<unknown>,
  warmup = 20,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = -warmup; i < count; i++) {
    const started = performance.now();
    await fn();
    if (i >= 0) {
      times.push(performance.now() - started);
    }
  }
  return times;
}

/** GET /health on the service's keep-alive pool: the HTTP floor of every API figure. */
export function healthRoundTrip(am: AmService): () => Promise<void> {
  return async () => {
    const res = await fetch(`${am.url}/health`);
    await res.arrayBuffer();
    if (res.status !== 200) {
      throw new Error(`/health: ${res.status}`);
    }
  };
}

/** Creates `n` agents in batches of ≤ 1,000 (POST /agents/batch); their ids in order. */
export async function batchCreate(am: AmService, goal: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1000) {
    const count = Math.min(1000, n - i);
    const body = { agents: Array.from({ length: count }, () => agentBody(goal)) };
    const res = await am.client.batchCreateAgents({ body });
    if (res.status !== 201) {
      throw new Error(`batch create: ${res.status} ${JSON.stringify(res.body)}`);
    }
    ids.push(...res.body.agent_ids);
  }
  return ids;
}

export const agentBody = (goal: string) => ({
  goal,
  capabilities: ['fs' as const],
  max_steps: 60,
});

/** POST /agents/{id}/start (stream=false) for each, `limit` in flight. */
export async function startAll(am: AmService, ids: readonly string[], limit = 16): Promise<void> {
  await inPool(ids, limit, async (agent_id) => {
    const res = await am.client.startAgent({ params: { agent_id }, query: { stream: 'false' } });
    if (res.status !== 202) {
      throw new Error(`start ${agent_id}: ${res.status}`);
    }
  });
}

/** Agents by status, from the service's /metrics gauge (one GROUP BY, no paging). */
export async function agentCounts(am: AmService): Promise<Record<string, number>> {
  const text = await (await fetch(`${am.url}/metrics`, { headers: am.headers })).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^am_agents\{status="(\w+)"\} (\d+)/.exec(line);
    if (m) {
      counts[m[1] as string] = Number(m[2]);
    }
  }
  return counts;
}

/** Mean of a histogram of the service's /metrics, in ms (its _sum / _count, seconds). */
export async function histogramMeanMs(am: AmService, name: string): Promise<number | null> {
  const text = await (await fetch(`${am.url}/metrics`, { headers: am.headers })).text();
  const value = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix}(?:\\{\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mean = (value('sum') / value('count')) * 1000;
  return Number.isFinite(mean) ? round(mean, 2) : null;
}

const isTerminal = (e: AgentEvent) => AGENT_TERMINAL_EVENTS.includes(e.event);

/**
 * Reads a run's events until the terminal one, calling `onEvent` with each as it arrives (at
 * the moment of arrival: its clock is the caller's measurement).
 */
export async function followEvents(
  events: AsyncIterable<AgentEvent>,
  onEvent: (event: AgentEvent) => void,
): Promise<AgentEvent | undefined> {
  for await (const event of events) {
    onEvent(event);
    if (isTerminal(event)) {
      return event;
    }
  }
  return undefined;
}

/** Creates an agent and starts it with stream=true; its id and the run's event stream. */
export async function createAndStream(
  am: AmService,
  body: Parameters<AmService['client']['createAgent']>[0]['body'],
) {
  const created = await am.client.createAgent({ body });
  if (created.status !== 201) {
    throw new Error(`create: ${created.status}`);
  }
  const agent_id = created.body.agent_id;
  const run = await am.client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
  if (run.status !== 200) {
    throw new Error(`start: ${run.status}`);
  }
  return { agent_id, events: run.events };
}
