import type { RouteDef } from '@agentplane/contracts/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';

type RequestPart<
  R extends RouteDef,
  K extends 'params' | 'query' | 'headers' | 'body',
  Absent,
> = R['request'] extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : Absent;

/**
 * The validated input of route `R`, inferred from its request schemas. Undeclared parts are `{}`
 * (params, query, headers) or `undefined` (body), as in contracts' `RouteInput`.
 */
export interface RouteInput<R extends RouteDef> {
  params: RequestPart<R, 'params', Record<string, never>>;
  query: RequestPart<R, 'query', Record<string, never>>;
  headers: RequestPart<R, 'headers', Record<string, never>>;
  body: RequestPart<R, 'body', undefined>;
}

type Responses<R extends RouteDef> = R['responses'];

type ResultFor<Status, D> = D extends { kind: 'sse' }
  ? never
  : D extends { schema: infer S extends z.ZodType }
    ? { status: Status; body: z.input<S>; headers?: Readonly<Record<string, string>> }
    : { status: Status; body?: undefined; headers?: Readonly<Record<string, string>> };

/**
 * What a handler may return: `{ status, body }` for one of the route's declared JSON or empty
 * responses. SSE responses are written by the handler itself (return nothing).
 */
export type RouteResult<R extends RouteDef> = {
  [K in keyof Responses<R> & number]: ResultFor<K, Responses<R>[K]>;
}[keyof Responses<R> & number];

/** Everything a route handler receives. */
export interface RouteContext<R extends RouteDef> extends RouteInput<R> {
  req: Request;
  res: Response;
  /** The request logger (bound to correlation_id). */
  log: Logger;
  /** Aborted when the client disconnects before the response finished. */
  signal: AbortSignal;
}

/** Returns `{status, body}` to send JSON, or nothing when it wrote the response itself (SSE). */
export type RouteHandler<R extends RouteDef> = (
  ctx: RouteContext<R>,
  // biome-ignore lint/suspicious/noConfusingVoidType: `async` SSE handlers return Promise<void>
) => RouteResult<R> | undefined | Promise<RouteResult<R> | undefined | void>;
