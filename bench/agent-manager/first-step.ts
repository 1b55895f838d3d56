import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { median, round } from '../harness.js';
import {
  agentBody,
  followEvents,
  goalOf,
  healthRoundTrip,
  histogramMeanMs,
  latency,
  timeEach,
} from './common.js';
import { type AmService, type Variant, withAgentManager } from './service.js';

const RUNS = Number(process.env.BENCH_AM_FIRST_STEP_RUNS ?? 100);
const WARMUP = 5;
const TARGET_MS: Record<Variant, number> = { real: 10, embedded: 2 };

/**
 * One agent: POST /agents, then POST start?stream=true, timed until its `step_start` arrives;
 * the run is read to its end before the next agent, so every sample starts on an idle service.
 */
async function firstStepOnce(am: AmService) {
  const started = performance.now();
  const created = await am.client.createAgent({ body: agentBody(goalOf(5)) });
  if (created.status !== 201) {
    throw new Error(`create: ${created.status}`);
  }
  const createdAt = performance.now();
  const run = await am.client.startAgent({
    params: { agent_id: created.body.agent_id },
    query: { stream: 'true' },
  });
  if (run.status !== 200) {
    throw new Error(`start: ${run.status}`);
  }
  const headersAt = performance.now();
  let stepAt: number | undefined;
  const terminal = await followEvents(run.events, (event) => {
    if (event.event === 'step_start' && stepAt === undefined) {
      stepAt = performance.now();
    }
  });
  if (stepAt === undefined || terminal?.event !== 'agent_completed') {
    throw new Error(`run ended ${terminal?.event ?? 'without a terminal event'}`);
  }
  return {
    total: stepAt - started,
    create: createdAt - started,
    startHeaders: headersAt - createdAt,
    startToStep: stepAt - createdAt,
  };
}

async function firstStepOn(variant: Variant, redisPing: number[]) {
  return withAgentManager(variant, { AM_WORKERS: '2' }, async (am) => {
    const health = await timeEach(1000, healthRoundTrip(am));
    const samples = [];
    for (let i = -WARMUP; i < RUNS; i++) {
      const sample = await firstStepOnce(am);
      if (i >= 0) {
        samples.push(sample);
      }
    }
    // The service's own view of the same runs (warm-ups included): where the time goes.
    const service = {
      job_wait_mean_ms: await histogramMeanMs(am, 'am_job_wait_seconds'),
      step_duration_mean_ms: await histogramMeanMs(am, 'am_step_duration_seconds'),
    };
    const total = samples.map((s) => s.total);
    const p50 = median(total);
    const baseline =
      variant === 'real'
        ? { redis_ping_ms: latency(redisPing, 3), http_health_ms: latency(health, 3) }
        : { http_health_ms: latency(health, 3) };
    const floor = variant === 'real' ? median(redisPing) : median(health);
    return {
      queue: variant === 'real' ? 'BullMQ + Postgres + Redis Streams' : 'in-process (IPC) + PGlite',
      create_to_step_start_ms: latency(total),
      phases_ms: {
        create: latency(samples.map((s) => s.create)),
        start_response_headers: latency(samples.map((s) => s.startHeaders)),
        start_to_step_start: latency(samples.map((s) => s.startToStep)),
      },
      service_metrics: service,
      baseline,
      ratio_p50_to_http_health: round(p50 / median(health), 1),
      ...(variant === 'real' ? { ratio_p50_to_redis_ping: round(p50 / floor, 1) } : {}),
      target: `p50 <= ${TARGET_MS[variant]} ms`,
      ok: p50 <= TARGET_MS[variant],
    };
  });
}

/** Sequential ioredis PINGs on one connection: the Redis round trip of this box. */
async function redisPings(): Promise<number[]> {
  const url = process.env.REDIS_URL;
  if (!url) {
    return [];
  }
  const redis = new Redis(url);
  try {
    return await timeEach(1000, () => redis.ping(), 100);
  } finally {
    redis.disconnect();
  }
}

/** create → first step_start, ~100 agents one after another, on BullMQ and in-process. */
export async function benchAmFirstStep() {
  const ping = await redisPings();
  const real = await firstStepOn('real', ping);
  const embedded = await firstStepOn('embedded', ping);
  return {
    name: 'agent-manager.first-step',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method:
      `agent-manager's bundle (2 workers, mock model), ${RUNS} agents sequentially after ${WARMUP} warm-ups: ` +
      'POST /agents then POST /agents/{id}/start?stream=true via the typed client, timed until the ' +
      'step_start event is read; each run is read to agent_completed before the next. Baselines in ' +
      'the same run: ioredis PING (1000 sequential) and GET /health on the same service (1000 sequential)',
    baseline: { redis_ping_p50_ms: round(median(ping), 3) },
    real,
    embedded,
  };
}
