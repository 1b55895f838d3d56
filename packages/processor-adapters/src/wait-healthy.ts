import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpPool, httpCall } from './http-call.js';

export interface WaitHealthyOptions {
  /** Give up after this long: the processor is then unreachable. */
  timeoutMs: number;
  /** Pause between failed probes; a fresh container answers within ~40 ms of start (limits.md §3). */
  intervalMs?: number;
  /**
   * Asked between probes (at most every `checkEveryMs`): a reason when waiting is pointless, e.g.
   * the container has exited.
   */
  gone?: () => Promise<string | undefined>;
  checkEveryMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type Health = { ok: true } | { ok: false; reason: string };

function isHealthyBody(body: string): boolean {
  try {
    return (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

/** Polls `GET {base}/healthz` until it answers 200 `{"ok":true}` or the bound passes. */
export async function waitHealthy(
  pool: HttpPool,
  base: URL,
  options: WaitHealthyOptions,
): Promise<Health> {
  const url = new URL('healthz', base);
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const interval = options.intervalMs ?? 5;
  const checkEvery = options.checkEveryMs ?? 250;
  let lastCheck = started;
  let last = 'no answer yet';
  for (;;) {
    const left = deadline - performance.now();
    if (options.signal?.aborted) {
      return { ok: false, reason: 'aborted by the caller' };
    }
    if (left <= 0) {
      return { ok: false, reason: `not healthy after ${options.timeoutMs} ms (${last})` };
    }
    const outcome = await httpCall(pool, url, {
      method: 'GET',
      headers: options.headers,
      timeoutMs: Math.min(left, 2_000),
      signal: options.signal,
    });
    if (outcome.kind === 'answer' && outcome.status === 200 && isHealthyBody(outcome.body)) {
      return { ok: true };
    }
    last =
      outcome.kind === 'answer'
        ? `GET /healthz answered ${outcome.status}`
        : outcome.kind === 'unreachable'
          ? outcome.reason
          : outcome.kind;
    if (options.gone && performance.now() - lastCheck >= checkEvery) {
      lastCheck = performance.now();
      const reason = await options.gone();
      if (reason !== undefined) {
        return { ok: false, reason };
      }
    }
    await sleep(interval);
  }
}
