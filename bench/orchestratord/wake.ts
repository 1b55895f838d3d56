import { loadavg } from 'node:os';
import { waitHealthy } from '@agentplane/testkit/wait-healthy';
import { median, round, summary } from '../harness.js';
import { dockerOrSkip, FLOOR_POLL_MS, MAX_OVERHEAD, RUNS } from './common.js';
import { type FleetDriver, provisionOne, startFleet } from './fleet.js';
import { openPgDatabase } from './pg-database.js';

async function wakeRun(driver: FleetDriver, ports: [number, number], runs: number) {
  const fleet = await startFleet({ driver, ports, database: await openPgDatabase() });
  try {
    const engine = await provisionOne(fleet, 'sleeper');
    const wake: number[] = [];
    const sleepMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s0 = performance.now();
      const slept = await fleet.api.sleepEngine({ params: { user_id: 'sleeper' } });
      sleepMs.push(performance.now() - s0);
      if (slept.status !== 200) {
        throw new Error(`sleep: ${slept.status}`);
      }
      const started = performance.now();
      const admitted = await fleet.api.admitEngine({ params: { user_id: 'sleeper' }, body: {} });
      wake.push(performance.now() - started);
      if (admitted.status !== 200 || !admitted.body.admitted || !admitted.body.woke) {
        throw new Error(`admit did not wake: ${JSON.stringify(admitted.body)}`);
      }
    }
    // The floor: the same stopped container started through the Docker API and polled to its
    // first 200, without the orchestrator.
    const floor: number[] = [];
    if (driver.kind === 'docker') {
      const container = driver.docker.getContainer(`engine-${engine.engine_id}`);
      for (let i = 0; i < runs; i++) {
        await fleet.api.sleepEngine({ params: { user_id: 'sleeper' } });
        const started = performance.now();
        await container.start();
        await waitHealthy(engine.url, { everyMs: FLOOR_POLL_MS, timeoutMs: 60_000 });
        floor.push(performance.now() - started);
        await container.stop({ t: 5 });
        await fleet.api.startEngine({ params: { user_id: 'sleeper' } });
      }
    }
    const ratio = median(wake) / median(floor);
    return {
      db: fleet.db,
      runner: fleet.runner,
      runs,
      wake_admit_ms: summary(wake),
      ...(floor.length > 0
        ? {
            floor_raw_start_to_200_ms: summary(floor),
            overhead_p50_ms: round(median(wake) - median(floor), 1),
            ratio_p50: round(ratio),
            overhead_p50_pct: round((ratio - 1) * 100, 1),
            ratio_target: `wake p50 <= ${1 + MAX_OVERHEAD} × floor_raw_start_to_200_ms p50 (overhead <= ${MAX_OVERHEAD * 100}%)`,
            meets_ratio_target: ratio <= 1 + MAX_OVERHEAD,
          }
        : {}),
      sleep_ms: summary(sleepMs),
      target: 'p50 <= 300 ms',
      meets_target: median(wake) <= 300,
    };
  } finally {
    await fleet.close();
  }
}

/** sleeping → admitted: POST sleep, then a timed admit (auto_wake), repeated. */
export async function benchOrchWake() {
  const processResult = await wakeRun({ kind: 'process' }, [22200, 22299], RUNS);
  const docker = await dockerOrSkip();
  const dockerResult =
    typeof docker === 'string'
      ? { skipped: docker }
      : await wakeRun({ kind: 'docker', docker }, [22300, 22399], RUNS);
  return {
    name: 'orchestratord.wake',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    method: 'POST /engines/{u}/sleep, then POST /engines/{u}/admit {} timed (woke=true checked)',
    process: processResult,
    docker: dockerResult,
  };
}
