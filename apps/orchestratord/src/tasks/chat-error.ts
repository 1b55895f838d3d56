import type { ChatErrorEnvelope, ErrorCode, ValidationIssue } from '@agentplane/contracts';
import { type ErrorBodyFormat, type ErrorFacts, statusFor } from '@agentplane/http-kit';
import { DataPlaneError } from './data-error.js';

type ChatErrorType = ChatErrorEnvelope['error']['type'];

/** OpenAI's error `type` for a status (its SDKs pick the error class by status alone). */
function typeFor(status: number): ChatErrorType {
  if (status === 401) {
    return 'authentication_error';
  }
  if (status === 403) {
    return 'permission_error';
  }
  if (status === 429) {
    return 'rate_limit_error';
  }
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function issuesOf(details: unknown): ValidationIssue[] {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
}

const MAX_ISSUES_IN_MESSAGE = 5;

/**
 * OpenAI's error body for a failure: every validation issue in `message` (OpenAI has no list),
 * the first one's field in `param`, our code lower-cased in `code`.
 */
export function chatErrorBody(
  facts: Pick<ErrorFacts, 'code' | 'message' | 'correlationId' | 'details'>,
  retryAfterMs?: number,
): ChatErrorEnvelope {
  const issues = issuesOf(facts.details);
  const field = (path: string) => path.replace(/^body\./, '');
  const message =
    issues.length === 0
      ? facts.message
      : issues
          .slice(0, MAX_ISSUES_IN_MESSAGE)
          .map((i) => `${field(i.path)}: ${i.message}`)
          .join('; ');
  return {
    error: {
      message,
      type: typeFor(statusFor(facts.code)),
      code: facts.code.toLowerCase(),
      param: issues[0] === undefined ? null : field(issues[0].path),
      correlation_id: facts.correlationId,
      ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }),
    },
  };
}

// As on the rest of /v1, an unexpected failure is INTERNAL (status 500 either way).
const AS_CHAT_CODE: Partial<Record<ErrorCode, ErrorCode>> = { INTERNAL_ERROR: 'INTERNAL' };

/**
 * /v1/chat/ errors in OpenAI's shape ({error: {message, type, code, param}}), so OpenAI SDKs
 * raise their typed errors (BadRequestError, AuthenticationError, RateLimitError, …). Listed
 * before the /v1/ format, which would otherwise match first.
 */
export const chatErrorFormat: ErrorBodyFormat = {
  prefix: '/v1/chat/',
  render(facts, err) {
    const code = AS_CHAT_CODE[facts.code] ?? facts.code;
    const retryAfterMs = err instanceof DataPlaneError ? err.extra.retry_after_ms : undefined;
    return { code, body: chatErrorBody({ ...facts, code }, retryAfterMs) };
  },
};
