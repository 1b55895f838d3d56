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

/**
 * Polls /health until ok (true) or `timeoutMs` passes (false). Polls every few ms at first
 * (an engine answers ~50 ms after spawn, ~200 ms after container create) then backs off.
 */
export async function waitHealthy(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  while (Date.now() < deadline && !signal?.aborted) {
    if (await probeEngine(url, Math.min(2000, Math.max(1, deadline - Date.now())))) {
      return true;
    }
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
    delay = Math.min(100, delay * 1.5);
  }
  return false;
}
