import {
  guardedFetch,
  NetGuardRefused,
  NetGuardTimeout,
  type Resolve,
} from '@agentplane/net-guard';
import { type AgentTool, builtinDefinition, ToolError, type ToolErrorCode } from './agent-tool.js';

export interface HttpFetchOptions {
  /** `host`, `host:port`, `*.domain`: anything else is HOST_NOT_ALLOWED. */
  allowedHosts: readonly string[];
  /** Reach loopback and private addresses (tests, services on the same host); default false. */
  allowPrivate?: boolean;
  maxResponseBytes: number;
  timeoutMs: number;
  /** DNS for the check and the connection; default dns.lookup. */
  resolve?: Resolve;
}

const REFUSAL_CODES: Record<NetGuardRefused['reason'], ToolErrorCode> = {
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  PRIVATE_ADDRESS: 'PRIVATE_ADDRESS',
  BAD_URL: 'INVALID_INPUT',
  SCHEME: 'INVALID_INPUT',
  CREDENTIALS: 'INVALID_INPUT',
  UNRESOLVABLE: 'UPSTREAM_ERROR',
  TOO_MANY_REDIRECTS: 'UPSTREAM_ERROR',
};

function toToolError(err: unknown, host: string): unknown {
  if (err instanceof NetGuardRefused) {
    return new ToolError(REFUSAL_CODES[err.reason], `http.fetch refused: ${err.message}`, {
      reason: err.reason,
      host: err.host,
    });
  }
  if (err instanceof NetGuardTimeout) {
    return new ToolError('TIMEOUT', `http.fetch ${err.message}`);
  }
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return new ToolError(
    'UPSTREAM_ERROR',
    `http.fetch failed: ${cause ?? (err as Error).message} (${host})`,
  );
}

/**
 * `http.fetch`: GET or POST to allowlisted hosts through net-guard (addresses checked after DNS
 * and pinned for the connection, every redirect re-checked, body capped, one deadline).
 * Side-effecting: a POST may change the world, so a resumed run reuses the recorded answer.
 */
export function httpFetchTool(options: HttpFetchOptions): AgentTool {
  return {
    capability: 'http',
    sideEffecting: true,
    definition: builtinDefinition({
      name: 'http.fetch',
      description:
        'Fetches a URL (GET, or POST with a body) from an allowed host and returns status, a few ' +
        'headers and the body as text (capped).',
      input_schema: {
        type: 'object',
        properties: {
          url: { type: 'string', minLength: 1, maxLength: 4096 },
          method: { type: 'string', enum: ['GET', 'POST'], default: 'GET' },
          body: { type: 'string', maxLength: 1_000_000 },
          content_type: { type: 'string', maxLength: 200 },
          accept: { type: 'string', maxLength: 200 },
        },
        required: ['url'],
        additionalProperties: false,
      },
      timeout_ms: options.timeoutMs + 1_000,
    }),
    async run(input, ctx) {
      const url = String(input.url);
      const headers: Record<string, string> = {
        accept: typeof input.accept === 'string' ? input.accept : '*/*',
      };
      if (typeof input.content_type === 'string') {
        headers['content-type'] = input.content_type;
      }
      try {
        return await guardedFetch(
          {
            url,
            method: input.method === 'POST' ? 'POST' : 'GET',
            body: typeof input.body === 'string' ? input.body : undefined,
            headers,
          },
          {
            allowedHosts: options.allowedHosts,
            privateAddresses: options.allowPrivate === true ? 'allow' : 'refuse',
            maxResponseBytes: options.maxResponseBytes,
            timeoutMs: options.timeoutMs,
            resolve: options.resolve,
          },
          ctx.signal,
        );
      } catch (err) {
        if (ctx.signal.aborted) {
          throw err;
        }
        throw toToolError(err, url);
      }
    },
  };
}
