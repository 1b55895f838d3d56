import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import type { RequestContext, StartCheck } from './fetch-hook.js';

const DECODERS: Readonly<Record<string, (b: Buffer) => Buffer>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
  zstd: zstdDecompressSync,
};

function firstHeader(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return Array.isArray(value) ? value[0] : String(value);
}

/** The raw bytes as the body's text, decoded from its Content-Encoding (node:http keeps it). */
function bodyText(chunks: Buffer[], encoding: string | undefined): string {
  const raw = Buffer.concat(chunks);
  const decode = encoding === undefined ? undefined : DECODERS[encoding.trim().toLowerCase()];
  return (decode === undefined ? raw : decode(raw)).toString('utf8');
}

/**
 * Checks responses received with node:http (the processor adapters, orchestratord's engine probe,
 * raw-request test helpers) through its diagnostics channels: the request is noted when it
 * starts (in the caller's async context, for allowUndocumented), and the response's body is
 * observed by wrapping its `push`, which the HTTP parser calls for every chunk, so nothing about
 * how or when the caller reads it changes. Returns the unsubscribe function.
 */
export function hookNodeHttp(context: () => RequestContext, start: StartCheck): () => void {
  const contexts = new WeakMap<ClientRequest, RequestContext>();
  const onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    contexts.set(request, context());
  };
  const onResponse = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const noted = contexts.get(request) ?? { allowed: false, test: undefined };
    const host = firstHeader(request.getHeader('host')) ?? request.host;
    let url: URL;
    try {
      url = new URL(request.path, `${request.protocol}//${host}`);
    } catch {
      return;
    }
    const check = start({
      method: request.method.toUpperCase(),
      url,
      status: response.statusCode ?? 0,
      header: (name) => firstHeader(response.headers[name.toLowerCase()]),
      ...noted,
    });
    if (check === undefined) {
      return;
    }
    const stream = response.headers['content-type']?.toLowerCase().startsWith('text/event-stream');
    const decoder = new TextDecoder();
    const chunks: Buffer[] = [];
    let settle: ((text: string) => void) | undefined;
    let fail: ((error: Error) => void) | undefined;
    if (!stream) {
      check.body(
        new Promise<string>((resolve, reject) => {
          settle = resolve;
          fail = reject;
        }),
      );
      // Never read to the end (destroyed, or the caller gave up): not checked, not a violation.
      response.once('close', () => fail?.(new Error('closed before the end')));
    }
    const push = response.push;
    response.push = function observedPush(chunk: unknown, encoding?: BufferEncoding) {
      if (chunk === null) {
        if (stream) {
          check.streamText(decoder.decode());
        } else {
          try {
            settle?.(bodyText(chunks, firstHeader(response.headers['content-encoding'])));
          } catch (error) {
            fail?.(error as Error);
          }
        }
      } else if (Buffer.isBuffer(chunk)) {
        if (stream) {
          check.streamText(decoder.decode(chunk, { stream: true }));
        } else {
          chunks.push(chunk);
        }
      }
      return push.call(this, chunk, encoding);
    };
  };
  diagnostics.subscribe('http.client.request.start', onStart);
  diagnostics.subscribe('http.client.response.finish', onResponse);
  return () => {
    diagnostics.unsubscribe('http.client.request.start', onStart);
    diagnostics.unsubscribe('http.client.response.finish', onResponse);
  };
}
