import type { z } from 'zod';
import { type ErrorCode, ErrorEnvelope } from './errors.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * The same status answered as SSE instead of JSON when the request asks for it (OpenAI's
 * `stream: true`): `data:` lines of `events`, no `event:` lines, and optionally a last `data:`
 * that is not JSON (`terminator`, OpenAI's `[DONE]`), documented as `x-sse-terminator`.
 */
export interface AlternateStream {
  events: z.ZodType;
  terminator?: string;
}

/** A JSON response (the default) or an SSE stream whose events are one discriminated union. */
export type ResponseDef =
  | { description: string; kind?: 'json'; schema: z.ZodType; stream?: AlternateStream }
  | { description: string; kind: 'sse'; events: z.ZodType }
  | { description: string; kind: 'empty' };

export interface RouteRequest {
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
}

/**
 * One operation, declared once: it drives the server's validation, the OpenAPI document and the
 * client. `path` uses OpenAPI templating (`/engines/{user_id}`).
 */
export interface RouteDef {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  /** Name of a security scheme registered for the surface (e.g. `engineKey`); absent = public. */
  security?: string;
  request?: RouteRequest;
  responses: Readonly<Record<number, ResponseDef>>;
  /**
   * Refines the error code of a failed request validation (default VALIDATION_ERROR): e.g. /rpc
   * answers UNKNOWN_OPERATION when only the `op` discriminator is unknown. The HTTP kit's
   * validation middleware calls it with every issue; `undefined` keeps VALIDATION_ERROR.
   */
  validationErrorCode?: (issues: readonly z.core.$ZodIssue[]) => ErrorCode | undefined;
}

export function defineRoute<const R extends RouteDef>(route: R): R {
  return route;
}

/** A JSON error response; typed precisely so status-keyed client/handler types keep the envelope. */
export interface ErrorResponseDef {
  description: string;
  schema: typeof ErrorEnvelope;
}

const err = (description: string): ErrorResponseDef => ({ description, schema: ErrorEnvelope });

/** Error responses every route may return; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: err(
    'The request is malformed or fails validation (VALIDATION_ERROR, MALFORMED_JSON, MALFORMED_REQUEST)',
  ),
  413: err('The body is over the size limit (PAYLOAD_TOO_LARGE)'),
  500: err('An unexpected error (INTERNAL_ERROR); details are only in the log'),
} as const;

/**
 * The HTTP kit answers this to a body whose Content-Type is not JSON, on every route with a body;
 * the generator adds it to each such operation of the platform services' documents.
 */
export const unsupportedMediaTypeResponse = err(
  'The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE)',
);

/**
 * The HTTP server answers this before routing, so any operation may: an HTTP/1.1 request without
 * Host, or bytes that are not valid HTTP (MALFORMED_REQUEST).
 */
export const malformedRequestResponse = err(
  'The request is not valid HTTP or has no Host header (MALFORMED_REQUEST)',
);

/** Error responses of routes guarded by a key. */
export const authErrorResponses = {
  401: err('The key is missing or wrong (UNAUTHORIZED)'),
} as const;

export const errorResponse = err;
