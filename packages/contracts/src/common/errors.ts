import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/**
 * The closed set of error codes every service answers with. Adding a code is a contract change:
 * the HTTP kit's `statusFor` switch must map it, or the build fails.
 */
export const ErrorCode = z
  .enum([
    'VALIDATION_ERROR',
    'MALFORMED_JSON',
    'MALFORMED_REQUEST',
    'UNSUPPORTED_MEDIA_TYPE',
    'UNAUTHORIZED',
    'FORBIDDEN',
    'CAPABILITY_DENIED',
    'SOURCE_NOT_ALLOWED',
    'NOT_FOUND',
    'METHOD_NOT_ALLOWED',
    'CONFLICT',
    'IDEMPOTENCY_MISMATCH',
    'TOOL_FAILED',
    'RESOURCE_LIMIT',
    'INVALID_STATE',
    'TASK_BUSY',
    'REQUEST_TIMEOUT',
    'PAYLOAD_TOO_LARGE',
    'HEADERS_TOO_LARGE',
    'RATE_LIMITED',
    'QUOTA_EXCEEDED',
    'UNKNOWN_OPERATION',
    'CONFIG_INVALID',
    'NOT_READY',
    'BOOT_TIMEOUT',
    'IMAGE_NOT_FOUND',
    'DRIVER_ERROR',
    'PORT_EXHAUSTION',
    'UPSTREAM_ERROR',
    'UPSTREAM_TIMEOUT',
    'SERVICE_UNAVAILABLE',
    'INTERNAL_ERROR',
    // llama-orch's data plane kinds (/v1, reference/llama-orch-contracts/data.yaml + the pact).
    'INVALID_PARAMS',
    'DEADLINE_UNMET',
    'ADMISSION_REJECT',
    'QUEUE_FULL_DROP_LRU',
    'POOL_UNREADY',
    'POOL_UNAVAILABLE',
    'REPLICA_EXHAUSTED',
    'DECODE_TIMEOUT',
    'WORKER_RESET',
    'INTERNAL',
    'MODEL_DEPRECATED',
    'UNTRUSTED_ARTIFACT',
  ])
  .openapi('ErrorCode');
export type ErrorCode = z.infer<typeof ErrorCode>;

/** `{"error":{"code","message","correlation_id","details"?}}` — the one error shape of every service. */
export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      correlation_id: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('ErrorEnvelope');
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** One issue of a VALIDATION_ERROR's `details.issues`. */
export const ValidationIssue = z
  .object({
    path: z.string().describe('Where the problem is, e.g. "body.max_turns"'),
    message: z.string(),
    code: z.string(),
  })
  .openapi('ValidationIssue');
export type ValidationIssue = z.infer<typeof ValidationIssue>;
