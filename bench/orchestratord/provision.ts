import { loadavg } from 'node:os';
import { median, percentile, round, summary } from '../harness.js';
import { dockerOrSkip, image, MAX_OVERHEAD, RUNS, sleep } from './common.js';
import { type Fleet, type FleetDriver, provisionOne, startFleet } from './fleet.js';
import { rawContainerFloor, rawSpawnFloor } from './floors.js';
import { openPgDatabase } from './pg-database.js';

/** Warm-pool engines ready to be claimed, from the fleet's /metrics. */
async function warmReady(fleet: Fleet): Promise<number> {
  const text = await (await fetch(`${fleet.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('orchestratord_engines{') && /status="running".*warm="true"/.test(l));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function provisionRun(driver: FleetDriver, ports: [number, number], warmPool = 0) {
  const fleet = await startFleet({
    driver,
    ports,
    database: await openPgDatabase(),
    env: { ORCH_WARM_POOL_SIZE: String(warmPool) },
  });
  try {
    // With a warm pool: every provision (the warm-up too) claims an engine booted beforehand,
    // while the pool refills in the background (one boot at a time, as in production).
    const deadline = Date.now() + 120_000;
    while ((await warmReady(fleet)) < warmPool) {
      if (Date.now() > deadline) {
        throw new Error(`warm pool of ${warmPool} not ready within 120 s`);
      }
      await sleep(100);
    }
    await provisionOne(fleet, 'warm-up');
    const api: number[] = [];
    const boot: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const engine = await provisionOne(fleet, `user-${i}`);
      api.push(performance.now() - started);
      boot.push(engine.boot_ms ?? Number.NaN);
    }
    const destroy: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await fleet.api.destroyEngine({ params: { user_id: `user-${i}` } });
      destroy.push(performance.now() - started);
    }
    return { db: fleet.db, runner: fleet.runner, api, boot, destroy };
  } finally {
    await fleet.close();
  }
}

/** Cold provisions (each boots an engine) next to the floor measured without the orchestrator. */
function coldSummary(
  run: { api: number[]; boot: number[]; destroy: number[] },
  floorName: string,
  floor: number[],
) {
  const ratio = median(run.api) / median(floor);
  return {
    provision_ms: summary(run.api),
    orchestrator_boot_ms: summary(run.boot),
    [floorName]: summary(floor),
    overhead_p50_ms: round(median(run.api) - median(floor), 1),
    ratio_p50: round(ratio),
    overhead_p50_pct: round((ratio - 1) * 100, 1),
    destroy_ms: summary(run.destroy),
  };
}

/**
 * Provision → healthy through the HTTP API, 10 sequential engines per driver: cold (each boots
 * an engine; vs the raw floor) and from a warm pool of RUNS + 1 (ORCH_WARM_POOL_SIZE).
 */
export async function benchOrchProvision() {
  const proc = await provisionRun({ kind: 'process' }, [22000, 22099]);
  const procFloor = await rawSpawnFloor(RUNS);
  const procWarm = await provisionRun({ kind: 'process' }, [22000, 22099], RUNS + 1);
  const processResult = {
    db: proc.db,
    runner: proc.runner,
    cold: coldSummary(proc, 'floor_raw_spawn_to_200_ms', procFloor),
    warm_pool: { size: RUNS + 1, provision_ms: summary(procWarm.api) },
    target: 'p50 <= 150 ms',
    meets_target_cold: median(proc.api) <= 150,
    meets_target_warm_pool: median(procWarm.api) <= 150,
  };
  const docker = await dockerOrSkip();
  let dockerResult: Record<string, unknown>;
  if (typeof docker === 'string') {
    dockerResult = { skipped: docker };
  } else {
    const run = await provisionRun({ kind: 'docker', docker }, [22100, 22199]);
    const floor = await rawContainerFloor(docker, await image(), RUNS);
    const warm = await provisionRun({ kind: 'docker', docker }, [22100, 22199], RUNS + 1);
    const meets = (xs: number[]) => median(xs) <= 400 && percentile(xs, 95) <= 700;
    dockerResult = {
      db: run.db,
      runner: run.runner,
      image: await image(),
      cold: coldSummary(run, 'floor_raw_create_start_to_200_ms', floor),
      warm_pool: { size: RUNS + 1, provision_ms: summary(warm.api) },
      target: 'p50 <= 400 ms, p95 <= 700 ms',
      meets_target_cold: meets(run.api),
      meets_target_warm_pool: meets(warm.api),
      ratio_target: `cold provision p50 <= ${1 + MAX_OVERHEAD} × floor_raw_create_start_to_200_ms p50 (overhead <= ${MAX_OVERHEAD * 100}%)`,
      meets_ratio_target: median(run.api) <= (1 + MAX_OVERHEAD) * median(floor),
    };
  }
  return {
    name: 'orchestratord.provision',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'ms',
    runs: RUNS,
    method:
      "sequential POST /engines/provision via the generated client against orchestratord's bundle in its own process; 1 unrecorded warm-up; floors poll /health every 5 ms",
    process: processResult,
    docker: dockerResult,
  };
}
