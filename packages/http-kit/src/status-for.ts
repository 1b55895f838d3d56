import type { ErrorCode } from '@agentplane/contracts/common';

/** Compile-time exhaustiveness guard: a `switch` that misses a case fails to type-check here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${String(value)}`);
}

/**
 * The one place an error code becomes an HTTP status. Closed with `assertNever`, so adding a code
 * to the contracts' `ErrorCode` enum without mapping it here fails to compile.
 */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_ERROR':
    case 'MALFORMED_JSON':
    case 'MALFORMED_REQUEST':
    case 'UNKNOWN_OPERATION':
    case 'RESOURCE_LIMIT':
    case 'INVALID_PARAMS':
    case 'DEADLINE_UNMET':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
    case 'CAPABILITY_DENIED':
    case 'SOURCE_NOT_ALLOWED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'REQUEST_TIMEOUT':
      return 408;
    case 'CONFLICT':
    case 'INVALID_STATE':
    case 'TASK_BUSY':
    case 'MODEL_DEPRECATED':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'HEADERS_TOO_LARGE':
      return 431;
    case 'CONFIG_INVALID':
    case 'IDEMPOTENCY_MISMATCH':
    case 'TOOL_FAILED':
    case 'IMAGE_NOT_FOUND':
    case 'UNTRUSTED_ARTIFACT':
      return 422;
    case 'RATE_LIMITED':
    case 'QUOTA_EXCEEDED':
    case 'ADMISSION_REJECT':
    case 'QUEUE_FULL_DROP_LRU':
      return 429;
    case 'INTERNAL_ERROR':
    case 'INTERNAL':
    // The pact answers these two with 500 (the worker failed mid-decode).
    case 'DECODE_TIMEOUT':
    case 'WORKER_RESET':
      return 500;
    case 'UPSTREAM_ERROR':
    case 'DRIVER_ERROR':
      return 502;
    case 'NOT_READY':
    case 'PORT_EXHAUSTION':
    case 'SERVICE_UNAVAILABLE':
    case 'POOL_UNREADY':
    case 'POOL_UNAVAILABLE':
    case 'REPLICA_EXHAUSTED':
      return 503;
    case 'BOOT_TIMEOUT':
    case 'UPSTREAM_TIMEOUT':
      return 504;
    default:
      return assertNever(code, 'error code');
  }
}
