import { request } from 'node:http';
import { median, round, startServer } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_SSE_EVENTS ?? 50_000);
const EVENT_BYTES = 1024;

/** Reads one SSE stream to its end and counts complete events; returns events/s. */
function readStream(port: number, path: string, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let events = 0;
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const text = tail + chunk;
        let from = 0;
        for (let at = text.indexOf('\n\n', from); at !== -1; at = text.indexOf('\n\n', from)) {
          if (text.charCodeAt(from) !== 58 /* ':' comment */) {
            events++;
          }
          from = at + 2;
        }
        tail = text.slice(from);
      });
      res.on('end', () => {
        if (events !== expected) {
          reject(new Error(`expected ${expected} events, got ${events}`));
          return;
        }
        resolve(events / ((performance.now() - started) / 1000));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The kit's SSE writer vs bare res.write: 1 KB events to a real client on loopback. */
export async function benchSseWriter() {
  const bare = await startServer('sse-bare.ts');
  const kit = await startServer('sse-kit.ts');
  const path = `/sse?n=${EVENTS}&size=${EVENT_BYTES}`;
  try {
    await readStream(bare.port, path, EVENTS);
    await readStream(kit.port, path, EVENTS);
    const bareRuns: number[] = [];
    const kitRuns: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bareRuns.push(await readStream(bare.port, path, EVENTS));
      kitRuns.push(await readStream(kit.port, path, EVENTS));
    }
    const ratio = median(kitRuns) / median(bareRuns);
    return {
      name: 'http-kit.sse-writer',
      unit: 'events/s',
      event_bytes: EVENT_BYTES,
      events_per_stream: EVENTS,
      rounds: ROUNDS,
      bare_res_write: round(median(bareRuns), 0),
      kit: round(median(kitRuns), 0),
      ratio: round(ratio),
      target: '>= 0.9',
      meets_target: ratio >= 0.9,
      runs: {
        bare_res_write: bareRuns.map((x) => round(x, 0)),
        kit: kitRuns.map((x) => round(x, 0)),
      },
    };
  } finally {
    await Promise.all([bare.stop(), kit.stop()]);
  }
}
