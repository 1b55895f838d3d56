import { request } from 'node:http';

// No test-runner imports here: benchmarks use it too (`@agentplane/testkit/wait-healthy`).

export interface HealthProbeOptions {
  /** The health route; `/health` on our services, `/healthz` on processors. */
  path?: string;
  /** One probe's budget in ms; default 100 (below). */
  probeTimeoutMs?: number;
}

/**
 * The status of one GET on a fresh connection (0 when it fails), given up after 100 ms: a SYN sent
 * to a process or container that is still starting can be dropped, and the kernel resends it only
 * after 1 s, which a poller would otherwise wait out (and a benchmark measure as start-up time).
 */
export function healthStatus(baseUrl: string, opts: HealthProbeOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const url = `${baseUrl}${opts.path ?? '/health'}`;
    const req = request(url, { agent: false, timeout: opts.probeTimeoutMs ?? 100 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export interface WaitHealthyOptions extends HealthProbeOptions {
  /** Give up (throw) after this long; default 30 s. */
  timeoutMs?: number;
  /** Pause between probes; default 100 ms (benchmarks timing a start pass 5). */
  everyMs?: number;
}

/**
 * Polls `baseUrl`'s health route until it answers 200: a service that logs `listening` can still
 * be opening its stores. Throws with the last status once `timeoutMs` has passed.
 *
 * ```ts
 * await waitHealthy(service.baseUrl, { timeoutMs: 60_000 });
 * ```
 */
export async function waitHealthy(baseUrl: string, opts: WaitHealthyOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await healthStatus(baseUrl, opts);
    if (status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      const route = opts.path ?? '/health';
      throw new Error(
        `${baseUrl}${route} not healthy after ${timeoutMs} ms (last status ${status})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, opts.everyMs ?? 100));
  }
}
