import type { z } from 'zod';
import type { RouteDef, RouteRequest } from './route.js';

type RequestOf<R extends RouteDef> = R['request'] extends RouteRequest ? R['request'] : object;
type PartSchema<R extends RouteDef, K extends keyof RouteRequest> =
  RequestOf<R> extends { [P in K]: infer S extends z.ZodType } ? S : undefined;

type StatusOf<R extends RouteDef> = keyof R['responses'] & number;
type DefAt<R extends RouteDef, S extends StatusOf<R>> = R['responses'][S];

/**
 * What a handler receives once the HTTP kit has validated the request: every part is present and
 * already parsed (defaults applied). Parts a route does not declare are empty objects / `undefined`.
 */
export interface RouteInput<R extends RouteDef> {
  params: PartSchema<R, 'params'> extends z.ZodType
    ? z.output<PartSchema<R, 'params'>>
    : Record<string, never>;
  query: PartSchema<R, 'query'> extends z.ZodType
    ? z.output<PartSchema<R, 'query'>>
    : Record<string, never>;
  headers: PartSchema<R, 'headers'> extends z.ZodType
    ? z.output<PartSchema<R, 'headers'>>
    : Record<string, never>;
  body: PartSchema<R, 'body'> extends z.ZodType ? z.output<PartSchema<R, 'body'>> : undefined;
}

type OptionalIfEmpty<K extends string, T> = object extends T ? { [P in K]?: T } : { [P in K]: T };
type ClientPart<R extends RouteDef, K extends keyof RouteRequest> =
  PartSchema<R, K> extends z.ZodType
    ? OptionalIfEmpty<K, z.input<PartSchema<R, K>>>
    : { [P in K]?: never };
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * What a client passes for one call: the declared parts in their *input* shape (fields with
 * defaults are optional). Undeclared parts cannot be passed.
 */
export type ClientInput<R extends RouteDef> = Simplify<
  ClientPart<R, 'params'> &
    ClientPart<R, 'query'> &
    ClientPart<R, 'headers'> &
    ClientPart<R, 'body'>
>;

/** Statuses whose response is a JSON body or empty (everything but SSE). */
export type JsonStatus<R extends RouteDef> = {
  [S in StatusOf<R>]: DefAt<R, S> extends { kind: 'sse' } ? never : S;
}[StatusOf<R>];

/** Statuses whose response is an SSE stream. */
export type SseStatus<R extends RouteDef> = {
  [S in StatusOf<R>]: DefAt<R, S> extends { kind: 'sse' } ? S : never;
}[StatusOf<R>];

type JsonBody<D> = D extends { kind: 'empty' }
  ? undefined
  : D extends { schema: infer B extends z.ZodType }
    ? z.output<B>
    : never;

/**
 * Every non-SSE reply a route declares, as a discriminated `{status, body}` union. A handler
 * returns one of these; the client resolves to one of these (bodies parsed with the schemas).
 */
export type RouteResponse<R extends RouteDef> = {
  [S in JsonStatus<R>]: { status: S; body: JsonBody<DefAt<R, S>> };
}[JsonStatus<R>];

/** The event union of a route's SSE response(s) (`never` for routes without one). */
export type RouteSseEvent<R extends RouteDef> = {
  [S in SseStatus<R>]: DefAt<R, S> extends { kind: 'sse'; events: infer E extends z.ZodType }
    ? z.output<E>
    : never;
}[SseStatus<R>];

/** A streamed reply as the client sees it: typed events, plus the last `id:` seen so far. */
export interface SseResponse<S extends number, E> {
  status: S;
  events: AsyncIterable<E>;
  /** The last SSE `id:` received; pass it as `lastEventId` to resume after a disconnect. */
  lastEventId(): string | undefined;
}

/** What a client call resolves to: one member per declared status. */
export type ClientResponse<R extends RouteDef> =
  | RouteResponse<R>
  | {
      [S in SseStatus<R>]: SseResponse<
        S,
        DefAt<R, S> extends { kind: 'sse'; events: infer E extends z.ZodType } ? z.output<E> : never
      >;
    }[SseStatus<R>];
