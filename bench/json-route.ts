import autocannon from 'autocannon';
import { median, round, startServer } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);

async function requestsPerSecond(port: number, duration: number): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/ping`,
    connections: 50,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench request failed: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return result.requests.average;
}

/** The kit's per-request overhead: a trivial JSON route through the whole kit vs bare express. */
export async function benchJsonRoute() {
  const bare = await startServer('json-bare.ts');
  const kit = await startServer('json-kit.ts');
  try {
    // Warm both (JIT, connection pools) before anything is recorded.
    await requestsPerSecond(bare.port, 2);
    await requestsPerSecond(kit.port, 2);
    const bareRuns: number[] = [];
    const kitRuns: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bareRuns.push(await requestsPerSecond(bare.port, DURATION_S));
      kitRuns.push(await requestsPerSecond(kit.port, DURATION_S));
    }
    const ratio = median(kitRuns) / median(bareRuns);
    return {
      name: 'http-kit.json-route',
      unit: 'req/s',
      connections: 50,
      rounds: ROUNDS,
      bare_express: round(median(bareRuns), 0),
      kit: round(median(kitRuns), 0),
      ratio: round(ratio),
      target: '>= 0.8',
      meets_target: ratio >= 0.8,
      runs: {
        bare_express: bareRuns.map((x) => round(x, 0)),
        kit: kitRuns.map((x) => round(x, 0)),
      },
    };
  } finally {
    await Promise.all([bare.stop(), kit.stop()]);
  }
}
