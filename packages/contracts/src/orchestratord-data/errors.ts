import { ErrorCode } from '../common/errors.js';
import { z } from '../common/zod.js';

/**
 * The /v1 error body: llama-orch's flat ErrorEnvelope (what its clients and the pact parse),
 * plus our `correlation_id` and `details`. Request validation failures are INVALID_PARAMS here
 * (VALIDATION_ERROR on the other surfaces), unexpected ones INTERNAL.
 */
export const DataErrorEnvelope = z
  .object({
    code: ErrorCode,
    message: z.string(),
    correlation_id: z.string(),
    engine: z.string().optional(),
    retriable: z.boolean().optional(),
    retry_after_ms: z.int().nonnegative().optional(),
    policy_label: z.enum(['reject', 'drop-lru']).optional(),
    details: z.unknown().optional(),
  })
  .openapi('DataErrorEnvelope');
export type DataErrorEnvelope = z.infer<typeof DataErrorEnvelope>;
