import { currentCorrelationId } from './correlation.js';

/** `{ 'x-correlation-id': id }` for the request being served, or `{}` outside a request. */
export function correlationHeaders(): Record<string, string> {
  const id = currentCorrelationId();
  return id === undefined ? {} : { 'x-correlation-id': id };
}

/**
 * `init` with X-Correlation-Id added (unless the caller already set one). For `node:http`
 * callers on hot paths, spread `correlationHeaders()` into the headers instead.
 */
export function withCorrelation(init: RequestInit = {}): RequestInit {
  const id = currentCorrelationId();
  if (id === undefined) {
    return init;
  }
  const headers = new Headers(init.headers);
  if (!headers.has('x-correlation-id')) {
    headers.set('x-correlation-id', id);
  }
  return { ...init, headers };
}

/**
 * A `fetch` that forwards the current correlation id on every call.
 *
 * @example
 * const fetchOut = createOutgoingFetch();
 * await fetchOut(`${engineUrl}/health`); // carries the caller's X-Correlation-Id
 */
export function createOutgoingFetch(baseFetch: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    // A Request's own headers would be replaced by init.headers, so start from them.
    const base =
      init?.headers === undefined && input instanceof Request
        ? { ...init, headers: input.headers }
        : init;
    return baseFetch(input, withCorrelation(base));
  };
}
