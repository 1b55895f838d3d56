import { ApiError } from '@agentplane/http-kit';
import { DriverError } from '../drivers/driver.js';

/**
 * The error a failed boot answers with, keeping its cause: a driver's own failure is
 * IMAGE_NOT_FOUND or DRIVER_ERROR with the driver's words in `details.cause`; only an engine
 * that started but never answered /health is BOOT_TIMEOUT. `cause` undefined: no call threw.
 */
export function bootFailure(
  cause: unknown,
  ctx: { image: string; bootTimeoutMs: number; removed?: boolean },
): ApiError {
  const tail = ctx.removed === true ? '; it was removed' : '';
  if (cause instanceof DriverError && cause.kind === 'image_not_found') {
    return new ApiError({
      code: 'IMAGE_NOT_FOUND',
      message: `The engine image ${ctx.image} does not exist on the host${tail}`,
      details: { image: ctx.image, cause: cause.message },
    });
  }
  if (cause !== undefined) {
    return new ApiError({
      code: 'DRIVER_ERROR',
      message: `The engine could not be started${tail}: ${messageOf(cause)}`,
      details: { cause: messageOf(cause) },
    });
  }
  return new ApiError({
    code: 'BOOT_TIMEOUT',
    message: `The engine was not healthy within ${ctx.bootTimeoutMs / 1000} s${tail}`,
  });
}

/** What the audit row keeps of a failure: its code, and the driver's words when there are any. */
export function auditCause(error: ApiError): Record<string, unknown> {
  const details = error.details as { cause?: unknown } | undefined;
  return details?.cause === undefined
    ? { code: error.code }
    : { code: error.code, cause: details.cause };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
