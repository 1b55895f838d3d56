import type { ProcessorEnvelope, ProcessorRunRequestBody } from '@agentplane/contracts';
import type { AdapterLogger, ProcessorAdapter } from './adapter.js';
import { silentLogger } from './adapter.js';
import { adapterError, settleOutcome } from './adapter-envelope.js';
import { createHttpPool, httpCall } from './http-call.js';
import type { ProcessorTarget } from './target.js';
import { type Health, waitHealthy } from './wait-healthy.js';

export interface RemoteAdapterOptions {
  /** The deployed processor's base URL, e.g. `https://proc.example.com/` (the seed's Modal web URL). */
  url: string;
  target: ProcessorTarget;
  /** Sent on every call, e.g. an authorization header for the deployment. */
  headers?: Record<string, string>;
  /** Bound on the first /healthz (a deployment may be scaled to zero); default 30 s. */
  healthTimeoutMs?: number;
  /** Bound on POST /run; default the registry's runtime.timeout_s plus 5 s. */
  runTimeoutMs?: number;
  logger?: AdapterLogger;
}

/**
 * A RemoteAdapter: the same transport and checks as the LocalAdapter against a processor that is
 * already running somewhere. It waits for /healthz once (again after a failure), then POSTs /run.
 * write_prefix is passed as given: it names a directory on the processor's side.
 */
export function createRemoteAdapter(options: RemoteAdapterOptions): ProcessorAdapter {
  const { target } = options;
  const logger = options.logger ?? silentLogger;
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  const pool = createHttpPool();
  const healthTimeoutMs = options.healthTimeoutMs ?? 30_000;
  const runTimeoutMs = options.runTimeoutMs ?? target.runtime.timeout_s * 1000 + 5_000;
  let healthy: Promise<Health> | undefined;

  async function ready(): Promise<Health> {
    healthy ??= waitHealthy(pool, base, {
      timeoutMs: healthTimeoutMs,
      intervalMs: 100,
      headers: options.headers,
    });
    const current = healthy;
    const health = await current;
    // Concurrent runs share one wait; a failed one is retried by the next run.
    if (!health.ok && healthy === current) {
      healthy = undefined;
    }
    return health;
  }

  async function run(
    request: ProcessorRunRequestBody,
    runOptions: { signal?: AbortSignal } = {},
  ): Promise<ProcessorEnvelope> {
    const started = performance.now();
    const health = await ready();
    if (!health.ok) {
      logger.warn(
        {
          ref: target.ref,
          execution_id: request.execution_id,
          url: base.origin,
          reason: health.reason,
        },
        'processor.remote.unhealthy',
      );
      return adapterError(target, request.execution_id, 'ERR_ADAPTER_UNREACHABLE', health.reason);
    }
    const outcome = await httpCall(pool, new URL('run', base), {
      method: 'POST',
      body: JSON.stringify(request),
      headers: options.headers,
      timeoutMs: runTimeoutMs,
      signal: runOptions.signal,
    });
    if (outcome.kind !== 'answer') {
      // The deployment may have gone away: check health again before the next run.
      healthy = undefined;
    }
    const envelope = settleOutcome(target, request.execution_id, outcome, runTimeoutMs);
    logger.info(
      {
        ref: target.ref,
        execution_id: request.execution_id,
        url: base.origin,
        status: envelope.status,
        ...(envelope.status === 'error' ? { code: envelope.error.code } : {}),
        total_ms: performance.now() - started,
      },
      'processor.run.settle',
    );
    return envelope;
  }

  return {
    kind: 'remote',
    target,
    run,
    async close() {
      pool.destroy();
    },
  };
}
