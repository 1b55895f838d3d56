import { loadavg } from 'node:os';
import { median, round } from '../harness.js';
import { agentBody, createAndStream, followEvents, latency, sleep } from './common.js';
import { type AmService, type Variant, withAgentManager } from './service.js';

const SAMPLES = Number(process.env.BENCH_AM_RESUME_SAMPLES ?? 5);
// 50 ms per streamed token (#mock-slow): each step takes ~200 ms, the run ~10 s, so the kill
// lands mid-run with time to spare.
const SLOW_GOAL = 'use file.write notes.txt\n#mock-slow\n#mock-steps=50';
const TARGET_MS = 2000;

/** The pid of the worker holding a job, from listWorkers (workers report every second). */
async function holder(am: AmService, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await am.admin.listWorkers({});
    const busy =
      res.status === 200 ? res.body.workers.find((w) => w.jobs_in_flight > 0) : undefined;
    if (busy) {
      return busy.pid;
    }
    await sleep(50);
  }
  throw new Error('no worker reported a job in flight');
}

/** One agent: started, its worker SIGKILLed after its first step, ms until run_resumed. */
async function resumeOnce(am: AmService) {
  const { agent_id, events } = await createAndStream(am, agentBody(SLOW_GOAL));
  let resumedAt: number | undefined;
  let fromStep: number | undefined;
  let stepEnded!: () => void;
  const firstStepEnded = new Promise<void>((resolve) => {
    stepEnded = resolve;
  });
  const followed = followEvents(events, (event) => {
    if (event.event === 'step_end') {
      stepEnded();
    }
    if (event.event === 'run_resumed' && resumedAt === undefined) {
      resumedAt = performance.now();
      fromStep = event.from_step;
      // Enough seen: the rest of the run is not needed.
      void am.client.cancelAgent({ params: { agent_id } });
    }
  });
  await firstStepEnded;
  const pid = await holder(am);
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  const terminal = await followed;
  if (resumedAt === undefined) {
    throw new Error(`no run_resumed (ended ${terminal?.event})`);
  }
  return { ms: resumedAt - killedAt, fromStep, terminal: terminal?.event };
}

async function resumeOn(variant: Variant) {
  return withAgentManager(variant, { AM_WORKERS: '2' }, async (am) => {
    const times: number[] = [];
    const ends: Record<string, number> = {};
    let fromStep: number | undefined;
    for (let i = 0; i < SAMPLES; i++) {
      // The pool replaces the killed worker (200 ms later); each sample starts with two.
      while ((await am.runningWorkers()).length < 2) {
        await sleep(50);
      }
      const sample = await resumeOnce(am);
      times.push(sample.ms);
      fromStep = sample.fromStep;
      const end = sample.terminal ?? 'none';
      ends[end] = (ends[end] ?? 0) + 1;
    }
    return {
      queue: variant === 'real' ? 'BullMQ (lock 1 s, stalled check 0.5 s)' : 'in-process (IPC)',
      kill_to_run_resumed_ms: latency(times, 0),
      from_step_last_sample: fromStep,
      runs_ended: ends,
      target: `p50 and max <= ${TARGET_MS} ms`,
      ok: median(times) <= TARGET_MS && Math.max(...times) <= TARGET_MS,
    };
  });
}

/** SIGKILL of the worker holding a run → the run's run_resumed event on its stream. */
export async function benchAmResume() {
  return {
    name: 'agent-manager.resume',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method:
      `agent-manager's bundle, 2 workers; ${SAMPLES} samples per variant: an agent with a slow goal ` +
      '(#mock-slow, 50 steps) started with stream=true; after its first step_end the worker with ' +
      'jobs_in_flight > 0 (GET /internal/workers) is SIGKILLed; timed from the kill until ' +
      'run_resumed is read on the same stream; then the agent is cancelled',
    embedded: await resumeOn('embedded'),
    real: await resumeOn('real'),
  };
}
