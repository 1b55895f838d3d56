import type { ErrorCode, ErrorEnvelope, ValidationIssue } from '@agentplane/contracts/common';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ApiError, isApiError } from './api-error.js';
import { allowedMethods } from './route-table.js';
import { statusFor } from './status-for.js';

export const INTERNAL_ERROR_MESSAGE = 'Internal error; quote the correlation id';

/** `[{path: 'body.max_turns', message, code}]` from zod issues. */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/** The envelope every error response carries. */
export function errorEnvelope(
  code: ErrorCode,
  message: string,
  correlationId: string,
  details?: unknown,
): ErrorEnvelope {
  return {
    error: {
      code,
      message,
      correlation_id: correlationId,
      ...(details === undefined ? {} : { details }),
    },
  };
}

interface Mapped {
  code: ErrorCode;
  message: string;
  details?: unknown;
  /** Unexpected: log with the stack at error level. */
  internal?: boolean;
}

// body-parser (via http-errors) tags its failures with `type`.
const BODY_PARSER_TYPES: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'The body is over the size limit' },
  'encoding.unsupported': {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Encoding',
  },
  'charset.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported charset' },
  'request.aborted': { code: 'MALFORMED_REQUEST', message: 'The request body was aborted' },
  'request.size.invalid': {
    code: 'MALFORMED_REQUEST',
    message: 'The body size does not match Content-Length',
  },
};

function bodyParserType(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string') {
    return err.type;
  }
  return undefined;
}

// An http-errors-style client error (`expose: true`, a 4xx `status`) that has no `type` of ours.
const CODE_FOR_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

function clientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) {
    return undefined;
  }
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500
    ? status
    : undefined;
}

function mapClientError(err: unknown): Mapped | undefined {
  // The router decodes path parameters with decodeURIComponent and tags its URIError with 400
  // (but not `expose`): `/engines/%zz` is the client's mistake, never a 500.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return { code: 'MALFORMED_REQUEST', message: 'A path parameter is not valid percent-encoding' };
  }
  const type = bodyParserType(err);
  const known = type === undefined ? undefined : BODY_PARSER_TYPES[type];
  if (known !== undefined) {
    return known;
  }
  const status = clientStatus(err);
  if (status !== undefined) {
    // `expose` means the message was written for the client.
    const message = err instanceof Error ? err.message.slice(0, 200) : 'The request is malformed';
    return { code: CODE_FOR_STATUS[status] ?? 'MALFORMED_REQUEST', message };
  }
  return undefined;
}

function mapError(err: unknown): Mapped {
  if (err instanceof ApiError) {
    return { code: err.code, message: err.message, details: err.details };
  }
  if (err instanceof z.core.$ZodError) {
    return {
      code: 'VALIDATION_ERROR',
      message: 'The request is invalid',
      details: { issues: toValidationIssues(err.issues) },
    };
  }
  return (
    mapClientError(err) ?? {
      code: 'INTERNAL_ERROR',
      message: INTERNAL_ERROR_MESSAGE,
      internal: true,
    }
  );
}

function logFor(req: Request, fallback: Logger): Logger {
  // req.log is missing only if the error happened before the correlation middleware ran.
  return (req.log as Logger | undefined) ?? fallback;
}

/** What an error response says, before it is shaped into a body. */
export interface ErrorFacts {
  code: ErrorCode;
  message: string;
  correlationId: string;
  details?: unknown;
}

/**
 * A body other than the platform envelope for errors under `prefix` (orchestratord's /v1 speaks
 * llama-orch's flat envelope). The status still comes from `statusFor(code)`.
 */
export interface ErrorBodyFormat {
  prefix: string;
  /** `req` too: a format may echo what the request named (llama-orch's `engine`). */
  render(facts: ErrorFacts, err: unknown, req: Request): { code: ErrorCode; body: object };
}

/**
 * The ONE error middleware: ApiError → its status; ZodError → 400 VALIDATION_ERROR with all
 * issues; body-parser failures → 400/413/415; any other client error (a router URIError, an
 * http-errors error with `expose` and a 4xx status) → its 4xx; anything else → 500 with a generic
 * message (the stack goes only to the log). After headers were sent (mid-SSE) it logs and ends
 * the response.
 */
export function errorMiddleware(
  logger: Logger,
  formats: readonly ErrorBodyFormat[] = [],
): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const log = logFor(req, logger);
    if (res.headersSent) {
      log.error({ err }, 'error after the response started; ending it');
      res.end();
      return;
    }
    const mapped = mapError(err);
    const correlationId = req.correlationId ?? String(res.getHeader('x-correlation-id') ?? '');
    const format = formats.find((f) => req.path.startsWith(f.prefix));
    const rendered = format?.render({ ...mapped, correlationId }, err, req);
    const status = statusFor(rendered?.code ?? mapped.code);
    if (mapped.internal) {
      log.error({ err }, 'unhandled error');
    } else if (status >= 500) {
      log.warn({ err, code: mapped.code }, mapped.message);
    } else {
      log.debug({ code: mapped.code, status }, mapped.message);
    }
    if (isApiError(err) && err.headers !== undefined) {
      res.set(err.headers);
    }
    res
      .status(status)
      .json(
        rendered?.body ?? errorEnvelope(mapped.code, mapped.message, correlationId, mapped.details),
      );
  };
}

/**
 * The final handler: no route matched → 405 METHOD_NOT_ALLOWED with `Allow` when the path has
 * routes recorded on the app (registerRoute) for other methods, else 404 NOT_FOUND.
 */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    const allow = allowedMethods(req.app, req.path);
    if (allow !== undefined) {
      next(
        new ApiError({
          code: 'METHOD_NOT_ALLOWED',
          message: `${req.method.slice(0, 20)} is not allowed here; allowed: ${allow.join(', ')}`,
          headers: { Allow: allow.join(', ') },
        }),
      );
      return;
    }
    next(
      new ApiError({
        code: 'NOT_FOUND',
        message: `No route for ${req.method} ${req.path.slice(0, 200)}`,
      }),
    );
  };
}
