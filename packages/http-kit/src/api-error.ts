import type { ErrorCode } from '@agentplane/contracts/common';
import { statusFor } from './status-for.js';

export interface ApiErrorInit {
  code: ErrorCode;
  /** Safe to show to the caller: it goes into the envelope verbatim. */
  message: string;
  details?: unknown;
  /** Response headers to send with the envelope (e.g. Retry-After on a 429). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The error domain code throws. The error middleware turns it into the envelope with
 * `statusFor(code)`.
 *
 * @example
 * throw new ApiError({ code: 'NOT_FOUND', message: `engine ${id} not found` });
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Readonly<Record<string, string>>;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = statusFor(init.code);
    if (init.details !== undefined) {
      this.details = init.details;
    }
    if (init.headers !== undefined) {
      this.headers = init.headers;
    }
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
