import type { ErrorCode, ErrorEnvelope, ValidationIssue } from '@agentplane/contracts';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ApiError, isApiError } from './api-error.js';
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
  'request.aborted': { code: 'VALIDATION_ERROR', message: 'The request body was aborted' },
  'request.size.invalid': {
    code: 'VALIDATION_ERROR',
    message: 'The body size does not match Content-Length',
  },
};

function bodyParserType(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string') {
    return err.type;
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
  const type = bodyParserType(err);
  const known = type === undefined ? undefined : BODY_PARSER_TYPES[type];
  if (known !== undefined) {
    return known;
  }
  return { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE, internal: true };
}

function logFor(req: Request, fallback: Logger): Logger {
  // req.log is missing only if the error happened before the correlation middleware ran.
  return (req.log as Logger | undefined) ?? fallback;
}

/**
 * The ONE error middleware: ApiError → its status; ZodError → 400 VALIDATION_ERROR with all
 * issues; body-parser failures → 400/413/415; anything else → 500 with a generic message (the
 * stack goes only to the log). After headers were sent (mid-SSE) it logs and ends the response.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const log = logFor(req, logger);
    if (res.headersSent) {
      log.error({ err }, 'error after the response started; ending it');
      res.end();
      return;
    }
    const mapped = mapError(err);
    const status = statusFor(mapped.code);
    if (mapped.internal) {
      log.error({ err }, 'unhandled error');
    } else if (status >= 500) {
      log.warn({ err, code: mapped.code }, mapped.message);
    } else {
      log.debug({ code: mapped.code, status }, mapped.message);
    }
    const correlationId = req.correlationId ?? String(res.getHeader('x-correlation-id') ?? '');
    if (isApiError(err) && err.headers !== undefined) {
      res.set(err.headers);
    }
    res
      .status(status)
      .json(errorEnvelope(mapped.code, mapped.message, correlationId, mapped.details));
  };
}

/** The final handler: no route matched → 404 NOT_FOUND. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(
      new ApiError({
        code: 'NOT_FOUND',
        message: `No route for ${req.method} ${req.path.slice(0, 200)}`,
      }),
    );
  };
}
