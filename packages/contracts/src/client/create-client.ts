import type { z } from 'zod';
import type { RouteDef } from '../common/route.js';
import type { ClientInput, ClientResponse } from '../common/route-types.js';
import { ClientError } from './client-error.js';
import { readSseEvents } from './sse.js';

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:8000`; a thunk lets the target move (a re-provisioned engine). */
  baseUrl: string | (() => string);
  /** Injected transport; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Headers added to every call (auth, correlation id); called per request. */
  headers?: () => Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** SSE routes: resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
}

type Operation<R extends RouteDef> =
  object extends ClientInput<R>
    ? (input?: ClientInput<R>, options?: CallOptions) => Promise<ClientResponse<R>>
    : (input: ClientInput<R>, options?: CallOptions) => Promise<ClientResponse<R>>;

/** One method per operation of `routes`, named by the key (the operationId). */
export type Client<Routes extends Readonly<Record<string, RouteDef>>> = {
  [K in keyof Routes]: Operation<Routes[K]>;
};

interface RawInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function buildUrl(base: string, route: RouteDef, input: RawInput): URL {
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) {
      throw new TypeError(`${route.operationId}: missing path param ${name}`);
    }
    return encodeURIComponent(String(value));
  });
  const url = new URL(base.replace(/\/$/, '') + path);
  for (const [key, value] of Object.entries(input.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) {
        url.searchParams.append(key, String(v));
      }
    }
  }
  return url;
}

async function readJson(res: Response, operationId: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ClientError('invalid_response', `${operationId}: ${res.status} body is not JSON`, {
      operationId,
      status: res.status,
      body: text,
      cause,
    });
  }
}

async function call(
  route: RouteDef,
  options: ClientOptions,
  input: RawInput,
  callOptions: CallOptions,
): Promise<unknown> {
  const base = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl;
  const url = buildUrl(base, route, input);
  const isSse = Object.values(route.responses).some((r) => r.kind === 'sse');
  const headers: Record<string, string> = {
    accept: isSse ? 'text/event-stream, application/json' : 'application/json',
    ...options.headers?.(),
  };
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    if (value !== undefined) {
      headers[key.toLowerCase()] = String(value);
    }
  }
  if (callOptions.lastEventId !== undefined) {
    headers['last-event-id'] = callOptions.lastEventId;
  }
  const init: RequestInit = { method: route.method.toUpperCase(), headers };
  if (route.request?.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(input.body ?? {});
  }
  if (callOptions.signal !== undefined) {
    init.signal = callOptions.signal;
  }
  const operationId = route.operationId;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, init);
  } catch (cause) {
    throw new ClientError('transport', `${operationId}: ${String(cause)}`, { operationId, cause });
  }
  const def = route.responses[res.status];
  if (def === undefined) {
    const body = await res.text().catch(() => undefined);
    throw new ClientError('undeclared_status', `${operationId}: undeclared status ${res.status}`, {
      operationId,
      status: res.status,
      body,
    });
  }
  if (def.kind === 'empty') {
    await res.body?.cancel();
    return { status: res.status, body: undefined };
  }
  if (def.kind === 'sse') {
    return sseResponse(res, def.events, operationId, callOptions.lastEventId);
  }
  const json = await readJson(res, operationId);
  const parsed = def.schema.safeParse(json);
  if (!parsed.success) {
    throw new ClientError('invalid_response', `${operationId}: ${res.status} body fails schema`, {
      operationId,
      status: res.status,
      body: json,
      cause: parsed.error,
    });
  }
  return { status: res.status, body: parsed.data };
}

function sseResponse(
  res: Response,
  events: z.ZodType,
  operationId: string,
  resumedFrom: string | undefined,
) {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') || res.body === null) {
    void res.body?.cancel();
    throw new ClientError('invalid_response', `${operationId}: expected text/event-stream`, {
      operationId,
      status: res.status,
    });
  }
  let lastId = resumedFrom;
  const body = res.body;
  return {
    status: res.status,
    lastEventId: () => lastId,
    events: readSseEvents(body, events, {
      onId: (id) => {
        lastId = id;
      },
    }),
  };
}

/**
 * A typed client over a route map: one async method per operation, resolving to a discriminated
 * `{status, body}` (or `{status, events}` for SSE) for every status the route declares.
 *
 * ```ts
 * const engine = createClient(engineRoutes, { baseUrl, headers: () => ({ 'x-engine-key': key }) });
 * const res = await engine.execute({ body: { message: 'hi', task_id: 't1' } });
 * if (res.status === 200) for await (const ev of res.events) if (isTerminalEvent(ev)) break;
 * ```
 */
export function createClient<const Routes extends Readonly<Record<string, RouteDef>>>(
  routes: Routes,
  options: ClientOptions,
): Client<Routes> {
  const client: Record<string, unknown> = {};
  for (const [key, route] of Object.entries(routes)) {
    client[key] = (input: RawInput = {}, callOptions: CallOptions = {}) =>
      call(route, options, input, callOptions);
  }
  return client as Client<Routes>;
}
