import type { Exchange, ExchangeCheck } from './response-check.js';

/** What the hook needs to know about the request when its response arrives. */
export interface RequestContext {
  allowed: boolean;
  test: string | undefined;
}

export type StartCheck = (exchange: Exchange) => ExchangeCheck | undefined;

// Statuses whose Response cannot carry a body (the Response constructor throws on one).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function requestLine(input: Parameters<typeof fetch>[0], init: RequestInit | undefined) {
  if (input instanceof Request) {
    return { url: input.url, method: (init?.method ?? input.method).toUpperCase() };
  }
  return { url: String(input), method: (init?.method ?? 'GET').toUpperCase() };
}

/**
 * The response the test gets for an event stream: the same bytes, pulled from the original body
 * only when the test reads (highWaterMark 0), each chunk also fed to the check. Cancelling it
 * cancels the original, so a test that drops the stream still disconnects from the server.
 */
function observedStream(response: Response, check: ExchangeCheck): Response {
  const source = response.body;
  if (source === null) {
    return response;
  }
  const reader = source.getReader();
  const decoder = new TextDecoder();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          check.streamText(decoder.decode());
          controller.close();
          return;
        }
        check.streamText(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const copy = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // Fields the constructor cannot set; tests read `url` (redirects are not followed to us).
  Object.defineProperty(copy, 'url', { value: response.url });
  Object.defineProperty(copy, 'redirected', { value: response.redirected });
  return copy;
}

/**
 * A fetch that behaves as `original` and hands every response to the check: a JSON (or any
 * non-stream) body through a clone, read in the background; an event stream through
 * observedStream, so the test sees each event when it would have and nothing is buffered.
 */
export function checkedFetch(
  original: typeof fetch,
  context: () => RequestContext,
  start: StartCheck,
): typeof fetch {
  return async (input, init) => {
    const { allowed, test } = context();
    const { url, method } = requestLine(input, init);
    const response = await original(input, init);
    let parsed: URL;
    try {
      parsed = new URL(response.url === '' ? url : response.url);
    } catch {
      return response;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return response;
    }
    const check = start({
      method,
      url: parsed,
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      allowed,
      test,
    });
    if (check === undefined) {
      return response;
    }
    const media = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (media === 'text/event-stream' && !NULL_BODY.has(response.status)) {
      return observedStream(response, check);
    }
    check.body(method === 'HEAD' ? Promise.resolve('') : response.clone().text());
    return response;
  };
}
