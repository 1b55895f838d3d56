import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bareNodeMemory, memoryOf, round } from '../harness.js';
import { json, platformHeaders, sleep } from './common.js';
import { startFleet } from './fleet.js';
import { openPgDatabase } from './pg-database.js';

const RSS_ENGINES = Number(process.env.BENCH_ORCH_RSS_ENGINES ?? 100);

/** Runs `fn` over `users` 10 at a time. */
async function tenAtATime(users: string[], fn: (user: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < users.length; i += 10) {
    await Promise.all(users.slice(i, i + 10).map(fn));
  }
}

async function rssOn(kind: 'postgres' | 'pglite', engines: number) {
  const database = kind === 'postgres' ? await openPgDatabase() : undefined;
  if (kind === 'postgres' && database === undefined) {
    return { skipped: 'DATABASE_URL unset or unreachable' };
  }
  const stub = fileURLToPath(new URL('../servers/stub-engine.ts', import.meta.url));
  const fleet = await startFleet({
    driver: { kind: 'process', engineCommand: [process.execPath, stub] },
    ports: kind === 'postgres' ? [23000, 23199] : [23200, 23399],
    database,
    env: { ORCH_HEALTH_INTERVAL_MS: '500' },
  });
  try {
    const headers = platformHeaders(fleet.key);
    const users = Array.from({ length: engines }, (_, i) => `u-${i}`);
    await sleep(3000);
    const idleMemory = memoryOf(fleet.pid);
    const idle = idleMemory.rss_mb;
    if (engines === 0) {
      return {
        db: kind,
        runner: fleet.runner,
        idle_rss_mb: idle,
        idle_memory: idleMemory,
        engines: 0,
      };
    }
    const started = performance.now();
    // 10 at a time: the steady state with 100 engines is measured, not how fast they came up.
    await tenAtATime(users, (user) =>
      json(`${fleet.url}/engines/provision`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ user_id: user }),
      }),
    );
    const provisionS = (performance.now() - started) / 1000;
    // A few health-loop ticks over all of them, RSS sampled as they run.
    const samples: number[] = [];
    let loaded = memoryOf(fleet.pid);
    for (let i = 0; i < 8; i++) {
      await sleep(500);
      loaded = memoryOf(fleet.pid);
      samples.push(loaded.rss_mb);
    }
    const status = await json<{ by_status: Record<string, number>; health: unknown }>(
      `${fleet.url}/status`,
      { headers },
    );
    await tenAtATime(users, (user) =>
      fetch(`${fleet.url}/engines/${user}`, { method: 'DELETE', headers }),
    );
    const withEngines = samples.at(-1) ?? 0;
    return {
      db: kind,
      runner: fleet.runner,
      idle_rss_mb: idle,
      idle_memory: idleMemory,
      rss_mb_with_engines: round(withEngines, 1),
      memory_with_engines: loaded,
      rss_mb_with_engines_max: round(Math.max(...samples), 1),
      engines,
      fleet_by_status: status.by_status,
      fleet_health: status.health,
      provision_all_10_in_flight_s: round(provisionS, 1),
      meets_target: withEngines <= 150,
    };
  } finally {
    // Engines a failed run left behind are killed there (a clean run destroyed them all).
    await fleet.close();
  }
}

/** The orchestrator process's own RSS (real bundle), idle and with 100 stand-in engines. */
export async function benchOrchRss() {
  return {
    name: 'orchestratord.rss',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'MB',
    method:
      "orchestratord's bundle as its own process, process driver, stand-in engines (bench/servers/stub-engine.ts), ORCH_HEALTH_INTERVAL_MS=500; VmRSS from /proc",
    target: `<= 150 MB with ${RSS_ENGINES} engines`,
    bare_node_memory: await bareNodeMemory(),
    postgres: await rssOn('postgres', RSS_ENGINES),
    // Idle only: PGlite's share is the embedded database itself, and 100 more spawns would
    // double the benchmark's time. BENCH_ORCH_RSS_PGLITE_ENGINES=100 measures it loaded too.
    pglite: await rssOn('pglite', Number(process.env.BENCH_ORCH_RSS_PGLITE_ENGINES ?? 0)),
  };
}
