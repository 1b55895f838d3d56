import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { round } from '../harness.js';

// The two ways admit (and its GET /health floor) is loaded: one request at a time, and 200 in
// flight.

/** Sequential requests with hrtime after 200 unrecorded ones: the per-request cost without queueing. */
export async function sequential(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  count: number,
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = request(url, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`${url}: ${res.statusCode}`));
          } else {
            resolve(performance.now() - started);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    for (let i = 0; i < 200; i++) {
      await one();
    }
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      times.push(await one());
    }
    return times;
  } finally {
    agent.destroy();
  }
}

/** autocannon with 200 connections for `duration` s; any non-2xx or error throws. */
export async function cannon(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  duration: number,
) {
  const result = await autocannon({
    url,
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    connections: 200,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return {
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    req_per_s: round(result.requests.average, 0),
  };
}
