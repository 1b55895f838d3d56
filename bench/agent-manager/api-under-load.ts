import { loadavg } from 'node:os';
import { percentile, round } from '../harness.js';
import {
  agentCounts,
  batchCreate,
  createAndStream,
  followEvents,
  goalOf,
  latency,
  sleep,
  startAll,
} from './common.js';
import { type AmService, type Variant, withAgentManager } from './service.js';

const RUNNING = Number(process.env.BENCH_AM_LOAD_AGENTS ?? 200);
const STEPS = Number(process.env.BENCH_AM_LOAD_STEPS ?? 50);
const DURATION_MS = Number(process.env.BENCH_AM_LOAD_DURATION_S ?? 5) * 1000;
const IN_FLIGHT = 10;
const TARGET_P99_MS = 20;
// 2 workers × 100: all RUNNING agents run at once (the default 8 per worker would queue most).
const ENV = { AM_WORKERS: '2', AM_WORKER_CONCURRENCY: String(Math.ceil(RUNNING / 2)) };

/** GET /agents/{id} for `durationMs`, `inFlight` at once; each request's ms. */
async function hammer(
  am: AmService,
  agentId: string,
  durationMs: number,
  inFlight = IN_FLIGHT,
): Promise<number[]> {
  const url = `${am.url}/agents/${agentId}`;
  const times: number[] = [];
  const until = performance.now() + durationMs;
  const lane = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await fetch(url, { headers: am.headers });
      await res.arrayBuffer();
      if (res.status !== 200) {
        throw new Error(`GET /agents/{id}: ${res.status}`);
      }
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return times;
}

/** A finished 5-step agent: the view every GET reads (its run and steps included). */
async function finishedAgent(am: AmService): Promise<string> {
  const { agent_id, events } = await createAndStream(am, {
    goal: goalOf(5),
    capabilities: ['fs'],
    max_steps: 10,
  });
  await followEvents(events, () => {});
  return agent_id;
}

const summary = (times: number[], ms: number) => ({
  ...latency(times, 2),
  p90: round(percentile(times, 90), 2),
  req_per_s: round(times.length / (ms / 1000), 0),
});

async function underLoadOn(variant: Variant) {
  return withAgentManager(variant, ENV, async (am) => {
    const target = await finishedAgent(am);
    await hammer(am, target, 1000);
    const idle = await hammer(am, target, DURATION_MS);
    const idleSequential = await hammer(am, target, DURATION_MS, 1);
    const ids = await batchCreate(am, goalOf(STEPS), RUNNING);
    await startAll(am, ids);
    // Measured once they run (not while the starts queue up).
    const deadline = Date.now() + 30_000;
    while (((await agentCounts(am)).running ?? 0) < RUNNING * 0.9 && Date.now() < deadline) {
      await sleep(100);
    }
    const before = await agentCounts(am);
    // One request at a time: the latency a client sees while the workers run.
    const loadedSequential = await hammer(am, target, DURATION_MS, 1);
    const loaded = await hammer(am, target, DURATION_MS);
    const after = await agentCounts(am);
    // Cancelled one at a time while they run: any answer but 200 is a service error.
    const cancelErrors: Record<string, number> = {};
    for (const agent_id of ids) {
      const res = await am.client.cancelAgent({ params: { agent_id } });
      if (res.status !== 200) {
        cancelErrors[res.status] = (cancelErrors[res.status] ?? 0) + 1;
      }
    }
    const p99 = percentile(loadedSequential, 99);
    return {
      get_agent_ms_under_load_sequential: summary(loadedSequential, DURATION_MS),
      [`get_agent_ms_under_load_${IN_FLIGHT}_in_flight`]: summary(loaded, DURATION_MS),
      baseline_get_agent_ms_idle_sequential: summary(idleSequential, DURATION_MS),
      [`baseline_get_agent_ms_idle_${IN_FLIGHT}_in_flight`]: summary(idle, DURATION_MS),
      ratio_p99_sequential: round(p99 / percentile(idleSequential, 99), 1),
      ratio_p99_in_flight: round(percentile(loaded, 99) / percentile(idle, 99), 1),
      agents_at_window_start: before,
      agents_at_window_end: after,
      cancel_errors_while_running: cancelErrors,
      target: `p99 <= ${TARGET_P99_MS} ms, one request at a time`,
      ok: p99 <= TARGET_P99_MS,
    };
  });
}

/** GET /agents/{id} p99 while 200 agents run, next to the same GET on an idle service. */
export async function benchAmApiUnderLoad() {
  return {
    name: 'agent-manager.api-under-load',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method:
      `agent-manager's bundle, AM_WORKERS=2, AM_WORKER_CONCURRENCY=${ENV.AM_WORKER_CONCURRENCY}; ` +
      `GET /agents/{id} of a finished 5-step agent (fetch), one at a time and ${IN_FLIGHT} in ` +
      `flight, ${DURATION_MS / 1000} s each: idle (baseline), then while ${RUNNING} agents run ` +
      `(mock model, #mock-steps=${STEPS} with file.write; started once ≥ 90% are running)`,
    embedded: await underLoadOn('embedded'),
    real: await underLoadOn('real'),
  };
}
