import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  createClient,
  engineRoutes,
  orchestratordDataRoutes,
  type TaskEvent,
} from '@agentplane/contracts';
import autocannon from 'autocannon';
import { percentile, round, summary } from '../harness.js';
import { provisionOne, startFleet } from './fleet.js';
import { cannon } from './load.js';
import { openPgDatabase } from './pg-database.js';

// The /v1 data plane's relay against the engine's own /execute, in the same run (issue 15):
// time to first token, events/s, admission under load, cancel → end.

const RUNS = Number(process.env.BENCH_RELAY_RUNS ?? 40);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const CONCURRENCY = 16;
const USER = 'alice';
const SLOW = `#mock-slow ${Array.from({ length: 38 }, (_, i) => `w${i}`).join(' ')}`;

const task = (prompt: string) => ({
  task_id: randomUUID(),
  session_id: randomUUID(),
  user_id: USER,
  workload: 'completion' as const,
  model_ref: 'default',
  engine: 'agentplane',
  ctx: 8192,
  priority: 'interactive' as const,
  prompt,
  max_tokens: 10_000,
  deadline_ms: 3_600_000,
});

type Data = ReturnType<typeof dataClient>;
const dataClient = (url: string, key: string) =>
  createClient(orchestratordDataRoutes, {
    baseUrl: url,
    headers: () => ({ 'x-platform-key': key }),
  });
type Engine = ReturnType<typeof engineClient>;
const engineClient = (url: string, key: string) =>
  createClient(engineRoutes, { baseUrl: url, headers: () => ({ 'x-engine-key': key }) });

/** One turn straight on the engine: ms to the first text delta, and text deltas seen. */
async function direct(engine: Engine, prompt: string) {
  const started = performance.now();
  const res = await engine.execute({ body: { message: prompt, task_id: randomUUID() } });
  if (res.status !== 200) {
    throw new Error(`execute ${res.status}`);
  }
  let first: number | undefined;
  let tokens = 0;
  for await (const ev of res.events) {
    if (ev.event === 'text_delta') {
      first ??= performance.now() - started;
      tokens++;
    }
  }
  return { first: first ?? Number.NaN, tokens };
}

/** One task through /v1: submitted, then its stream read; ms to the first token, tokens seen. */
async function relayed(api: Data, prompt: string, onToken?: (ev: TaskEvent) => void) {
  const started = performance.now();
  const body = task(prompt);
  const admitted = await api.createTask({ body });
  if (admitted.status !== 202) {
    throw new Error(`createTask ${admitted.status}`);
  }
  const res = await api.streamTask({ params: { id: body.task_id } });
  if (res.status !== 200) {
    throw new Error(`streamTask ${res.status}`);
  }
  let first: number | undefined;
  let tokens = 0;
  for await (const ev of res.events) {
    if (ev.event === 'token') {
      first ??= performance.now() - started;
      tokens++;
      onToken?.(ev);
    }
  }
  return { first: first ?? Number.NaN, tokens, id: body.task_id };
}

/** Tokens per second with CONCURRENCY turns in flight for DURATION_S. */
async function eventsPerSecond(turn: () => Promise<{ tokens: number }>) {
  const until = performance.now() + DURATION_S * 1000;
  const started = performance.now();
  let tokens = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        tokens += (await turn()).tokens;
      }
    }),
  );
  return round(tokens / ((performance.now() - started) / 1000), 0);
}

async function cancelToEnd(api: Data): Promise<number> {
  const body = task(SLOW);
  if ((await api.createTask({ body })).status !== 202) {
    throw new Error('createTask');
  }
  const res = await api.streamTask({ params: { id: body.task_id } });
  if (res.status !== 200) {
    throw new Error('stream');
  }
  let sent = 0;
  let cancel: Promise<unknown> | undefined;
  for await (const ev of res.events) {
    if (ev.event === 'token' && cancel === undefined) {
      sent = performance.now();
      cancel = api.cancelTask({ params: { id: body.task_id } });
    }
    if (ev.event === 'end' || ev.event === 'error') {
      break;
    }
  }
  const ended = performance.now() - sent;
  await cancel;
  return ended;
}

/** POST /v1/tasks at 200 in flight (a new task each), next to GET /health on the same server. */
async function admissionUnderLoad(url: string, key: string) {
  const result = await autocannon({
    url: `${url}/v1/tasks`,
    method: 'POST',
    connections: 200,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json', 'x-platform-key': key },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(task('hi')) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`admission: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  const health = await cannon(`${url}/health`, 'GET', {}, undefined, DURATION_S);
  return {
    admission_c200: {
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      req_per_s: round(result.requests.average, 0),
    },
    health_c200_baseline: health,
    throughput_ratio: round(result.requests.average / health.req_per_s),
  };
}

export async function benchOrchRelay() {
  const database = await openPgDatabase();
  if (database === undefined) {
    return { name: 'orchestratord.relay', skipped: 'DATABASE_URL unset or unreachable' };
  }
  const fleet = await startFleet({
    driver: { kind: 'process' },
    ports: [22600, 22649],
    database,
    env: { ORCH_QUEUE_CAPACITY: '1000000', ORCH_TASK_SLOTS: String(CONCURRENCY) },
  });
  try {
    const engineRow = await provisionOne(fleet, USER);
    const engine = engineClient(engineRow.url, engineRow.engine_key);
    const api = dataClient(fleet.url, fleet.key);
    for (let i = 0; i < 10; i++) {
      await direct(engine, 'warm up');
      await relayed(api, 'warm up');
    }
    const ttftDirect: number[] = [];
    const ttftRelay: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ttftDirect.push((await direct(engine, `question ${i}`)).first);
      ttftRelay.push((await relayed(api, `question ${i}`)).first);
    }
    const directRate = await eventsPerSecond(() => direct(engine, 'a longer question to answer'));
    const relayRate = await eventsPerSecond(() => relayed(api, 'a longer question to answer'));
    const cancels: number[] = [];
    for (let i = 0; i < 15; i++) {
      cancels.push(await cancelToEnd(api));
    }
    const admission = await admissionUnderLoad(fleet.url, fleet.key);
    const added = (p: number) => round(percentile(ttftRelay, p) - percentile(ttftDirect, p), 2);
    return {
      name: 'orchestratord.relay',
      loadavg_1m_at_end: round(loadavg()[0] ?? 0),
      method:
        'orchestratord bundle on Postgres, process driver, one running engine (mock model); TTFT: ' +
        `${RUNS} sequential turns each way, alternating (relay = POST /v1/tasks + GET stream to the first token; ` +
        `direct = the engine's POST /execute to the first text_delta); events/s: ${CONCURRENCY} turns in flight for ${DURATION_S} s`,
      ttft_direct_ms: summary(ttftDirect, { high: 99, digits: 2 }),
      ttft_relay_ms: summary(ttftRelay, { high: 99, digits: 2 }),
      ttft_added_p50_ms: added(50),
      ttft_added_p99_ms: added(99),
      target_ttft_added: 'p50 <= 2 ms, p99 <= 5 ms',
      meets_target_ttft: added(50) <= 2 && added(99) <= 5,
      events_per_s_direct: directRate,
      events_per_s_relay: relayRate,
      events_ratio: round(relayRate / directRate),
      meets_target_events_ratio: relayRate / directRate >= 0.6,
      cancel_to_end_ms: summary(cancels, { high: 99, digits: 2 }),
      meets_target_cancel: percentile(cancels, 50) <= 20,
      ...admission,
      meets_target_admission_ratio: admission.throughput_ratio >= 0.5,
    };
  } finally {
    await fleet.close();
  }
}
