import type { ToolRun } from '@agentplane/agent-loop';
import type { GatewayConfig } from '@agentplane/contracts';
import { guardedRequest } from './guarded-request.js';
import { checkUrl, HttpFetchRefused, type Resolve, resolveAll } from './http-fetch-policy.js';
import { builtinTool, type ToolImplementation } from './tool-implementation.js';

export interface HttpFetchToolOptions {
  /**
   * Host → addresses, for the allowlist check and for the connection itself; default
   * dns.lookup (tests point it at fixed answers).
   */
  resolve?: Resolve;
}

/** Headers worth showing the model; the rest (cookies, server banners…) are dropped. */
const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'content-language',
  'last-modified',
  'etag',
];
const MAX_REDIRECTS = 5;

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ body: string; truncated: boolean; bytes: number }> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return { body: '', truncated: false, bytes: 0 };
  }
  const decoder = new TextDecoder();
  let body = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return { body: body + decoder.decode(), truncated: false, bytes };
    }
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      body += decoder.decode(value.subarray(0, room));
      // Stop the download: the rest would be read only to be thrown away.
      await reader.cancel().catch(() => {});
      return { body, truncated: true, bytes: maxBytes };
    }
    bytes += value.byteLength;
    body += decoder.decode(value, { stream: true });
  }
}

function parseUrl(raw: unknown): URL {
  try {
    return new URL(String(raw));
  } catch {
    throw new HttpFetchRefused(`not a valid URL: ${String(raw)}`);
  }
}

interface FetchRequest {
  method: string;
  body: string | undefined;
  accept: string;
}

function nextRequest(status: number, req: FetchRequest): FetchRequest {
  // 307/308 keep the method and body; 301/302/303 become a GET, as browsers do.
  return status === 307 || status === 308 ? req : { ...req, method: 'GET', body: undefined };
}

/** One fetch under the config's policy, following redirects only to allowed hosts. */
export function createHttpFetchRun(
  settings: GatewayConfig['http_fetch'],
  opts: HttpFetchToolOptions = {},
): ToolRun {
  const resolve = opts.resolve ?? resolveAll;
  return async (input, ctx) => {
    const timeout = AbortSignal.timeout(settings.timeout_ms);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    let url = parseUrl(input.url);
    let req: FetchRequest = {
      method: input.method === 'POST' ? 'POST' : 'GET',
      body: typeof input.body === 'string' ? input.body : undefined,
      accept: typeof input.accept === 'string' ? input.accept : '*/*',
    };
    try {
      for (let hop = 0; ; hop += 1) {
        const match = await checkUrl(url, settings.allowed_hosts, resolve);
        // Redirects are followed here, so each hop is checked against the allowlist.
        const response = await guardedRequest(
          url,
          {
            method: req.method,
            body: req.method === 'POST' ? req.body : undefined,
            headers: { accept: req.accept },
            signal,
            publicOnly: match !== 'exact',
          },
          resolve,
        );
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location !== null) {
          await response.body?.cancel().catch(() => {});
          if (hop >= MAX_REDIRECTS) {
            throw new HttpFetchRefused(`more than ${MAX_REDIRECTS} redirects`);
          }
          url = new URL(location, url);
          req = nextRequest(response.status, req);
          continue;
        }
        const { body, truncated, bytes } = await readCapped(response, settings.max_response_bytes);
        const headers: Record<string, string> = {};
        for (const name of KEPT_HEADERS) {
          const value = response.headers.get(name);
          if (value !== null) {
            headers[name] = value;
          }
        }
        return { url: url.href, status: response.status, headers, body, truncated, bytes };
      }
    } catch (err) {
      if (timeout.aborted && !ctx.signal.aborted) {
        throw new Error(`http.fetch timed out after ${settings.timeout_ms} ms (${url.host})`);
      }
      if (err instanceof HttpFetchRefused) {
        throw new Error(`http.fetch refused: ${err.message}`);
      }
      if (ctx.signal.aborted) {
        throw err;
      }
      // undici reports every network failure as "fetch failed"; the cause says which.
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new Error(`http.fetch failed: ${cause ?? (err as Error).message} (${url.host})`);
    }
  };
}

/** `http.fetch`: GET (or POST) to hosts of the run's `http_fetch.allowed_hosts` only. */
export function httpFetchTool(opts: HttpFetchToolOptions = {}): ToolImplementation {
  return builtinTool('http.fetch', (_definition, scope) =>
    createHttpFetchRun(scope.config.http_fetch, opts),
  );
}
