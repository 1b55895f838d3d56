import { DriverError } from './driver.js';

// How the docker driver reads the Docker API's failures (dockerode errors carry the answer's
// status and JSON body) and what it hands its caller instead: a DriverError in the API's words.

/** Docker's errors carry the HTTP status of the API answer. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The API's own message. dockerode's `message` prefixes a reason it looks up per endpoint, which
 * misleads: a create refused for a missing image reads "(HTTP code 404) no such container - …".
 */
function apiMessage(err: unknown): string {
  const json = (err as { json?: unknown } | undefined)?.json;
  const message = (json as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string') {
    return message;
  }
  return err instanceof Error ? err.message.trim() : String(err);
}

/** "HTTP <status> <message>" for an API answer, the bare message for a transport failure. */
function describeFailure(err: unknown): string {
  const status = statusOf(err);
  return status === undefined ? apiMessage(err) : `HTTP ${status} ${apiMessage(err)}`;
}

export function alreadyExists(err: unknown): boolean {
  // Docker answers 409; Podman's compat API answers 500 with "network already exists" or
  // "the container name … is already in use".
  return (
    statusOf(err) === 409 || /already (exists|used|in use)/i.test(String((err as Error)?.message))
  );
}

/**
 * A 404 naming the image. Podman 4 answers a container create with "no such image: <ref>: image
 * not known" and an image inspect with "failed to find image <ref>: … No such image"; Docker
 * says "No such image: <ref>" to both.
 */
export function isMissingImage(err: unknown): boolean {
  return statusOf(err) === 404 && /no such image|image not known/i.test(apiMessage(err));
}

export async function tolerate(
  statuses: readonly number[],
  op: () => Promise<unknown>,
): Promise<void> {
  try {
    await op();
  } catch (err) {
    if (!statuses.includes(statusOf(err) ?? -1)) {
      throw err;
    }
  }
}

/** The image is not on the host: no retry can help, and the driver never pulls. */
export function missingImage(image: string, err: unknown): DriverError {
  return new DriverError(
    'image_not_found',
    `${image} is not on the container host (not pulled): ${describeFailure(err)}`,
    { cause: err },
  );
}

/** Any other failure of a driver call, in the API's words with its status; `what` names the call. */
function toDriverError(what: string, err: unknown): DriverError {
  if (err instanceof DriverError) {
    return err;
  }
  return new DriverError('driver', `docker ${what}: ${describeFailure(err)}`, { cause: err });
}

/** Runs one driver call, so nothing but a DriverError leaves the driver. */
export async function driverCall<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toDriverError(what, err);
  }
}
