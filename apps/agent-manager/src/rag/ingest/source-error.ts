/**
 * Why a source could not be ingested. Stable codes, so the ingest job can record them and decide
 * whether a retry can help (only SOURCE_FETCH_FAILED can).
 */
export type SourceErrorCode =
  /** scheme not allowed, file outside the root, private or non-allowlisted host */
  | 'SOURCE_NOT_ALLOWED'
  /** missing file, HTTP 404/410 */
  | 'SOURCE_NOT_FOUND'
  /** more than maxBytes */
  | 'SOURCE_TOO_LARGE'
  /** other HTTP statuses, network errors, timeouts */
  | 'SOURCE_FETCH_FAILED'
  /** binary content no extractor (nor the processor) handles */
  | 'UNSUPPORTED_FORMAT'
  /** the format is known but the extractor failed on these bytes (corrupt PDF, processor error) */
  | 'EXTRACT_FAILED';

export class SourceError extends Error {
  override name = 'SourceError';
  readonly code: SourceErrorCode;

  constructor(code: SourceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Only transient failures are worth another attempt. */
  get retryable(): boolean {
    return this.code === 'SOURCE_FETCH_FAILED';
  }
}

export function isSourceError(err: unknown): err is SourceError {
  return err instanceof SourceError;
}
