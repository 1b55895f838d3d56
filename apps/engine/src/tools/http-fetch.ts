import type { ToolRun } from '@agentplane/agent-loop';
import type { GatewayConfig } from '@agentplane/contracts/engine';
import {
  guardedFetch,
  NetGuardRefused,
  NetGuardTimeout,
  type Resolve,
} from '@agentplane/net-guard';
import { builtinTool, type ToolImplementation } from './tool-implementation.js';

export interface HttpFetchToolOptions {
  /**
   * Host → addresses, for the allowlist check and for the connection itself; default
   * dns.lookup (tests point it at fixed answers).
   */
  resolve?: Resolve;
}

/** The model-facing wording of a refusal: the allowlist is the gateway config's. */
function refusalMessage(err: NetGuardRefused): string {
  return err.reason === 'HOST_NOT_ALLOWED'
    ? `host ${err.host} is not in the gateway config's http_fetch.allowed_hosts`
    : err.message;
}

/**
 * One fetch under the config's policy (net-guard), following redirects only to allowed hosts.
 * Private addresses are reachable only through an exact allowed_hosts entry.
 */
export function createHttpFetchRun(
  settings: GatewayConfig['http_fetch'],
  opts: HttpFetchToolOptions = {},
): ToolRun {
  return async (input, ctx) => {
    try {
      return await guardedFetch(
        {
          url: String(input.url),
          method: input.method === 'POST' ? 'POST' : 'GET',
          body: typeof input.body === 'string' ? input.body : undefined,
          headers: { accept: typeof input.accept === 'string' ? input.accept : '*/*' },
        },
        {
          allowedHosts: settings.allowed_hosts,
          privateAddresses: 'exact-entries',
          maxResponseBytes: settings.max_response_bytes,
          timeoutMs: settings.timeout_ms,
          resolve: opts.resolve,
        },
        ctx.signal,
      );
    } catch (err) {
      if (err instanceof NetGuardTimeout) {
        throw new Error(`http.fetch ${err.message}`);
      }
      if (err instanceof NetGuardRefused) {
        throw new Error(`http.fetch refused: ${refusalMessage(err)}`);
      }
      if (ctx.signal.aborted) {
        throw err;
      }
      // Every network failure is reported as "fetch failed"; the cause says which.
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new Error(
        `http.fetch failed: ${cause ?? (err as Error).message} (${hostOf(input.url)})`,
      );
    }
  };
}

function hostOf(raw: unknown): string {
  try {
    return new URL(String(raw)).host;
  } catch {
    return String(raw);
  }
}

/** `http.fetch`: GET (or POST) to hosts of the run's `http_fetch.allowed_hosts` only. */
export function httpFetchTool(opts: HttpFetchToolOptions = {}): ToolImplementation {
  return builtinTool('http.fetch', (_definition, scope) =>
    createHttpFetchRun(scope.config.http_fetch, opts),
  );
}
