import type { ProcessorErrorCode, ProcessorIssue } from '@agentplane/contracts';

/** Stable messages, one per code: specifics go in `issues`, so callers can match on the message. */
export const STABLE_MESSAGES: Record<ProcessorErrorCode, string> = {
  ERR_MALFORMED_JSON: 'the request body is not valid JSON',
  ERR_PAYLOAD_TOO_LARGE: 'the request body is over the size limit',
  ERR_REQUEST_INVALID: 'the request does not match the run request schema',
  ERR_INPUTS_INVALID: 'inputs do not match the processor inputs schema',
  ERR_WRITE_PREFIX: 'write_prefix is invalid or an artifact path escapes it',
  ERR_CI_SAFETY: 'mode=real is not allowed in CI',
  ERR_SECRETS_MISSING: 'mode=real needs secrets that are not set',
  ERR_TIMEOUT: 'the run exceeded runtime.timeout_s',
  ERR_NOT_FOUND: 'no such route',
  ERR_METHOD_NOT_ALLOWED: 'the route does not accept this method (see the Allow header)',
  ERR_HEADERS_TOO_LARGE: 'the request line and headers are over the size limit',
  ERR_UPSTREAM: 'a service the processor depends on failed',
  ERR_HANDLER: 'the processor handler failed',
  ERR_INTERNAL: 'internal error',
  ERR_ADAPTER_TIMEOUT: 'the processor did not answer in time',
  ERR_ADAPTER_UNREACHABLE: 'the processor could not be reached',
  ERR_ENVELOPE_INVALID: 'the processor answered something that is not an envelope',
  ERR_DIGEST_DRIFT: 'the processor runs an image other than the pinned digest',
};

/**
 * A failure with an envelope code. Handlers throw it for failures they can name (ERR_UPSTREAM,
 * ERR_INPUTS_INVALID for inputs a schema cannot check, such as a missing file); anything else they
 * throw becomes ERR_HANDLER.
 */
export class ProcessorError extends Error {
  readonly code: ProcessorErrorCode;
  readonly issues: readonly ProcessorIssue[];

  constructor(code: ProcessorErrorCode, issues: readonly ProcessorIssue[] = [], message?: string) {
    super(message ?? STABLE_MESSAGES[code]);
    this.name = 'ProcessorError';
    this.code = code;
    this.issues = issues;
  }
}

export function isProcessorError(err: unknown): err is ProcessorError {
  return err instanceof ProcessorError;
}
