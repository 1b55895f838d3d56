import autocannon from 'autocannon';
import { median, round, startServer } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);

// About 1 KB of JSON, as a typical /execute or admit body.
const BODY = JSON.stringify({
  items: Array.from({ length: 24 }, (_, id) => ({ id, name: `item ${id} ✓` })),
});

type Load = 'get' | 'post';

async function requestsPerSecond(port: number, duration: number, load: Load): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${load === 'get' ? '/ping' : '/echo'}`,
    connections: 50,
    duration,
    ...(load === 'post'
      ? { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } }
      : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench request failed: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return result.requests.average;
}

/** One load through both servers, interleaved per round: the kit vs bare express. */
async function compare(name: string, load: Load, target: number) {
  const bare = await startServer('json-bare.ts');
  const kit = await startServer('json-kit.ts');
  try {
    // Warm both (JIT, connection pools) before anything is recorded.
    await requestsPerSecond(bare.port, 2, load);
    await requestsPerSecond(kit.port, 2, load);
    const bareRuns: number[] = [];
    const kitRuns: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bareRuns.push(await requestsPerSecond(bare.port, DURATION_S, load));
      kitRuns.push(await requestsPerSecond(kit.port, DURATION_S, load));
    }
    const ratio = median(kitRuns) / median(bareRuns);
    return {
      name,
      unit: 'req/s',
      connections: 50,
      rounds: ROUNDS,
      ...(load === 'post' ? { body_bytes: Buffer.byteLength(BODY) } : {}),
      bare_express: round(median(bareRuns), 0),
      kit: round(median(kitRuns), 0),
      ratio: round(ratio),
      target: `>= ${target}`,
      meets_target: ratio >= target,
      runs: {
        bare_express: bareRuns.map((x) => round(x, 0)),
        kit: kitRuns.map((x) => round(x, 0)),
      },
    };
  } finally {
    await Promise.all([bare.stop(), kit.stop()]);
  }
}

/** The kit's per-request overhead: a trivial JSON route through the whole kit vs bare express. */
export function benchJsonRoute() {
  return compare('http-kit.json-route', 'get', 0.8);
}

/**
 * A 1 KB JSON body through the kit's reader and schema vs body-parser with no validation: what
 * strict UTF-8, the prototype-poisoning check and validation cost a body route.
 */
export function benchJsonBody() {
  return compare('http-kit.json-body', 'post', 0.8);
}
