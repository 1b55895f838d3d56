import { loadavg } from 'node:os';
import { round, summary } from '../harness.js';
import { platformHeaders } from './common.js';
import { provisionOne, startFleet } from './fleet.js';
import { cannon, sequential } from './load.js';
import { openPgDatabase } from './pg-database.js';

const ADMIT_DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
/**
 * Admit's throughput at 200 in flight as a ratio to GET /health on the same server in the same
 * run (issue 14): the share of the HTTP floor that admit's own work leaves.
 */
const MIN_THROUGHPUT_RATIO = 0.5;

async function admitOn(kind: 'postgres' | 'pglite') {
  const database = kind === 'postgres' ? await openPgDatabase() : undefined;
  if (kind === 'postgres' && database === undefined) {
    return { skipped: 'DATABASE_URL unset or unreachable' };
  }
  const fleet = await startFleet({
    driver: { kind: 'process' },
    ports: kind === 'postgres' ? [22400, 22499] : [22500, 22599],
    database,
  });
  try {
    await provisionOne(fleet, 'alice');
    const headers = platformHeaders(fleet.key);
    const admitUrl = `${fleet.url}/engines/alice/admit`;
    const healthUrl = `${fleet.url}/health`;
    const seqAdmit = await sequential(admitUrl, 'POST', headers, '{}', 1000);
    const seqHealth = await sequential(healthUrl, 'GET', {}, undefined, 1000);
    await cannon(admitUrl, 'POST', headers, '{}', 2);
    const admit200 = await cannon(admitUrl, 'POST', headers, '{}', ADMIT_DURATION_S);
    await cannon(healthUrl, 'GET', {}, undefined, 1);
    const health200 = await cannon(healthUrl, 'GET', {}, undefined, ADMIT_DURATION_S);
    const throughputRatio = admit200.req_per_s / health200.req_per_s;
    return {
      db: kind,
      runner: fleet.runner,
      admit_c200: admit200,
      health_c200_baseline: health200,
      throughput_ratio_c200: round(throughputRatio),
      ratio_target: `admit_c200 req/s >= ${MIN_THROUGHPUT_RATIO} × health_c200_baseline req/s`,
      meets_ratio_target: throughputRatio >= MIN_THROUGHPUT_RATIO,
      admit_sequential_ms: summary(seqAdmit, { high: 99, digits: 3 }),
      health_sequential_ms_baseline: summary(seqHealth, { high: 99, digits: 3 }),
      meets_target: admit200.p50_ms <= 1 && admit200.p99_ms <= 5,
    };
  } finally {
    await fleet.close();
  }
}

/** POST /engines/{u}/admit on a running engine: 200 in flight (autocannon) and one at a time. */
export async function benchOrchAdmit() {
  return {
    name: 'orchestratord.admit',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    method:
      "orchestratord's bundle in its own process, process driver, 1 running engine; autocannon 200 connections for " +
      `${ADMIT_DURATION_S} s after a warm-up (latency in whole ms), and 1000 sequential requests on one keep-alive socket (hrtime)`,
    target: 'p50 <= 1 ms, p99 <= 5 ms at 200 concurrent',
    postgres: await admitOn('postgres'),
    pglite: await admitOn('pglite'),
  };
}
