import http from 'node:http';

// One keep-alive agent for every probe: the health loop hits the same engines every tick.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * GET {url}/health: true only for a 200 whose body says `"status":"ok"` (the engine contract's
 * readiness). Never throws; a refused connection or a timeout is false.
 */
export function probeEngine(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/health`, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve(res.statusCode === 200 && /"status"\s*:\s*"ok"/.test(body));
      });
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const FAST_POLL_MS = 3000;

/**
 * Polls /health until ok (true) or `timeoutMs` passes (false). Every 5 ms for the first
 * seconds, where every engine comes up (~50 ms after spawn, ~200–300 ms after container create):
 * a refused loopback connect costs ~0.1 ms, while a growing delay added up to 100 ms to each
 * boot. Slower boots are polled less often.
 */
export async function waitHealthy(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    const fast = Date.now() - started < FAST_POLL_MS;
    // A short probe while booting: a SYN sent before the container's network is up can be
    // dropped, and the kernel would resend it only after 1 s. 100 ms, as the benchmarks' floor
    // probes: at 300 ms a dropped SYN added ~0.1–0.3 s to a Podman wake.
    const probeMs = fast ? 100 : 2000;
    if (await probeEngine(url, Math.min(probeMs, Math.max(1, deadline - Date.now())))) {
      return true;
    }
    const delay = fast ? 5 : 100;
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
  return false;
}
