import type { DataErrorEnvelope, ErrorCode } from '@agentplane/contracts';
import { ApiError, type ErrorBodyFormat } from '@agentplane/http-kit';

type Extra = Pick<DataErrorEnvelope, 'engine' | 'retriable' | 'retry_after_ms' | 'policy_label'>;

/** An ApiError with llama-orch's extra envelope fields (retriable, policy_label, …). */
export class DataPlaneError extends ApiError {
  readonly extra: Extra;
  constructor(init: ConstructorParameters<typeof ApiError>[0] & { extra?: Extra }) {
    super(init);
    this.extra = init.extra ?? {};
  }
}

/** A 429 of a full queue: Retry-After (s), X-Backoff-Ms and the same in the body. */
export function queueFull(
  code: 'ADMISSION_REJECT' | 'QUEUE_FULL_DROP_LRU',
  message: string,
  backoffMs: number,
  engine: string,
): DataPlaneError {
  return new DataPlaneError({
    code,
    message,
    headers: {
      'retry-after': String(Math.max(1, Math.ceil(backoffMs / 1000))),
      'x-backoff-ms': String(backoffMs),
    },
    extra: {
      engine,
      retriable: true,
      retry_after_ms: backoffMs,
      policy_label: code === 'ADMISSION_REJECT' ? 'reject' : 'drop-lru',
    },
  });
}

// The kit's request-shape codes are all INVALID_PARAMS to llama-orch's clients.
const AS_DATA_CODE: Partial<Record<ErrorCode, ErrorCode>> = {
  VALIDATION_ERROR: 'INVALID_PARAMS',
  MALFORMED_JSON: 'INVALID_PARAMS',
  MALFORMED_REQUEST: 'INVALID_PARAMS',
  INTERNAL_ERROR: 'INTERNAL',
};

/**
 * The `engine` a request body named, echoed on its errors as llama-orch does (its clients read
 * it on a 400 too, where the body did not pass validation): only a short string is echoed.
 */
function engineNamedBy(body: unknown): { engine?: string } {
  const engine = (body as { engine?: unknown } | undefined)?.engine;
  return typeof engine === 'string' && engine.length > 0 && engine.length <= 64 ? { engine } : {};
}

/** /v1 errors in llama-orch's flat envelope (DataErrorEnvelope), with our correlation id. */
export const dataErrorFormat: ErrorBodyFormat = {
  prefix: '/v1/',
  render(facts, err, req) {
    const code = AS_DATA_CODE[facts.code] ?? facts.code;
    const body: DataErrorEnvelope = {
      code,
      message: facts.message,
      correlation_id: facts.correlationId,
      ...engineNamedBy(req.body),
      ...(err instanceof DataPlaneError ? err.extra : {}),
      ...(facts.details === undefined ? {} : { details: facts.details }),
    };
    return { code, body };
  },
};
